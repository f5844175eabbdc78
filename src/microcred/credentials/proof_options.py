"""Checks on proof options shared by the EdDSA cryptosuites.

Both suites begin their transformation and proof-configuration algorithms with the same
tests (type is ``DataIntegrityProof``, ``cryptosuite`` is the suite's name, ``created`` is an
XML Schema dateTime), and both verify algorithms compare the proof's ``@context`` with the
document's. Spec: https://www.w3.org/TR/vc-di-eddsa/#proof-configuration-eddsa-rdfc-2022,
https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-rdfc-2022 (step 4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from microcred.credentials.errors import ProofGenerationError

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

# XMLSCHEMA11-2 dateTime lexical form (year of at least 4 digits, optional fraction and zone).
_XSD_DATETIME = re.compile(
    r"-?(?P<date>\d{4,}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(\.\d+)?"
    r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
)


def is_xsd_datetime(value: object) -> bool:
    """True if ``value`` is a valid XML Schema 1.1 ``dateTime`` string."""
    if not isinstance(value, str):
        return False
    match = _XSD_DATETIME.fullmatch(value)
    if match is None:
        return False
    date, time = match.group("date"), match.group("time")
    if time == "24:00:00":  # allowed by XSD as the end of the day
        time = "00:00:00"
    try:
        datetime.fromisoformat(f"{date[-10:]}T{time}")
    except ValueError:
        return False
    return True


def xsd_datetime_now() -> str:
    """The current UTC time to the second, e.g. ``2025-01-31T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def require_suite(options: Mapping[str, Any], cryptosuite: str) -> None:
    """Raise unless the options name a ``DataIntegrityProof`` of ``cryptosuite``."""
    if options.get("type") != DATA_INTEGRITY_PROOF or options.get("cryptosuite") != cryptosuite:
        raise ProofGenerationError(
            f"proof options must have type {DATA_INTEGRITY_PROOF!r} and cryptosuite {cryptosuite!r}"
        )


def require_valid_created(options: Mapping[str, Any]) -> None:
    """Raise if ``created`` is present but not an XML Schema dateTime."""
    if "created" in options and not is_xsd_datetime(options["created"]):
        raise ProofGenerationError(f"proof 'created' {options['created']!r} is not a dateTime")


def as_list(context: Any) -> list[Any]:
    """``@context`` as a list (a single context may be written without an array)."""
    return list(context) if isinstance(context, list) else [context]


def context_starts_with(document_context: Any, proof_context: Any) -> bool:
    """True if the document's ``@context`` starts with all of the proof's, in order."""
    document_list, proof_list = as_list(document_context), as_list(proof_context)
    return document_list[: len(proof_list)] == proof_list
