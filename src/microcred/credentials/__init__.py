"""Signed credentials: JSON-LD contexts, keys, DIDs and Data Integrity cryptosuites.

The public surface is small: :func:`add_proof` and :func:`verify_proof` (in
``data_integrity``), :class:`KeyPair` / :class:`PublicKey` (in ``keys``), the allow-list
document loader (``loader``) and the errors (``errors``). Everything runs offline: JSON-LD
contexts come only from the copies shipped in ``credentials/contexts``.
"""

from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.errors import CredentialError
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.loader import ContextLoader, default_loader, loader_with
from microcred.credentials.proof_result import ProofResult

__all__ = [
    "ContextLoader",
    "CredentialError",
    "KeyPair",
    "ProofResult",
    "PublicKey",
    "add_proof",
    "default_loader",
    "loader_with",
    "verify_proof",
]
