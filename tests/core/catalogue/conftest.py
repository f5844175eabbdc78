"""A small hand-made catalogue with known answers, and a brute-force reference search.

The reference (:func:`brute_force`) answers the same questions as the index by looping over the
entries in plain Python, so every facet count the engine gives can be checked against it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import pytest

from microcred.catalogue import FACETS, CatalogueEntry, SearchIndex, SearchQuery
from microcred.catalogue.schema import facet_values

P = {
    "uu": ("uu", "Utrecht University", "university"),
    "tum": ("tum", "Technische Universität München", "university"),
    "acme": ("acme", "Acme Training", "company"),
    "green": ("green", "Green Skills Network", "ngo"),
    "ams": ("ams", "Arbeitsmarktservice", "public-body"),
    "coop": ("coop", "Makers Cooperative", "other"),
}


def _e(
    eid: str,
    title: dict[str, str],
    prov: str,
    countries: list[str],
    fields: list[str],
    eqf: int | None,
    ects: float | None,
    mode: str | None,
    langs: list[str],
    qa: bool,
    stack: str | None,
    assess: list[str],
    updated: str,
    outcomes: list[str],
) -> CatalogueEntry:
    provider_id, provider_name, kind = P[prov]
    return CatalogueEntry(
        id=eid,
        title=title,
        description={"en": f"A micro-credential about {next(iter(title.values()))}."},
        outcomes=outcomes,
        provider_id=provider_id,
        provider_name=provider_name,
        provider_kind=kind,
        countries=countries,
        fields=fields,
        eqf=eqf,
        ects=ects,
        participation_mode=mode,
        languages=langs,
        quality_assured=qa,
        stackability=stack,
        assessment_types=assess,
        updated=updated,
    )


# Arguments of _e: id, title, provider, countries, fields, eqf, ects, mode, languages, qa,
# stackability, assessment, updated, outcomes.
ENTRIES: list[CatalogueEntry] = [
    _e("mc-01", {"en": "Data science basics"}, "uu", ["NL"], ["0613"], 6, 5.0, "online",
     ["en"], True, "stackable", ["project"], "2024-01-10", ["Clean a dataset with Python"]),
    _e("mc-02", {"en": "Applied data engineering", "nl": "Toegepaste data engineering"}, "uu",
     ["NL"], ["0612"], 7, 6.0, "blended", ["en", "nl"], True, "stackable",
     ["project", "written-exam"], "2024-02-11", ["Build a data pipeline"]),
    _e("mc-03", {"en": "Cybersecurity for small firms"}, "acme", ["IE"], ["0612"], 5, 2.0,
     "online", ["en"], False, "standalone", ["online-test"], "2023-11-01",
     ["Assess the security risks of a small business"]),
    _e("mc-04", {"de": "Nachhaltige Landwirtschaft", "en": "Sustainable farming"}, "green",
     ["DE", "AT"], ["0811"], 4, 3.0, "onsite", ["de"], False, "standalone",
     ["practical-demonstration"], "2024-03-05", ["Plan crop rotation for soil health"]),
    _e("mc-05", {"fr": "Données ouvertes et administration"}, "ams", ["AT"], ["0413", "0612"], 6,
     2.5, "online", ["fr", "de"], True, None, ["essay"], "2022-06-30",
     ["Publier des données ouvertes"]),
    _e("mc-06", {"en": "Solar energy installation"}, "tum", ["DE"], ["0713"], 5, 10.0, "onsite",
     ["de", "en"], True, "stackable", ["practical-demonstration", "written-exam"],
     "2024-05-20", ["Install a photovoltaic system safely"]),
    _e("mc-07", {"en": "Machine learning with Python"}, "tum", ["DE"], ["0613"], 7, 15.0,
     "blended", ["en"], True, "stackable", ["project"], "2024-06-01",
     ["Train and evaluate a classifier", "Explain bias in data"]),
    _e("mc-08", {"en": "Project management essentials"}, "acme", ["IE"], ["0413"], 5, 4.0,
     "online", ["en"], False, "standalone", ["online-test"], "2023-02-14",
     ["Plan a project with milestones"]),
    _e("mc-09", {"en": "Clinical data management"}, "uu", ["NL"], ["0912", "0612"], 7, 7.5,
     "online", ["en"], True, "stackable", ["essay", "project"], "2023-09-09",
     ["Manage clinical trial data"]),
    _e("mc-10", {"en": "Teaching with digital tools"}, "green", ["BE"], ["0114"], 6, 1.0,
     "online", ["en", "fr"], False, None, ["portfolio"], "2022-01-01",
     ["Design a lesson with digital tools"]),
    _e("mc-11", {"en": "Intercultural communication"}, "coop", ["BE"], ["0314"], None, None,
     "blended", ["en", "nl"], False, None, ["participation"], "2021-12-12",
     ["Work in diverse teams"]),
    _e("mc-12", {"en": "Physics of batteries"}, "tum", ["DE"], ["0533", "0713"], 7, 5.0,
     "onsite", ["de"], True, "standalone", ["written-exam", "oral-exam"], "2024-04-04",
     ["Explain lithium-ion battery chemistry"]),
    _e("mc-13", {"en": "Sustainable tourism"}, "green", ["AT"], ["1015"], 5, 20.0, "blended",
     ["de", "en"], False, "stackable", ["project"], "2023-07-07",
     ["Develop a sustainable tourism offer"]),
    _e("mc-14", {"en": "Spanish for health workers", "es": "Español para sanitarios"}, "coop",
     ["ES"], ["0231", "0912"], 3, 2.0, "online", ["es"], False, "standalone",
     ["oral-exam"], "2024-07-07", ["Talk with patients in Spanish"]),
    _e("mc-15", {"en": "Advanced database administration"}, "acme", ["IE"], ["0612"], 6, 30.0,
     "online", ["en"], False, "stackable", ["online-test", "project"], "2024-08-08",
     ["Tune database performance"]),
    _e("mc-16", {"en": "Renewable energy policy"}, "ams", ["AT"], ["0713", "0413"], 7, 60.0,
     "blended", ["de", "en"], True, "stackable", ["essay"], "2023-03-03",
     ["Compare renewable energy policies"]),
    _e("mc-17", {"en": "Web development bootcamp"}, "coop", ["ES", "PT"], ["0613"], 5, 45.0,
     "onsite", ["es", "pt", "en"], False, "stackable", ["artefact", "project"], "2024-09-09",
     ["Build a web application"]),
    _e("mc-18", {"en": "Introduction to ICT"}, "ams", ["AT"], ["06"], 3, 1.5, "online",
     ["de"], True, "standalone", ["self-assessment"], "2022-10-10",
     ["Use office software"]),
    _e("mc-19", {"en": "Network design"}, "tum", ["DE"], ["061"], 6, 12.0, "onsite", ["de"],
     True, None, ["written-exam"], "2023-05-05", ["Design a campus network"]),
    _e("mc-20", {"en": "Food safety in agriculture"}, "green", ["BE", "NL"], ["0811"], 4, 3.5,
     "blended", ["nl", "fr"], False, "standalone", ["work-based-assessment"], "2024-10-10",
     ["Apply food safety rules on the farm"]),
    _e("mc-21", {"en": "Data visualisation"}, "uu", ["NL"], ["0613"], 6, 3.0, "online",
     ["en"], True, "stackable", ["portfolio"], "2024-11-11",
     ["Choose the right chart for the data"]),
    _e("mc-22", {"en": "Leadership in public administration"}, "ams", ["AT"], ["0413"], 7,
     8.0, "blended", ["de"], True, "standalone", ["essay", "presentation"], "2021-01-01",
     ["Lead a team in the public sector"]),
    _e("mc-23", {"en": "Chemical process safety"}, "tum", ["DE"], ["0711"], 7, 5.0, "onsite",
     ["de", "en"], True, "stackable", ["written-exam"], "2023-12-12",
     ["Run a hazard analysis"]),
    _e("mc-24", {"en": "Digital marketing"}, "acme", ["IE"], ["0488"], None, 2.0, "online",
     ["en"], False, None, [], "2022-02-02", ["Run a social media campaign"]),
    _e("mc-25", {"en": "Soil science"}, "green", ["DE"], ["0811", "0533"], 6, 5.5, "onsite",
     ["de"], False, "stackable", ["practical-demonstration"], "2024-12-01",
     ["Analyse soil samples"]),
    _e("mc-26", {"en": "Python programming for beginners"}, "coop", ["PT"], ["0613"], 4, 4.5,
     "online", ["pt", "en"], False, "standalone", ["online-test"], "2023-08-08",
     ["Write small Python programs"]),
    _e("mc-27", {"en": "Medical statistics"}, "uu", ["NL"], ["0912"], 8, 10.0, "blended",
     ["en"], True, "stackable", ["written-exam"], "2024-02-29",
     ["Apply survival analysis to clinical data"]),
    _e("mc-28", {"en": "Wind turbine maintenance"}, "acme", ["IE", "NL"], ["0713"], 4, 14.5,
     "onsite", ["en"], False, "stackable", ["practical-demonstration", "online-test"],
     "2023-06-06", ["Inspect turbine blades"]),
    _e("mc-29", {"en": "Open science practices"}, "uu", ["NL"], ["0314", "0688"], 8, 2.0,
     "online", ["en", "nl"], True, "standalone", ["essay"], "2022-12-12",
     ["Share research data openly"]),
    _e("mc-30", {"en": "Energy auditing of buildings"}, "ams", ["AT", "DE"], ["0713"], 6, 9.5,
     None, ["de"], True, "stackable", ["project"], "2024-01-20",
     ["Audit the energy use of a building"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> Iterator[SearchIndex]:
    """One in-memory index of :data:`ENTRIES`, shared by the read-only tests of a module."""
    idx = SearchIndex()
    idx.rebuild(ENTRIES)
    yield idx


# -- brute-force reference -----------------------------------------------------------------


def words(text: str) -> set[str]:
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    return set(re.findall(r"[a-z0-9]+", folded))


def _text_of(entry: CatalogueEntry) -> set[str]:
    parts = [*entry.title.values(), *(entry.description or {}).values(), *entry.outcomes]
    return set().union(*(words(p) for p in [*parts, entry.provider_name]))


def _passes(entry: CatalogueEntry, query: SearchQuery, exclude: str | None) -> bool:
    wanted = words(query.text)
    if wanted and not wanted <= _text_of(entry):
        return False
    values = facet_values(entry)
    for facet, selected in query.filters.items():
        if facet != exclude and not set(selected) & set(values[facet]):
            return False
    if exclude != "ects" and (query.ects_min is not None or query.ects_max is not None):
        if entry.ects is None:
            return False
        if query.ects_min is not None and entry.ects < query.ects_min:
            return False
        if query.ects_max is not None and entry.ects > query.ects_max:
            return False
    return True


def brute_force(
    entries: list[CatalogueEntry], query: SearchQuery
) -> tuple[set[str], dict[str, dict[str, int]]]:
    """Matching ids and disjunctive facet counts, computed the slow obvious way.

    ``facet_values`` is shared with the index on purpose: what an entry contributes to a
    facet (e.g. the ISCED broader codes) is tested separately; here the *counting* is checked.
    """
    ids = {e.id for e in entries if _passes(e, query, None)}
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        own = facet in query.filters or (
            facet == "ects" and (query.ects_min is not None or query.ects_max is not None)
        )
        counter: Counter[str] = Counter()
        for e in entries:
            if _passes(e, query, facet if own else None):
                counter.update(facet_values(e)[facet])
        counts[facet] = dict(counter)
    return ids, counts
