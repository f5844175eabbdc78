"""Search across languages: stemming per language, folding, and compounds through n-grams.

Every case is a real word in one of the eight catalogue languages, in a form (inflection,
compound, missing accent) that differs from the title's. Each case is also run against a
*plain* index, one that only splits, lowercases and folds accents (the analysis the catalogue
had before decision 0021), and must miss there: the cases test the language-aware analysis,
not what any tokenizer would find.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tantivy

from microcred.catalogue import CatalogueEntry, SearchIndex, SearchQuery
from microcred.catalogue.schema import SCHEMA_VERSION
from microcred.catalogue.search import index_directory

#: (query, language of the title, title). The query must find the title; a plain folding
#: index must not.
CASES: list[tuple[str, str, str]] = [
    # German: compounds and inflection
    ("Roboter", "de", "Programmierung von Industrierobotern"),
    ("Landwirtschaft", "de", "Landwirtschaftliche Betriebe führen"),
    ("Energie", "de", "Erneuerbare Energien im Quartier"),
    ("energie", "de", "Energiewende in Kommunen"),
    ("Pflegekraft", "de", "Weiterbildung für Pflegekräfte"),
    # English: inflection and derivation
    ("management", "en", "Managing renewable projects"),
    ("robots", "en", "Industrial robotics"),
    ("energie", "en", "Energy storage"),
    # French: plurals, accents
    ("reseau", "fr", "Sécurité des réseaux"),
    ("donnee", "fr", "Analyse des données"),
    ("energie", "fr", "Transition énergétique"),
    # Spanish
    ("energia", "es", "Energías renovables"),
    ("gestiones", "es", "Gestión de proyectos"),
    # Italian
    ("energia", "it", "Energie rinnovabili"),
    ("rinnovabile", "it", "Fonti rinnovabili"),
    # Portuguese
    ("energia", "pt", "Energias renováveis"),
    ("formações", "pt", "Formação de formadores"),
    # Dutch
    ("opleiding", "nl", "Opleidingen in de zorg"),
    ("energie", "nl", "Energietransitie in de gemeente"),
    # Polish: no Snowball stemmer; the light stemmer meets the cases
    ("energia", "pl", "Odnawialne źródła energii"),
    ("zarządzanie", "pl", "Kurs zarządzania projektami"),
    ("bezpieczenstwo", "pl", "Bezpieczeństwa sieci komputerowych"),
]

#: Titles no case above should find (a word sharing letters with the queries).
DISTRACTORS: list[tuple[str, str]] = [
    ("en", "Synergy in teams"),
    ("en", "Database administration"),
    ("de", "Robuste Gesundheit"),
]


def _entries() -> list[CatalogueEntry]:
    cases = [CatalogueEntry(id=f"case-{i:02d}", title={lang: title}) for i, (_, lang, title) in
             enumerate(CASES)]  # fmt: skip
    others = [
        CatalogueEntry(id=f"other-{i}", title={lang: title})
        for i, (lang, title) in enumerate(DISTRACTORS)
    ]
    return cases + others


@pytest.fixture(scope="module")
def multilingual() -> SearchIndex:
    index = SearchIndex()
    index.rebuild(_entries())
    return index


def _ids(index: SearchIndex, text: str) -> list[str]:
    return [h.id for h in index.search(SearchQuery(text=text, per_page=100)).hits]


def _plain_ids(entries: list[CatalogueEntry], text: str) -> set[str]:
    """The same search on an index that only splits, lowercases and folds accents."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="plain")
    index = tantivy.Index(builder.build())
    index.register_tokenizer(
        "plain",
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build(),
    )
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for entry in entries:
        writer.add_document(tantivy.Document(id=entry.id, title=list(entry.title.values())))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    query = index.parse_query(text, ["title"])
    return {searcher.doc(a)["id"][0] for _, a in searcher.search(query, limit=100).hits}


@pytest.mark.parametrize(
    ("case", "query", "title"),
    [(f"case-{i:02d}", q, t) for i, (q, _, t) in enumerate(CASES)],
    ids=[f"{lang}:{q}->{t}" for q, lang, t in CASES],
)
def test_word_finds_its_other_forms_across_languages(
    multilingual: SearchIndex, case: str, query: str, title: str
) -> None:
    assert case in _ids(multilingual, query)
    # Without the language-aware analysis the same words miss:
    assert case not in _plain_ids(_entries(), query)


