"""Errors of the issuing services, with stable codes; the API maps them to HTTP statuses."""

from __future__ import annotations


class IssuingError(Exception):
    """A request the issuing services refuse. ``code`` is stable; ``status`` the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
