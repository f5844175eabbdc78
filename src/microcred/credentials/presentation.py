"""Build a VC 2.0 ``VerifiablePresentation`` signed by its holder.

A presentation wraps credentials the holder chose and proves, with an ``authentication``
proof over a verifier's ``challenge`` (and ``domain``), that the holder is present now — so a
copied presentation cannot be replayed to another verifier or later. Spec: VC 2.0 §4.13
"Verifiable Presentations", https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations,
and Data Integrity 1.0 §2.1 (``challenge``, ``domain``), https://www.w3.org/TR/vc-data-integrity/.
Verification is :func:`microcred.verify.presentation.verify_presentation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from microcred.credentials.data_integrity import AUTHENTICATION, add_proof
from microcred.credentials.eddsa_rdfc_2022 import NAME as EDDSA_RDFC_2022
from microcred.credentials.errors import ProofGenerationError
from microcred.credentials.json_values import copy_object
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader
from microcred.credentials.status_list import CREDENTIALS_V2_CONTEXT

VERIFIABLE_PRESENTATION = "VerifiablePresentation"


def build_presentation(
    credentials: Sequence[Mapping[str, Any]],
    holder: str,
    key: KeyPair,
    verification_method: str,
    *,
    challenge: str,
    domain: str | None = None,
    cryptosuite: str = EDDSA_RDFC_2022,
    created: datetime | str | None = None,
    expires: datetime | str | None = None,
    presentation_id: str | None = None,
    extra_contexts: Sequence[str] = (),
    loader: ContextLoader | None = None,
) -> dict[str, Any]:
    """A presentation of ``credentials`` by ``holder``, signed with ``key``.

    ``verification_method`` must be a key of ``holder`` listed for ``authentication`` (for a
    ``did:key`` holder: ``did_key.verification_method_id``). A challenge is required: without
    one the presentation could be replayed. Raises :class:`ProofGenerationError` on bad input.
    """
    if not isinstance(challenge, str) or not challenge:
        raise ProofGenerationError("a presentation needs the verifier's challenge")
    if verification_method.partition("#")[0] != holder:
        raise ProofGenerationError(
            f"verification method {verification_method!r} is not a key of the holder {holder!r}"
        )
    presentation: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT, *extra_contexts],
        "type": [VERIFIABLE_PRESENTATION],
        "holder": holder,
    }
    if presentation_id is not None:
        presentation["id"] = presentation_id
    if credentials:
        presentation["verifiableCredential"] = [copy_object(c) for c in credentials]
    return add_proof(
        presentation,
        key,
        verification_method,
        cryptosuite=cryptosuite,
        created=created,
        proof_purpose=AUTHENTICATION,
        loader=loader,
        challenge=challenge,
        domain=domain,
        expires=expires,
    )
