"""What the catalogue index needs to know about one published specification.

The index is a derived copy of the database: it is rebuilt from rows at any time. Keeping its
input a small, frozen, database-free record (rather than a Django model or the full Annex I
model) lets the web layer, the bench and the tests all feed it the same way, and makes the
index's contract explicit: anything not in :class:`CatalogueEntry` cannot be searched or
faceted on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from microcred.standard.model import LangMap, MicroCredentialSpec
from microcred.standard.vocab import vocabulary

__all__ = ["ECTS_BUCKETS", "CatalogueEntry", "ects_bucket", "entry_from_spec", "isced_with_broader"]

#: ECTS facet buckets: (label, lower bound inclusive, upper bound exclusive). The cut points
#: follow the ranges learners and recognition officers talk about (most systems aim at 5-15;
#: 60 is where DEQAR stops calling a programme a micro-credential).
ECTS_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("<3", float("-inf"), 3.0),
    ("3-5", 3.0, 5.0),
    ("5-10", 5.0, 10.0),
    ("10-15", 10.0, 15.0),
    ("15-30", 15.0, 30.0),
    ("30-60", 30.0, 60.0),
    ("60+", 60.0, float("inf")),
)


def ects_bucket(ects: float | None) -> str | None:
    """Name the ECTS bucket a workload falls in; None when the workload is not given."""
    if ects is None:
        return None
    for label, low, high in ECTS_BUCKETS:
        if low <= ects < high:
            return label
    return None  # NaN: no bucket rather than a wrong one


def isced_with_broader(code: str) -> list[str]:
    """The code and every broader ISCED-F code above it, narrowest first.

    Indexing the whole chain is what lets a learner filter on the broad field "06" (ICT) and
    find a course filed under the detailed field "0613". Codes unknown to the vocabulary are
    kept as given, so a newer code still reaches the index instead of vanishing.
    """
    return list(_isced_chain(code))


@functools.lru_cache(maxsize=4096)
def _isced_chain(code: str) -> tuple[str, ...]:
    # Cached: indexing a million entries asks for the same few hundred codes over and over.
    isced = vocabulary("isced-f")
    chain = [code]
    seen = {code}
    term = isced.get(code)
    while term is not None and term.broader is not None and term.broader not in seen:
        chain.append(term.broader)
        seen.add(term.broader)
        term = isced.get(term.broader)
    return tuple(chain)


@dataclass(frozen=True)
class CatalogueEntry:
    """One published specification as the search index sees it.

    ``quality_assured`` is the provider's QA standing *today*, computed by the register, because
    the index cannot know dates and QA results; the caller re-upserts entries when it changes.
    ``updated`` is an ISO date (``YYYY-MM-DD``, a longer ISO timestamp is cut to its date) used
    for the "newest" sort; it is checked here so that a bad row fails when it is built, not in
    the middle of a bulk indexing run.
    """

    id: str
    title: LangMap
    description: LangMap | None = None
    outcomes: list[str] = field(default_factory=list)
    provider_id: str = ""
    provider_name: str = ""
    provider_kind: str = "other"
    countries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    eqf: int | None = None
    ects: float | None = None
    participation_mode: str | None = None
    languages: list[str] = field(default_factory=list)
    quality_assured: bool = False
    stackability: str | None = None
    assessment_types: list[str] = field(default_factory=list)
    updated: str = "1970-01-01"

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a catalogue entry needs a non-empty id")
        date.fromisoformat(self.updated[:10])  # raises ValueError on a malformed date

    @property
    def updated_ordinal(self) -> int:
        """The update date as a day number, the cheapest thing for the index to sort on."""
        return date.fromisoformat(self.updated[:10]).toordinal()


def _eqf_of(spec: MicroCredentialSpec) -> int | None:
    """EQF level, or the level implied by the QF-EHEA cycle when only the cycle is given.

    Many higher-education providers state the Bologna cycle and not the EQF level; the
    correspondence (short/first/second/third = EQF 5/6/7/8) is fixed, so the facet can still
    place them.
    """
    if spec.level is None:
        return None
    if spec.level.eqf is not None:
        return spec.level.eqf
    if spec.level.qf_ehea is not None:
        term = vocabulary("qf-ehea").get(spec.level.qf_ehea)
        implied = term.extra.get("eqf") if term is not None else None
        if isinstance(implied, int):
            return implied
    return None


def _unique(values: list[str]) -> list[str]:
    # Duplicates would be harmless in the index but confusing in a hit's display data.
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def entry_from_spec(
    public_id: str,
    spec: MicroCredentialSpec,
    *,
    provider_id: str,
    provider_name: str,
    provider_kind: str,
    quality_assured: bool,
    updated: str,
) -> CatalogueEntry:
    """Project an Annex I specification onto what the catalogue searches and facets on.

    Provider data and QA standing come from the register, not from the specification, because
    the specification's own awarding-body text is what the provider *claims*, while the
    catalogue shows what the register *knows*.
    """
    outcomes = [text for lo in spec.learning_outcomes for text in lo.text.values() if text]
    return CatalogueEntry(
        id=public_id,
        title=dict(spec.title),
        description=dict(spec.description) if spec.description else None,
        outcomes=outcomes,
        provider_id=provider_id,
        provider_name=provider_name,
        provider_kind=provider_kind,
        countries=_unique([c.upper() for c in spec.issuer_countries]),
        fields=_unique(spec.fields_of_study),
        eqf=_eqf_of(spec),
        ects=spec.workload.ects if spec.workload is not None else None,
        participation_mode=spec.participation.mode if spec.participation is not None else None,
        languages=_unique(spec.languages),
        quality_assured=quality_assured,
        stackability=spec.stackability.option if spec.stackability is not None else None,
        assessment_types=_unique(spec.assessment.types) if spec.assessment is not None else [],
        updated=updated,
    )
