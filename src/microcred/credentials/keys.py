"""Ed25519 keys and their Multikey encoding.

A Multikey is a multicodec header followed by the raw key, multibase-encoded as base58btc:
public keys use header ``0xed01`` (``z6Mk...``), secret keys ``0x8026`` (``z3u2...``).
Spec: https://www.w3.org/TR/cid-1.0/#Multikey and https://www.w3.org/TR/vc-di-eddsa/#multikey.
Ed25519 (RFC 8032 pure EdDSA) signs and verifies through libsodium (PyNaCl), which takes
about half the time of OpenSSL's on this project's machine (20 against 37 microseconds to
sign, 54 against 103 to verify) and is the stricter verifier of the two (it refuses
small-order keys and non-canonical signatures); Ed25519 is deterministic, so the signatures
are the very bytes OpenSSL writes. ``cryptography`` still generates keys and serialises them.
See ``docs/decisions/0007-ed25519-verification-libsodium.md``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.bindings import crypto_sign, crypto_sign_open, crypto_sign_seed_keypair
from nacl.exceptions import BadSignatureError

from microcred.credentials.errors import InvalidKey
from microcred.credentials.multibase import decode_base58btc, encode_base58btc

ED25519_PUBLIC_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"
KEY_LENGTH = 32
SIGNATURE_LENGTH = 64

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw


def _strip_header(decoded: bytes, header: bytes, what: str) -> bytes:
    if not decoded.startswith(header):
        raise InvalidKey(
            f"{what} Multikey header is 0x{decoded[:2].hex()}, expected 0x{header.hex()} "
            "(only Ed25519 is supported)"
        )
    raw = decoded[len(header) :]
    if len(raw) != KEY_LENGTH:
        raise InvalidKey(f"{what} key is {len(raw)} bytes, an Ed25519 key is {KEY_LENGTH}")
    return raw


@functools.lru_cache(maxsize=1024)
def _public_raw(public_key_multibase: str) -> bytes:
    # Memoised: a value always decodes to the same bytes (errors are raised, never cached),
    # and a verifier reads the same few issuers' keys again and again.
    decoded = decode_base58btc(public_key_multibase)
    return _strip_header(decoded, ED25519_PUBLIC_HEADER, "public")


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key; the unit a verifier resolves a verification method to."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_LENGTH:
            raise InvalidKey(f"an Ed25519 public key is {KEY_LENGTH} bytes, got {len(self.raw)}")

    @classmethod
    def from_multibase(cls, public_key_multibase: str) -> PublicKey:
        """Parse a ``publicKeyMultibase`` value (``z6Mk...``)."""
        return cls(_public_raw(public_key_multibase))

    @functools.cached_property
    def multibase(self) -> str:
        """The ``publicKeyMultibase`` form, ``z6Mk...``.

        Computed once per key object: base58 is a big-number conversion in Python, and a
        verification names the same key several times (DID, method id, DID document).
        """
        return encode_base58btc(ED25519_PUBLIC_HEADER + self.raw)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` is a valid Ed25519 signature of ``data``."""
        if len(signature) != SIGNATURE_LENGTH:
            return False
        try:
            crypto_sign_open(signature + data, self.raw)
        except BadSignatureError:
            return False
        return True


class KeyPair:
    """An Ed25519 signing key with its public key. The secret never appears in ``repr``."""

    __slots__ = ("_secret", "_sodium_secret", "public")

    def __init__(self, secret: Ed25519PrivateKey) -> None:
        self._secret = secret
        self.public = PublicKey(secret.public_key().public_bytes(_RAW, _RAW_PUBLIC))
        seed = secret.private_bytes(_RAW, _RAW_PRIVATE, serialization.NoEncryption())
        # libsodium's secret key form: the seed followed by the public key
        self._sodium_secret = crypto_sign_seed_keypair(seed)[1]

    @classmethod
    def generate(cls) -> KeyPair:
        """A fresh key pair from the operating system's random source."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> KeyPair:
        """The key pair for a 32-byte RFC 8032 secret (seed)."""
        if len(seed) != KEY_LENGTH:
            raise InvalidKey(f"an Ed25519 secret is {KEY_LENGTH} bytes, got {len(seed)}")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_multibase(
        cls, secret_key_multibase: str, public_key_multibase: str | None = None
    ) -> KeyPair:
        """Parse ``secretKeyMultibase`` (``z3u2...``); check it against the public key if given."""
        decoded = decode_base58btc(secret_key_multibase)
        pair = cls.from_seed(_strip_header(decoded, ED25519_SECRET_HEADER, "secret"))
        if public_key_multibase is not None and pair.public.multibase != public_key_multibase:
            raise InvalidKey("the secret key does not belong to the given public key")
        return pair

    @property
    def secret_multibase(self) -> str:
        """The ``secretKeyMultibase`` form, ``z3u2...``; handle with care."""
        seed = self._secret.private_bytes(_RAW, _RAW_PRIVATE, serialization.NoEncryption())
        return encode_base58btc(ED25519_SECRET_HEADER + seed)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        signed: bytes = crypto_sign(data, self._sodium_secret)  # signature, then the data
        return signed[:SIGNATURE_LENGTH]

    def __repr__(self) -> str:
        return f"KeyPair(public={self.public.multibase!r})"
