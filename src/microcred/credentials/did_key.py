"""``did:key`` for Ed25519: a DID that *is* its public key, resolved without any lookup.

Accepted for tests and foreign issuers (brief, trust model); issuers of this instance use
``did:web``. Only Ed25519 (multicodec ``0xed01``) is supported; other key types get an error
that names them. Spec: https://w3c-ccg.github.io/did-key-spec/ (§3.1.2 "Document Creation
Algorithm", §3.1.3 "Signature Method Creation Algorithm"), with the Multikey representation.
"""

from __future__ import annotations

import functools
from typing import Any

from microcred.credentials.errors import CredentialError, DidResolutionError
from microcred.credentials.keys import PublicKey
from microcred.credentials.multibase import decode_base58btc

DID_KEY_PREFIX = "did:key:"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
#: The verification relationships an Ed25519 ``did:key`` grants its single key.
RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)

#: Multicodec codes seen in ``did:key`` identifiers, to name what we refuse.
_KNOWN_CODECS = {
    0xE7: "secp256k1",
    0xEC: "X25519",
    0xEB: "BLS12-381 G2",
    0x1200: "P-256",
    0x1201: "P-384",
    0x1202: "P-521",
    0x1205: "RSA",
}


def _read_varint(data: bytes) -> int:
    """The unsigned-varint multicodec code at the start of ``data`` (multiformats spec)."""
    value = 0
    for shift, byte in enumerate(data[:4]):
        value |= (byte & 0x7F) << (7 * shift)
        if not byte & 0x80:
            return value
    raise DidResolutionError("the did:key identifier does not start with a multicodec header")


def did_for(public_key: PublicKey) -> str:
    """The ``did:key`` DID of an Ed25519 public key."""
    return DID_KEY_PREFIX + public_key.multibase


def verification_method_id(public_key: PublicKey) -> str:
    """The key's verification method id, ``did:key:z6Mk...#z6Mk...``."""
    return f"{did_for(public_key)}#{public_key.multibase}"


def public_key_of(did: str) -> PublicKey:
    """Decode the Ed25519 key a ``did:key`` DID carries (no fragment)."""
    return _key_and_multibase(did)[0]


@functools.lru_cache(maxsize=1024)
def _key_and_multibase(did: str) -> tuple[PublicKey, str]:
    # Memoised: a DID always decodes to the same key, and a verifier meets the same few
    # issuers again and again (errors are raised, never cached).
    key = _decode(did)
    return key, key.multibase


def _decode(did: str) -> PublicKey:
    if not did.startswith(DID_KEY_PREFIX):
        raise DidResolutionError(f"{did!r} is not a did:key DID")
    multibase_value = did[len(DID_KEY_PREFIX) :]
    try:
        decoded = decode_base58btc(multibase_value)
    except CredentialError as error:
        raise DidResolutionError(f"{did!r}: {error.message}") from error
    code = _read_varint(decoded)
    if code != 0xED:
        name = _KNOWN_CODECS.get(code, "unknown key type")
        raise DidResolutionError(
            f"{did!r} holds a {name} key (multicodec 0x{code:x}); only Ed25519 is supported"
        )
    try:
        return PublicKey.from_multibase(multibase_value)
    except CredentialError as error:
        raise DidResolutionError(f"{did!r}: {error.message}") from error


def resolve(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 ``did:key`` (Multikey form), built from the DID alone."""
    key = public_key_of(did)
    method_id = verification_method_id(key)
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.multibase,
            }
        ],
    }
    for relationship in RELATIONSHIPS:
        document[relationship] = [method_id]
    return document


def resolve_verification_key(verification_method: str, proof_purpose: str) -> PublicKey:
    """Resolver for :func:`~microcred.credentials.data_integrity.verify_proof` on ``did:key``.

    The fragment must repeat the key (did-key-spec §3.1.3), and the key must be authorised
    for ``proof_purpose`` (all four relationships are, but not e.g. ``keyAgreement``).
    """
    did, _, fragment = verification_method.partition("#")
    key, multibase = _key_and_multibase(did)
    if fragment != multibase:
        raise DidResolutionError(
            f"{verification_method!r}: the fragment must be the key's multibase value"
        )
    if proof_purpose not in RELATIONSHIPS:
        raise DidResolutionError(
            f"{verification_method!r} is not authorised for proof purpose {proof_purpose!r}"
        )
    return key
