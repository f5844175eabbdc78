"""The catalogue search service against a hand-made catalogue with known answers.

Facet counts are checked against a brute-force count over the same entries (conftest), for
hand-picked and for hypothesis-generated combinations of text, filters and ECTS range.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.catalogue import (
    FACETS,
    MAX_TEXT_LENGTH,
    CatalogueEntry,
    SearchIndex,
    SearchIndexError,
    SearchQuery,
    SearchQueryError,
    SearchResult,
    ects_bucket,
    entry_from_spec,
    isced_with_broader,
)
from microcred.catalogue.schema import facet_values
from microcred.standard.model import MicroCredentialSpec

from .conftest import ENTRIES, brute_force


def ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def all_ids(index: SearchIndex, query: SearchQuery) -> set[str]:
    """Every matching id, across pages."""
    found: set[str] = set()
    page = 1
    while True:
        result = index.search(
            SearchQuery(
                text=query.text,
                filters=query.filters,
                ects_min=query.ects_min,
                ects_max=query.ects_max,
                page=page,
                per_page=100,
            )
        )
        found.update(ids(result))
        if page >= result.pages:
            return found
        page += 1


def counts(result: SearchResult) -> dict[str, dict[str, int]]:
    # Selected values are listed with count 0 when nothing matches; brute force omits them.
    return {
        facet: {fc.value: fc.count for fc in values if fc.count}
        for facet, values in result.facets.items()
    }


def assert_matches_brute_force(index: SearchIndex, query: SearchQuery) -> None:
    expected_ids, expected_counts = brute_force(ENTRIES, query)
    result = index.search(query)
    assert result.total == len(expected_ids)
    assert all_ids(index, query) == expected_ids
    assert counts(result) == expected_counts


# -- text ----------------------------------------------------------------------------------


def test_text_query_finds_title_words(index: SearchIndex) -> None:
    result = index.search(SearchQuery(text="python"))
    assert set(ids(result)) == {"mc-01", "mc-07", "mc-26"}


def test_title_matches_rank_above_outcome_matches(index: SearchIndex) -> None:
    # "python" is in the titles of mc-07 and mc-26 but only in an outcome of mc-01.
    result = index.search(SearchQuery(text="python"))
    assert ids(result)[-1] == "mc-01"
    assert all(hit.score is not None and hit.score > 0 for hit in result.hits)


def test_words_are_all_required(index: SearchIndex) -> None:
    assert set(ids(index.search(SearchQuery(text="data management")))) == {"mc-09"}


def test_accents_and_case_are_folded(index: SearchIndex) -> None:
    for text in ("données", "DONNEES", "donnees"):
        assert ids(index.search(SearchQuery(text=text))) == ["mc-05"]


def test_other_languages_of_the_title_are_searched(index: SearchIndex) -> None:
    assert ids(index.search(SearchQuery(text="Landwirtschaft"))) == ["mc-04"]
    assert ids(index.search(SearchQuery(text="sanitarios"))) == ["mc-14"]


def test_provider_name_is_searched(index: SearchIndex) -> None:
    assert set(ids(index.search(SearchQuery(text="arbeitsmarktservice")))) == {
        e.id for e in ENTRIES if e.provider_id == "ams"
    }


def test_phrase_query(index: SearchIndex) -> None:
    assert ids(index.search(SearchQuery(text='"sustainable tourism"'))) == ["mc-13"]
    assert ids(index.search(SearchQuery(text='"tourism sustainable"'))) == []


@pytest.mark.parametrize(
    "text",
    [
        "AND OR (",
        '"unbalanced quote',
        "title:",
        ":::",
        "foo^",
        "+-",
        "\\",
        "NOT",
        "()",
        "IN [",
        "-data",
        "c++: basics",
        "iso:9001 data",
        "ects:>3",
        "body:[0 TO",
        "*",
        "~2",
        "\x00",
        "data AND",
        "🙂 données",
        "x" * MAX_TEXT_LENGTH,
    ],
)
def test_malformed_text_never_raises(index: SearchIndex, text: str) -> None:
    result = index.search(SearchQuery(text=text))
    assert result.total >= 0
    assert set(result.facets) == set(FACETS)


def test_malformed_text_falls_back_to_its_words(index: SearchIndex) -> None:
    # The unbalanced quote makes the parser refuse; both words are still required.
    assert set(ids(index.search(SearchQuery(text='data "science')))) == {"mc-01", "mc-29"}
    assert set(ids(index.search(SearchQuery(text="python: (")))) == {"mc-01", "mc-07", "mc-26"}


def test_text_without_words_matches_everything(index: SearchIndex) -> None:
    assert index.search(SearchQuery(text="?! ()")).total == len(ENTRIES)


# -- filters and facets --------------------------------------------------------------------


def test_no_query_lists_everything_with_counts(index: SearchIndex) -> None:
    assert_matches_brute_force(index, SearchQuery())
    result = index.search(SearchQuery())
    assert set(result.facets) == set(FACETS)
    qa = {fc.value: fc.count for fc in result.facets["qa"]}
    assert qa == {"yes": 16, "no": 14}
    assert sum(e.quality_assured for e in ENTRIES) == 16


def test_or_within_a_facet_and_across_facets(index: SearchIndex) -> None:
    de = {e.id for e in ENTRIES if "DE" in e.countries}
    at = {e.id for e in ENTRIES if "AT" in e.countries}
    onsite = {e.id for e in ENTRIES if e.participation_mode == "onsite"}
    both = SearchQuery(filters={"country": ["DE", "AT"]})
    assert all_ids(index, both) == de | at
    assert all_ids(index, SearchQuery(filters={"country": ["DE", "AT"], "mode": ["onsite"]})) == (
        (de | at) & onsite
    )


def test_broad_isced_field_finds_narrow_and_detailed_codes(index: SearchIndex) -> None:
    ict = all_ids(index, SearchQuery(filters={"field": ["06"]}))
    assert ict == {e.id for e in ENTRIES if any(f.startswith("06") for f in e.fields)}
    assert {"mc-01", "mc-18", "mc-19", "mc-29"} <= ict  # 0613, 06, 061, 0688
    narrow = all_ids(index, SearchQuery(filters={"field": ["061"]}))
    assert "mc-18" not in narrow  # filed under the broad field only
    assert "mc-29" not in narrow  # 0688 is under 068, not 061
    assert "mc-19" in narrow


def test_isced_chain() -> None:
    assert isced_with_broader("0613") == ["0613", "061", "06"]
    assert isced_with_broader("06") == ["06"]
    assert isced_with_broader("9999") == ["9999"]


def test_disjunctive_counts_ignore_the_facets_own_selection(index: SearchIndex) -> None:
    result = index.search(SearchQuery(filters={"eqf": ["6"]}))
    eqf = {fc.value: fc.count for fc in result.facets["eqf"]}
    # Every level keeps its count: ticking EQF 7 as well would add that many.
    assert eqf == dict(brute_force(ENTRIES, SearchQuery())[1]["eqf"])
    modes = {fc.value: fc.count for fc in result.facets["mode"]}
    assert sum(modes.values()) == sum(1 for e in ENTRIES if e.eqf == 6 and e.participation_mode)


def test_selected_value_with_no_match_is_listed_with_zero(index: SearchIndex) -> None:
    result = index.search(SearchQuery(text="python", filters={"country": ["FI"]}))
    assert result.total == 0
    assert {"value": "FI", "count": 0} in [vars(fc) for fc in result.facets["country"]]


def test_unknown_facet_value_matches_nothing(index: SearchIndex) -> None:
    assert index.search(SearchQuery(filters={"eqf": ["nine"]})).total == 0


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(filters={"qa": ["yes"], "field": ["07"]}),
        SearchQuery(text="data", filters={"eqf": ["6", "7"], "language": ["en"]}),
        SearchQuery(filters={"provider_kind": ["university", "ngo"], "ects": ["5-10"]}),
        SearchQuery(ects_min=3, ects_max=10, filters={"mode": ["online", "blended"]}),
        SearchQuery(text="energy", ects_min=10),
        SearchQuery(filters={"assessment": ["project"], "stackability": ["stackable"]}),
        SearchQuery(filters={"provider": ["tum", "uu"], "country": ["DE"]}),
        SearchQuery(filters={f: ["x"] for f in FACETS}),
    ],
)
def test_counts_equal_brute_force(index: SearchIndex, query: SearchQuery) -> None:
    assert_matches_brute_force(index, query)


def _values_of(facet: str) -> list[str]:
    return [*sorted({v for e in ENTRIES for v in facet_values(e)[facet]}), "zz-none"]


_filters = st.dictionaries(
    st.sampled_from(FACETS),
    st.just(None),
    max_size=4,
).flatmap(
    lambda chosen: st.fixed_dictionaries(
        {f: st.lists(st.sampled_from(_values_of(f)), min_size=1, max_size=3) for f in chosen}
    )
)
_bound = st.none() | st.sampled_from([0, 1.5, 2.5, 3, 5, 7.5, 10, 15, 30, 60])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.sampled_from(["", "", "data", "energy", "python", "safety", "de", "the"]),
    filters=_filters,
    low=_bound,
    high=_bound,
)
def test_counts_equal_brute_force_for_generated_queries(
    index: SearchIndex,
    text: str,
    filters: dict[str, list[str]],
    low: float | None,
    high: float | None,
) -> None:
    if low is not None and high is not None and low > high:
        low, high = high, low
    assert_matches_brute_force(
        index, SearchQuery(text=text, filters=filters, ects_min=low, ects_max=high)
    )


# -- ECTS ----------------------------------------------------------------------------------


def test_ects_buckets() -> None:
    assert [ects_bucket(x) for x in (0.5, 2.5, 3, 4.9, 5, 10, 14.5, 15, 30, 59.9, 60, 90)] == [
        "<3", "<3", "3-5", "3-5", "5-10", "10-15", "10-15", "15-30", "30-60", "30-60", "60+",
        "60+",
    ]  # fmt: skip
    assert ects_bucket(None) is None


def test_ects_range_is_inclusive_and_skips_unknown_workload(index: SearchIndex) -> None:
    found = all_ids(index, SearchQuery(ects_min=5, ects_max=10))
    assert found == {e.id for e in ENTRIES if e.ects is not None and 5 <= e.ects <= 10}
    assert "mc-11" not in all_ids(index, SearchQuery(ects_max=100))  # no ECTS given


def test_ects_facet_counts_ignore_the_range(index: SearchIndex) -> None:
    result = index.search(SearchQuery(ects_min=5, ects_max=10))
    assert counts(result)["ects"] == brute_force(ENTRIES, SearchQuery())[1]["ects"]


# -- sorting and paging --------------------------------------------------------------------


def test_sort_by_title(index: SearchIndex) -> None:
    result = index.search(SearchQuery(sort="title", per_page=100))
    titles = [h.title.get("en") or next(iter(h.title.values())) for h in result.hits]
    assert titles == sorted(titles, key=str.casefold)
    assert all(h.score is None for h in result.hits)


def test_sort_by_ects_puts_unknown_last(index: SearchIndex) -> None:
    hits = index.search(SearchQuery(sort="ects", per_page=100)).hits
    known = [h.ects for h in hits if h.ects is not None]
    assert known == sorted(known)
    assert hits[-1].id == "mc-11"


def test_sort_newest_and_default_without_text(index: SearchIndex) -> None:
    newest = [h.updated for h in index.search(SearchQuery(sort="newest", per_page=100)).hits]
    assert newest == sorted(newest, reverse=True)
    default = [h.updated for h in index.search(SearchQuery(per_page=100)).hits]
    assert default == newest


def test_pagination_covers_everything_once(index: SearchIndex) -> None:
    seen: list[str] = []
    for page in range(1, 5):
        result = index.search(SearchQuery(sort="newest", page=page, per_page=8))
        assert result.total == 30 and result.pages == 4
        seen.extend(ids(result))
    assert sorted(seen) == sorted(e.id for e in ENTRIES)
    assert index.search(SearchQuery(page=5, per_page=8)).hits == []


def test_hit_carries_display_data(index: SearchIndex) -> None:
    hit = index.search(SearchQuery(text="Nachhaltige")).hits[0]
    assert hit.id == "mc-04"
    assert hit.title == {"de": "Nachhaltige Landwirtschaft", "en": "Sustainable farming"}
    assert (hit.provider_name, hit.provider_kind, hit.ects, hit.eqf) == (
        "Green Skills Network",
        "ngo",
        3.0,
        4,
    )
    assert hit.countries == ("DE", "AT") and hit.quality_assured is False


# -- bad parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filters": {"colour": ["red"]}},
        {"filters": {"eqf": [6]}},
        {"page": 0},
        {"page": -1},
        {"per_page": 0},
        {"per_page": 101},
        {"page": 1000, "per_page": 100},
        {"sort": "random"},
        {"ects_min": 10, "ects_max": 5},
        {"ects_min": float("nan")},
        {"ects_max": -1},
        {"text": "x" * (MAX_TEXT_LENGTH + 1)},
    ],
)
def test_bad_parameters_raise_search_query_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(SearchQueryError):
        SearchQuery(**kwargs)  # type: ignore[arg-type]


def test_search_query_error_is_a_value_error() -> None:
    assert issubclass(SearchQueryError, ValueError)


def test_filters_are_normalised() -> None:
    query = SearchQuery(filters={"eqf": "6", "mode": [], "country": ["DE", " DE ", ""]})
    assert dict(query.filters) == {"eqf": ("6",), "country": ("DE",)}


# -- writing -------------------------------------------------------------------------------


def _fresh() -> SearchIndex:
    index = SearchIndex()
    index.rebuild(ENTRIES)
    return index


def test_upsert_replaces_without_duplicates() -> None:
    index = _fresh()
    changed = CatalogueEntry(
        id="mc-01", title={"en": "Quantum gardening"}, provider_id="uu", updated="2025-01-01"
    )
    assert index.upsert([changed, changed]) == 2
    index.commit()
    assert index.count() == 30
    assert ids(index.search(SearchQuery(text="quantum"))) == ["mc-01"]
    assert index.search(SearchQuery(text="python")).total == 2
    assert ids(index.search(SearchQuery(sort="newest", per_page=1))) == ["mc-01"]


def test_writes_are_invisible_until_commit() -> None:
    index = _fresh()
    index.upsert([CatalogueEntry(id="new", title={"en": "Brand new"})])
    index.delete(["mc-02"])
    assert index.count() == 30
    index.commit()
    assert index.count() == 30  # one added, one removed
    assert index.search(SearchQuery(text="brand")).total == 1
    assert index.search(SearchQuery(text="pipeline")).total == 0


def test_delete_unknown_id_is_ignored() -> None:
    index = _fresh()
    index.delete(["nope", "mc-03"])
    index.commit()
    assert index.count() == 29


def test_rebuild_replaces_everything() -> None:
    index = _fresh()
    assert index.rebuild(ENTRIES[:5]) == 5
    assert index.count() == 5
    assert index.rebuild([]) == 0
    assert index.search(SearchQuery()).total == 0
    assert index.rebuild(ENTRIES) == 30
    index.upsert(ENTRIES[:1])  # the writer comes back after rebuild released it
    index.commit()
    assert index.count() == 30


def test_on_disk_index_reopens_with_the_same_results(tmp_path: Path) -> None:
    queries = [
        SearchQuery(),
        SearchQuery(text="energy", filters={"country": ["DE", "AT"]}),
        SearchQuery(filters={"field": ["06"]}, sort="title", page=2, per_page=3),
    ]
    first = SearchIndex(tmp_path / "idx")
    first.rebuild(ENTRIES)
    before = [first.search(q) for q in queries]
    first.close()
    del first
    again = SearchIndex(tmp_path / "idx")
    assert again.count() == 30
    assert [again.search(q) for q in queries] == before


def test_reader_in_another_instance_sees_committed_writes(tmp_path: Path) -> None:
    writer = SearchIndex(tmp_path / "idx")
    writer.rebuild(ENTRIES)
    reader = SearchIndex(tmp_path / "idx")
    writer.delete(["mc-01"])
    writer.commit()
    assert writer.count() == 29  # the writing instance reads its own writes at once
    # Other readers reload by themselves shortly after a commit (tantivy watches meta.json).
    deadline = time.monotonic() + 10
    while reader.count() != 29 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.count() == 29


def test_second_writer_is_refused(tmp_path: Path) -> None:
    first = SearchIndex(tmp_path / "idx")
    first.upsert(ENTRIES[:1])
    second = SearchIndex(tmp_path / "idx")
    with pytest.raises(SearchIndexError):
        second.upsert(ENTRIES[:1])
    first.close()


def test_entry_needs_an_id_and_a_date() -> None:
    with pytest.raises(ValueError):
        CatalogueEntry(id="", title={})
    with pytest.raises(ValueError):
        CatalogueEntry(id="x", title={}, updated="yesterday")


# -- from the Annex I model ----------------------------------------------------------------


def test_entry_from_spec() -> None:
    spec = MicroCredentialSpec.model_validate(
        {
            "title": {"en": "Data stewardship", "fr": "Gestion des données"},
            "description": {"en": "About data."},
            "issuer_countries": ["nl"],
            "learning_outcomes": [
                {"text": {"en": "Write a plan", "fr": "Écrire un plan"}},
                {"text": {"en": "Apply FAIR"}},
            ],
            "workload": {"ects": 2.5},
            "level": {"qf_ehea": "second"},
            "assessment": {"types": ["project", "project"]},
            "participation": {"mode": "blended"},
            "stackability": {"option": "stackable"},
            "fields_of_study": ["0613"],
            "languages": ["en", "fr"],
        }
    )
    entry = entry_from_spec(
        "pub-1",
        spec,
        provider_id="uu",
        provider_name="Utrecht University",
        provider_kind="university",
        quality_assured=True,
        updated="2025-03-01T10:00:00Z",
    )
    assert entry.countries == ["NL"]
    assert entry.eqf == 7  # implied by the second cycle
    assert entry.ects == 2.5
    assert entry.outcomes == ["Write a plan", "Écrire un plan", "Apply FAIR"]
    assert entry.assessment_types == ["project"]
    index = SearchIndex()
    index.rebuild([entry])
    result = index.search(SearchQuery(text="ecrire", filters={"field": ["06"], "ects": ["<3"]}))
    assert ids(result) == ["pub-1"]


# -- counting on slot columns --------------------------------------------------------------


def test_two_codes_under_one_broad_field_count_the_document_once() -> None:
    index = SearchIndex()
    index.rebuild(
        [
            CatalogueEntry(id="a", title={"en": "A"}, fields=["0612", "0613"]),
            CatalogueEntry(id="b", title={"en": "B"}, fields=["0613"]),
            CatalogueEntry(id="c", title={"en": "C"}, fields=[]),
        ]
    )
    field = {fc.value: fc.count for fc in index.search(SearchQuery()).facets["field"]}
    assert field == {"06": 2, "061": 2, "0613": 2, "0612": 1}


def test_values_beyond_the_slots_are_counted_from_the_overflow_column() -> None:
    many = CatalogueEntry(
        id="many",
        title={"en": "Many"},
        countries=["AT", "BE", "DE", "FR", "NL"],  # 5 countries, 3 slots
        languages=["de", "en", "fr", "nl"],
        fields=["0613", "0521", "0413"],  # 9 values (3 levels x 3), 6 slots
    )
    few = CatalogueEntry(id="few", title={"en": "Few"}, countries=["NL"], fields=["0413"])
    index = SearchIndex()
    index.rebuild([many, few])
    for query in [SearchQuery(), SearchQuery(text="many"), SearchQuery(filters={"country": "NL"})]:
        result = index.search(query)
        country = {fc.value: fc.count for fc in result.facets["country"]}
        if query.text:
            assert country == {"AT": 1, "BE": 1, "DE": 1, "FR": 1, "NL": 1}
        else:
            assert country == {"AT": 1, "BE": 1, "DE": 1, "FR": 1, "NL": 2}
    field = {fc.value: fc.count for fc in index.search(SearchQuery()).facets["field"]}
    assert field == {
        "04": 2, "041": 2, "0413": 2, "05": 1, "052": 1, "0521": 1, "06": 1, "061": 1, "0613": 1
    }  # fmt: skip
    language = {fc.value: fc.count for fc in index.search(SearchQuery()).facets["language"]}
    assert language == {"de": 1, "en": 1, "fr": 1, "nl": 1}
    # Once no document overflows, the overflow column is no longer asked for, and nothing is lost.
    index.upsert([CatalogueEntry(id="many", title={"en": "Many"}, countries=["AT"])])
    index.commit()
    country = {fc.value: fc.count for fc in index.search(SearchQuery()).facets["country"]}
    assert country == {"AT": 1, "NL": 1}


def test_whole_catalogue_counts_follow_every_commit(tmp_path: Path) -> None:
    writer = SearchIndex(tmp_path / "idx")
    writer.rebuild(ENTRIES)
    reader = SearchIndex(tmp_path / "idx")
    before = reader.search(SearchQuery()).facets["qa"]  # cached for this index version
    assert before == writer.search(SearchQuery()).facets["qa"]
    writer.upsert([CatalogueEntry(id="new", title={"en": "New"}, quality_assured=False)])
    writer.commit()
    after = {fc.value: fc.count for fc in writer.search(SearchQuery()).facets["qa"]}
    assert after["no"] == {fc.value: fc.count for fc in before}.get("no", 0) + 1
    # Another instance notices the commit at its next search, without waiting.
    assert {fc.value: fc.count for fc in reader.search(SearchQuery()).facets["qa"]} == after
    single = reader.search(SearchQuery(filters={"qa": "no"})).facets["qa"]
    assert {fc.value: fc.count for fc in single} == after


def test_long_provider_facet_is_trimmed_but_keeps_the_selection() -> None:
    entries = [
        CatalogueEntry(id=f"e{i}", title={"en": "x"}, provider_id=f"p{i % 150:03d}")
        for i in range(300)
    ] + [CatalogueEntry(id="rare", title={"en": "x"}, provider_id="p-rare")]
    index = SearchIndex()
    index.rebuild(entries)
    listed = index.search(SearchQuery(filters={"provider": ["p-rare"]})).facets["provider"]
    assert len(listed) == 101
    assert {"value": "p-rare", "count": 1} in [vars(fc) for fc in listed]
    assert all(fc.count == 2 for fc in listed if fc.value != "p-rare")
