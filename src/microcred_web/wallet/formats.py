"""The credential formats a learner can bring into the wallet, as a small registry.

Each format says whether it recognises a parsed JSON document (``detect``) and gives the
credential to verify and keep (``read``). Today there is one, Open Badges 3.0 / W3C VC 2.0 with
a Data Integrity proof; Europass (ELM) plugs in with the formats issue by registering another
:class:`Format` whose ``read`` returns what the verification pipeline takes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from microcred_web.verification import services as verification

VC_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/2018/credentials/v1",
)


@dataclass(frozen=True)
class Format:
    #: What :attr:`WalletEntry.format` records ("obv3").
    name: str
    #: For people ("Open Badges 3.0 / Verifiable Credential").
    label: str
    detect: Callable[[Any], bool]
    #: The credential to verify and store; raises ``verification.InputError`` if there is none.
    read: Callable[[Any], Mapping[str, Any]]


def _unwrap(document: Any) -> Any:
    if isinstance(document, Mapping) and isinstance(document.get("verifiableCredential"), Mapping):
        return document["verifiableCredential"]
    return document


def _is_vc(document: Any) -> bool:
    document = _unwrap(document)
    if not isinstance(document, Mapping):
        return False
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return any(c in VC_CONTEXTS for c in contexts) and "VerifiableCredential" in types


OBV3 = Format(
    name="obv3",
    label="Open Badges 3.0 / W3C Verifiable Credential",
    detect=_is_vc,
    read=verification.credential_from_json,
)

FORMATS: list[Format] = [OBV3]


def register(fmt: Format) -> None:
    """Add a format (tried after those already registered)."""
    if any(known.name == fmt.name for known in FORMATS):
        raise ValueError(f"a format named {fmt.name!r} is already registered")
    FORMATS.append(fmt)


def detect(document: Any) -> Format | None:
    """The first registered format that recognises ``document``."""
    return next((fmt for fmt in FORMATS if fmt.detect(document)), None)


def names() -> list[str]:
    return [fmt.label for fmt in FORMATS]
