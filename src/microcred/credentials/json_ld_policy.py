"""microcred's JSON-LD policy for documents signed as JSON (eddsa-jcs-2022).

Why: a JCS signature covers the JSON text, but verifiers and wallets read a credential as
JSON-LD. A property the contexts do not define is dropped by JSON-LD processing, a relative
or malformed IRI is resolved or dropped, an unknown context changes every term: the reader
would see something other than what was signed. So, as with eddsa-rdfc-2022 (whose
canonicalisation expands the document anyway), a document is signed and verified only if the
allow-listed contexts fully define it. The fast path (compiled contexts) decides most
documents; pyld's strict expansion decides the rest and raises the precise error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.credentials import fastpath, rdfc
from microcred.credentials.expansion import expand
from microcred.credentials.loader import ContextLoader


def check(document: Mapping[str, Any], loader: ContextLoader) -> bool:
    """Raise :class:`~microcred.credentials.errors.CredentialError` (undefined term, context
    not allowed, invalid IRI, document too complex...) unless the policy holds.

    Returns True when the check found ``document`` to hold only plain JSON, which lets
    :func:`microcred.credentials.jcs.canonical_json` skip its own walk; False when unknown.
    """
    if rdfc.USE_FAST_PATH:
        verdict = fastpath.check_document(document, loader)
        if verdict is not None:
            return verdict.plain_json
    expand(document, loader)
    return False
