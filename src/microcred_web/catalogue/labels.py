"""Words for codes, and the visitor's language.

Codes (ISCED-F "0613", EQF "6", "blended") are what the index and the URLs carry; people read
labels. Keeping every code -> words rule here means the search page, the specification page and
the provider page say the same thing for the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.http import HttpRequest
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header

from microcred.catalogue import ECTS_BUCKETS
from microcred.register.standing import ACTIVITY_LABELS, DECISION_LABELS
from microcred.standard.vocab import vocabulary
from microcred_web.register.models import EsgActivity, ProviderKind

#: The language the page furniture (headings, labels) is written in.
PAGE_LANGUAGE = "en"

FACET_LABELS: dict[str, str] = {
    "field": "Field of study",
    "eqf": "EQF level",
    "ects": "Workload (ECTS)",
    "mode": "Form of participation",
    "language": "Language",
    "country": "Country",
    "provider_kind": "Kind of provider",
    "qa": "Quality assurance",
    "stackability": "Stackability",
    "assessment": "Assessment",
    "provider": "Provider",
}

#: Facet -> vocabulary whose labels name its values.
_FACET_VOCAB = {
    "field": "isced-f",
    "eqf": "eqf",
    "mode": "participation-modes",
    "language": "languages",
    "country": "countries",
    "stackability": "stackability",
    "assessment": "assessment-types",
}

SORT_LABELS: dict[str, str] = {
    "relevance": "Best match",
    "title": "Title (A to Z)",
    "ects": "Workload (smallest first)",
    "newest": "Newest first",
}

_QA_VALUES = {"yes": "Quality assured today", "no": "Not quality assured today"}
_KINDS = dict(ProviderKind.choices)
_ACTIVITIES = dict(EsgActivity.choices)


def _ects_bucket_label(value: str) -> str | None:
    for label, low, high in ECTS_BUCKETS:
        if label != value:
            continue
        if low == float("-inf"):
            return f"Under {high:g} ECTS"
        if high == float("inf"):
            return f"{low:g} ECTS or more"
        return f"{low:g} to under {high:g} ECTS"
    return None


def code_label(vocab: str, code: str | None) -> str:
    """The vocabulary label of a code, or the code itself when the vocabulary lacks it."""
    if not code:
        return ""
    term = vocabulary(vocab).get(code)
    return term.label if term is not None else code


def facet_value_label(facet: str, value: str, providers: Mapping[str, str] | None = None) -> str:
    """What a facet value says in words; ``providers`` maps provider ids to names."""
    if facet == "eqf":
        return code_label("eqf", value) if value in vocabulary("eqf") else f"Level {value}"
    if facet == "field":
        label = code_label("isced-f", value)
        return f"{label} ({value})" if label != value else value
    if facet in _FACET_VOCAB:
        return code_label(_FACET_VOCAB[facet], value)
    if facet == "ects":
        return _ects_bucket_label(value) or value
    if facet == "qa":
        return _QA_VALUES.get(value, value)
    if facet == "provider_kind":
        return _KINDS.get(value, value)
    if facet == "provider" and providers is not None:
        return providers.get(value, value)
    return value


def kind_label(kind: str) -> str:
    return _KINDS.get(kind, kind)


def activity_label(activity: str) -> str:
    return ACTIVITY_LABELS.get(activity) or _ACTIVITIES.get(activity, activity)


def decision_label(decision: str) -> str:
    text = DECISION_LABELS.get(decision, decision)
    return text[:1].upper() + text[1:]


def ects_text(ects: float | None) -> str:
    """2.5 -> "2.5", 5.0 -> "5": workloads are often whole but fractions are real."""
    return "" if ects is None else f"{ects:g}"


_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)?$"
)
_DURATION_WORDS = {
    "years": lambda n: ngettext("%(n)d year", "%(n)d years", n),
    "months": lambda n: ngettext("%(n)d month", "%(n)d months", n),
    "weeks": lambda n: ngettext("%(n)d week", "%(n)d weeks", n),
    "days": lambda n: ngettext("%(n)d day", "%(n)d days", n),
    "hours": lambda n: ngettext("%(n)d hour", "%(n)d hours", n),
    "minutes": lambda n: ngettext("%(n)d minute", "%(n)d minutes", n),
}


def duration_text(value: str | None) -> str:
    """An ISO 8601 duration in words ("P6W" -> "6 weeks"); an odd value is shown as given."""
    if not value:
        return ""
    match = _DURATION.match(value.strip())
    if match is None or not any(match.groupdict().values()):
        return value
    parts = [
        _DURATION_WORDS[unit](int(n)) % {"n": int(n)}
        for unit, n in match.groupdict().items()
        if n is not None
    ]
    return ", ".join(parts)


# -- the visitor's language ---------------------------------------------------------------------

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def visitor_languages(request: HttpRequest) -> list[str]:
    """Languages to show text in, best first: ``?lang=``, then Accept-Language, then English.

    ``?lang=`` comes first so that a shared link shows what its sender saw.
    """
    wanted: list[str] = []
    explicit = request.GET.get("lang", "").strip()
    if _TAG.match(explicit):
        wanted.append(explicit.lower())
    header = request.headers.get("Accept-Language", "")[:500]
    for tag, _quality in parse_accept_lang_header(header):
        if tag != "*" and _TAG.match(tag):
            wanted.append(tag.lower())
    wanted.append(PAGE_LANGUAGE)
    return list(dict.fromkeys(wanted))


def pick(text: Mapping[str, str] | None, languages: Iterable[str]) -> tuple[str, str]:
    """(language, text) of a language map in the first wanted language it has.

    Matching is exact first, then on the primary subtag ("fr-BE" takes "fr" and "fr" takes
    "fr-CA"); English, then any language, when none matches. ("", "") for an empty map.
    """
    if not text:
        return "", ""
    present = {k.lower(): k for k, v in text.items() if v}
    if not present:
        return "", ""
    for lang in languages:
        if lang in present:
            key = present[lang]
            return key, text[key]
        primary = lang.split("-")[0]
        for low, key in present.items():
            if low.split("-")[0] == primary:
                return key, text[key]
    key = present.get(PAGE_LANGUAGE) or present[sorted(present)[0]]
    return key, text[key]
