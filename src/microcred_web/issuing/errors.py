"""Errors of the issuing services, with stable codes; the API maps them to HTTP statuses."""

from __future__ import annotations


class IssuingError(Exception):
    """A request the issuing services refuse. ``code`` is stable; ``status`` the HTTP status;
    ``field`` the input field at fault, when one is (the API and the page point at it)."""

    def __init__(
        self, code: str, message: str, status: int = 422, *, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
