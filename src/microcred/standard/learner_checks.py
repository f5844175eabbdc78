"""Checks on what an issuer says about one learner: the identifier for what it claims to be,
and the grade against the specification's grade scheme.

Why here and not in the web layer: the API, the bulk CSV, the command and the page all issue,
and they must refuse the same things with the same words. Every refusal is a
:class:`LearnerInputError` naming the field at fault.

Identifier schemes (``scheme``): ``email``, ``did``, ``student-number``, ``national-id`` and
``other``. Without a scheme it is inferred: a ``did:`` prefix is a DID, anything holding "@"
is an e-mail address (so "ada@" is refused rather than issued as if it were one), anything
else is ``other`` (a local identifier, checked only for being printable text).

Grade schemes are free text in Annex I ("Dutch 1-10 scale; 5.5 or more to pass", "Pass /
fail"). Two shapes are recognised and enforced: a numeric range (the grade must be a number
inside it) and a list of words separated by "/" or "or" (the grade must be one of them, in
any of the scheme's languages). A scheme of another shape cannot be checked, so any grade is
accepted for it; so is any grade when the specification has no grade scheme.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "MAX_GRADE_LENGTH",
    "SCHEMES",
    "LearnerInputError",
    "allowed_grades",
    "check_grade",
    "check_identifier",
    "grade_range",
    "infer_scheme",
]

SCHEMES = ("email", "did", "student-number", "national-id", "other")
MAX_GRADE_LENGTH = 200


class LearnerInputError(ValueError):
    """A learner field that cannot be used: ``field`` names it, ``code`` is stable."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


# RFC 5322 dot-atom local part (printable ASCII less specials, or any non-ASCII letter, as
# RFC 6531 allows), no leading, trailing or doubled dot; a domain of two or more labels of
# letters, digits and inner hyphens, ending in a label that is not all digits.
_LOCAL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\U0010ffff-]+"
    r"(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\U0010ffff-]+)*$"
)
_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._-]$")
_NATIONAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def infer_scheme(identifier: str) -> str:
    """The scheme an identifier given without one is taken to claim (see the module)."""
    if identifier.startswith("did:"):
        return "did"
    if "@" in identifier:
        return "email"
    return "other"


def _is_email(value: str) -> bool:
    local, at, domain = value.rpartition("@")
    if not at or not local or len(local) > 64 or len(domain) > 253 or not _LOCAL.match(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(_LABEL.match(label) for label in labels)


def check_identifier(identifier: str, scheme: str | None) -> tuple[str, str]:
    """``(identifier, scheme)`` trimmed and checked; :class:`LearnerInputError` if unusable."""
    value = identifier.strip()
    if scheme is not None and scheme not in SCHEMES:
        raise LearnerInputError(
            "scheme",
            "learner-scheme-unknown",
            f"unknown identifier scheme {scheme!r}; use one of {', '.join(SCHEMES)}",
        )
    kind = scheme or infer_scheme(value)
    if not value:
        raise LearnerInputError(
            "identifier", "learner-identifier-missing", "the learner needs an identifier"
        )
    problem = None
    if kind == "email" and not _is_email(value):
        problem = f"{value!r} is not an e-mail address (expected name@example.org)"
    elif kind == "did" and not _DID.match(value):
        problem = f"{value!r} is not a DID (expected did:method:identifier)"
    elif kind == "national-id" and not _NATIONAL_ID.match(value):
        problem = f"{value!r} is not a national identity number (letters, digits, . / - )"
    elif kind in ("student-number", "other") and _CONTROL.search(value.replace(" ", "")):
        problem = "the learner identifier holds control characters or line breaks"
    if problem is not None:
        raise LearnerInputError("identifier", f"learner-identifier-not-{kind}", problem)
    return value, kind


_NUMBER = r"\d+(?:[.,]\d+)?"
_RANGE = re.compile(rf"(?<![\d.,])(?P<low>{_NUMBER})\s*(?:-|–|—|to|a)\s*(?P<high>{_NUMBER})")
_WORDS = re.compile(r"\s*(?:/|\bor\b)\s*", re.IGNORECASE)
_WORD = re.compile(r"^[^\W\d_][^\W\d_ '-]*(?:[ '-][^\W\d_]+){0,2}$")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def grade_range(scheme: Mapping[str, str]) -> tuple[float, float] | None:
    """The numeric range a grade scheme states ("1-10", "0 a 20"), lowest first, if any."""
    for text in scheme.values():
        match = _RANGE.search(text)
        if match:
            low, high = _number(match["low"]), _number(match["high"])
            return (min(low, high), max(low, high))
    return None


def allowed_grades(scheme: Mapping[str, str]) -> set[str]:
    """The grades a word-list scheme names ("Pass / fail"), lower-cased, in every language."""
    words: set[str] = set()
    for text in scheme.values():
        parts = [part.strip().rstrip(".") for part in _WORDS.split(text.strip())]
        if len(parts) >= 2 and all(_WORD.match(part) for part in parts):
            words.update(part.lower() for part in parts)
    return words


def check_grade(grade: str, scheme: Mapping[str, str] | None) -> str:
    """The grade trimmed and checked against ``scheme``; :class:`LearnerInputError` if not."""
    value = grade.strip()
    if not value:
        raise LearnerInputError("grade", "grade-empty", "the grade is empty; leave it out instead")
    if len(value) > MAX_GRADE_LENGTH:
        raise LearnerInputError(
            "grade", "grade-too-long", f"the grade is longer than {MAX_GRADE_LENGTH} characters"
        )
    if not scheme:
        return value
    bounds = grade_range(scheme)
    if bounds is not None:
        low, high = bounds
        if not re.fullmatch(_NUMBER, value) or not low <= _number(value) <= high:
            raise LearnerInputError(
                "grade",
                "grade-not-in-scheme",
                f"the grade {value!r} is not a number from {low:g} to {high:g}, as the "
                "specification's grade scheme requires",
            )
        return value
    words = allowed_grades(scheme)
    if words and value.lower() not in words:
        raise LearnerInputError(
            "grade",
            "grade-not-in-scheme",
            f"the grade {value!r} is not one of the specification's grades: "
            f"{', '.join(sorted(words))}",
        )
    return value