def test_roboter_finds_industrieroboter(multilingual: SearchIndex) -> None:
    """The issue's own example, and nothing unrelated with it."""
    found = {
        next(iter(e.title.values())) for e in _entries() if e.id in _ids(multilingual, "Roboter")
    }
    assert found == {"Programmierung von Industrierobotern", "Industrial robotics"}


def test_energie_finds_the_energy_courses_in_every_language(multilingual: SearchIndex) -> None:
    energy = {f"case-{i:02d}" for i, (_, _, title) in enumerate(CASES) if "nerg" in title.lower()}
    assert len(energy) == 9  # de (2), en, fr, es, it, pt, nl, pl
    found = set(_ids(multilingual, "energie"))
    assert energy <= found
    assert not {"other-0", "other-1", "other-2"} & found  # "Synergy" shares letters only


def test_short_words_do_not_match_inside_longer_ones(multilingual: SearchIndex) -> None:
    # "data" is too short for the n-gram clause: it would find "database", "update", ...
    assert "other-1" not in _ids(multilingual, "data")


def test_exact_and_stemmed_matches_rank_above_compound_matches() -> None:
    index = SearchIndex()
    index.rebuild(
        [
            CatalogueEntry(id="compound", title={"de": "Programmierung von Industrierobotern"}),
            CatalogueEntry(id="inflected", title={"de": "Mit Robotern arbeiten"}),
            CatalogueEntry(id="exact", title={"de": "Roboter programmieren"}),
            CatalogueEntry(id="other-language", title={"en": "Robot programming"}),
        ]
    )
    hits = index.search(SearchQuery(text="Roboter")).hits
    order = [h.id for h in hits]
    assert set(order[:3]) == {"exact", "inflected", "other-language"}
    assert order[3] == "compound"
    assert hits[3].score is not None and hits[2].score is not None
    assert hits[3].score < hits[2].score


def test_every_word_is_required_through_any_of_its_forms(multilingual: SearchIndex) -> None:
    assert _ids(multilingual, "Weiterbildung Pflegekraft") == ["case-04"]
    assert _ids(multilingual, "Weiterbildung Roboter") == []


def test_language_tags_with_a_region_use_the_language_stemmer() -> None:
    index = SearchIndex()
    index.rebuild([CatalogueEntry(id="at", title={"de-AT": "Erneuerbare Energien"})])
    assert _ids(index, "Energie") == ["at"]


def test_phrases_are_stemmed_per_language(multilingual: SearchIndex) -> None:
    assert _ids(multilingual, '"erneuerbare energie"') == ["case-02"]
    assert _ids(multilingual, '"energie erneuerbare"') == []


def test_descriptions_are_stemmed_in_their_language() -> None:
    index = SearchIndex()
    index.rebuild(
        [
            CatalogueEntry(
                id="pl",
                title={"en": "Course"},
                description={"pl": "Kurs o odnawialnych źródłach energii"},
            )
        ]
    )
    assert _ids(index, "energia") == ["pl"]


# -- the index of an older schema version -----------------------------------------------------


def _legacy_index(root: Path) -> None:
    """An index as version 1 left it: tantivy's files directly in the index directory."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw")
    builder.add_text_field("title")
    index = tantivy.Index(builder.build(), path=str(root))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(id="old", title="Old entry"))
    writer.commit()
    writer.wait_merging_threads()


def test_an_index_of_an_older_schema_is_not_read_and_is_removed_after_rebuild(
    tmp_path: Path,
) -> None:
    root = tmp_path / "index"
    root.mkdir()
    _legacy_index(root)
    stale = root / "schema-1"
    stale.mkdir()
    (stale / "meta.json").write_text("{}")
    (root / "writer.lock").write_text("")  # the web layer's lock file stays
    legacy = json.loads((root / ".managed.json").read_bytes())
    assert legacy and all((root / name).exists() for name in legacy)

    index = SearchIndex(root)
    assert index.count() == 0  # a new, empty index: the web layer rebuilds it from the rows
    index.rebuild([CatalogueEntry(id="new", title={"de": "Industrieroboter"})])
    assert _ids(index, "Roboter") == ["new"]
    assert index_directory(root) == root / f"schema-{SCHEMA_VERSION}"
    assert not stale.exists()
    assert not (root / ".managed.json").exists()
    assert not any((root / name).exists() for name in legacy)
    assert (root / "writer.lock").exists()
    index.close()
    assert SearchIndex(root).count() == 1  # and the new version reopens
