"""Secrets in links (sign-in, claim, share): random, URL-safe, and stored only as a digest.

Why a plain SHA-256 and not a keyed hash: the token carries 256 bits of randomness, so its
digest cannot be guessed back; a database dump then holds nothing a visitor could use.
"""

from __future__ import annotations

import hashlib
import secrets

#: Characters of a token (43 for 32 random bytes in base64url).
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64


def new_token() -> tuple[str, str]:
    """``(token, digest)``: the token goes into the link, the digest into the database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
