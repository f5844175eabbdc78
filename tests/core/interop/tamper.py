"""Tampered copies of a signed credential, each a change a verifier must notice."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

#: A well-formed Ed25519 did:key that did not sign anything here.
OTHER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
OTHER_METHOD = f"{OTHER_DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def _name(document: dict[str, Any]) -> None:
    document["name"] = str(document.get("name", "")) + " (forged)"


def _subject(document: dict[str, Any]) -> None:
    subject = document["credentialSubject"]
    if isinstance(subject.get("achievement"), dict):
        subject["achievement"]["name"] = "Leadership"
    else:
        subject["id"] = "did:example:someone-else"


def _valid_from(document: dict[str, Any]) -> None:
    document["validFrom"] = "2001-01-01T00:00:00Z"


def _created(document: dict[str, Any]) -> None:
    document["proof"]["created"] = "2001-01-01T00:00:00Z"


def _proof_value(document: dict[str, Any]) -> None:
    value = document["proof"]["proofValue"]
    # change one base58 digit in the middle (still valid base58, still 64 bytes)
    middle = len(value) // 2
    document["proof"]["proofValue"] = (
        value[:middle] + ("2" if value[middle] != "2" else "3") + value[middle + 1 :]
    )


def _swapped_key(document: dict[str, Any]) -> None:
    document["proof"]["verificationMethod"] = OTHER_METHOD


def _dropped_member(document: dict[str, Any]) -> None:
    document.pop("description", None) or document.pop("validFrom")


TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "changed-name": _name,
    "changed-subject": _subject,
    "changed-validFrom": _valid_from,
    "changed-proof-created": _created,
    "changed-proofValue": _proof_value,
    "swapped-key": _swapped_key,
    "dropped-member": _dropped_member,
}


def tampered(document: dict[str, Any], how: str) -> dict[str, Any]:
    """A deep copy of ``document`` changed as ``how`` (a key of :data:`TAMPERINGS`) says."""
    changed = copy.deepcopy(document)
    TAMPERINGS[how](changed)
    assert changed != document
    return changed
