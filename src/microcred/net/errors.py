"""The one error of guarded fetching, with a stable ``code`` a verifier can act on."""

from __future__ import annotations


class FetchError(Exception):
    """A document that could not (or must not) be fetched.

    Codes (stable, documented in docs/verification.md): ``fetch-not-https``,
    ``fetch-address-blocked``, ``fetch-unreachable``, ``fetch-timeout``, ``fetch-tls-failed``,
    ``fetch-redirect-refused``, ``fetch-http-status``, ``fetch-content-type``,
    ``fetch-too-large``, ``fetch-not-json``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
