"""The flat CSV format: round trips, and clear answers for the files people really upload."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.standard.csv_format import (
    CSV_COLUMNS,
    MAX_FIELD_CHARS,
    MULTILINGUAL_COLUMNS,
    CsvFormatError,
    CsvRecord,
    read_csv,
    write_csv,
)
from microcred.standard.model import (
    Assessment,
    AwardingBody,
    LearningOutcome,
    Level,
    MicroCredentialSpec,
    Participation,
    QualityAssurance,
    Stackability,
    Workload,
)


def _write(specs: list[MicroCredentialSpec]) -> str:
    out = io.StringIO(newline="")
    write_csv(specs, out)
    return out.getvalue()


def _read(source: str | bytes) -> list[CsvRecord]:
    return list(read_csv(source))


def _one(text: str) -> CsvRecord:
    records = _read(text)
    assert len(records) == 1
    return records[0]


def _findings(record: CsvRecord) -> dict[str, str]:
    return {f.path: f.message for f in record.report}


def rich_spec() -> MicroCredentialSpec:
    """Every element CSV carries, in several languages; elements CSV cannot carry stay unset."""
    return MicroCredentialSpec(
        id="DS-101",
        title={"en": "Data stewardship", "fr": "Gestion des données", "pt-BR": "Gestão, dados"},
        description={"en": 'Line one\nline two, with "quotes"', "de": "Datenpflege"},
        issuer_countries=["NL", "BE"],
        issuer_regions=["Utrecht", "Flanders"],
        awarding_bodies=[
            AwardingBody(name={"en": "Utrecht University"}, id="did:web:uu.example", country="NL"),
            AwardingBody(name={"en": "KU Leuven; Faculty of Science"}, country="BE"),
            AwardingBody(name={"en": "Open Campus"}, id="https://oc.example/"),
        ],
        learning_outcomes=[
            LearningOutcome(
                text={"en": "Write a plan; then follow it", "fr": "Rédiger un plan"},
                esco_skill="http://data.europa.eu/esco/skill/abc",
            ),
            LearningOutcome(text={"en": "Apply FAIR", "fr": "Appliquer FAIR"}),
            LearningOutcome(
                text={"en": r"Use C:\data and a back\;slash"},
                esco_skill="http://data.europa.eu/esco/skill/def",
            ),
        ],
        workload=Workload(ects=2.5, hours=70),
        level=Level(eqf=7, qf_ehea="second", national={"nl": "niveau 7", "en": "level 7"}),
        assessment=Assessment(
            types=["project", "written-exam"], description={"en": "A project and an exam"}
        ),
        participation=Participation(mode="blended", scheduled=False),
        quality_assurance=[
            QualityAssurance(type="external-institutional", agency="NVAO"),
            QualityAssurance(type="internal"),
        ],
        prerequisites={"en": "A bachelor's degree"},
        supervision="supervised-onsite-id",
        grade_scheme={"en": "1-10", "nl": "1-10"},
        stackability=Stackability(option="stackable", towards={"en": "MSc Data Science"}),
        further_information={"fr": "Voir le site"},
        fields_of_study=["0613", "0542"],
        languages=["en", "nl"],
        duration="P3M",
        learning_setting="formal",
        url="https://uu.example/ds-101",
    )


# --- round trips -----------------------------------------------------------------------------


def test_rich_spec_round_trips() -> None:
    spec = rich_spec()
    record = _one(_write([spec]))
    assert record.row == 2
    assert list(record.report) == []
    assert record.spec == spec


def test_header_is_stable_english_first_then_alphabetical() -> None:
    header = _write([rich_spec()]).splitlines()[0].split(",")
    titles = [c for c in header if c.startswith("title@")]
    assert titles == ["title@en", "title@fr", "title@pt-BR"]
    assert [c for c in header if c.startswith("national_level@")] == [
        "national_level@en",
        "national_level@nl",
    ]
    bases = [c.partition("@")[0] for c in header]
    assert list(dict.fromkeys(bases)) == list(CSV_COLUMNS)


def test_multilingual_columns_absent_when_no_spec_uses_them() -> None:
    header = _write([MicroCredentialSpec(id="x")]).splitlines()[0].split(",")
    assert header == [c for c in CSV_COLUMNS if c not in MULTILINGUAL_COLUMNS]


def test_several_rows_and_bytes_with_bom() -> None:
    specs = [rich_spec(), MicroCredentialSpec(id="2", title={"fr": "Deux"})]
    data = ("\ufeff" + _write(specs)).encode("utf-8")
    records = _read(data)
    assert [r.row for r in records] == [2, 3]
    assert [r.spec for r in records] == specs


def test_binary_and_text_streams() -> None:
    text = _write([rich_spec()])
    from_binary = list(read_csv(io.BytesIO(text.encode("utf-8"))))
    from_text = list(read_csv(io.StringIO(text, newline="")))
    assert from_binary[0].spec == from_text[0].spec == rich_spec()


def test_write_with_bom_reads_back() -> None:
    out = io.StringIO(newline="")
    write_csv([rich_spec()], out, bom=True)
    assert out.getvalue().startswith("\ufeffid,")
    assert _one(out.getvalue()).spec == rich_spec()


def test_language_tags_differing_in_case_share_a_column() -> None:
    specs = [
        MicroCredentialSpec(title={"en": "One"}),
        MicroCredentialSpec(title={"EN": "Two"}),
    ]
    text = _write(specs)
    assert text.splitlines()[0].count("title@") == 1
    assert [r.spec.title for r in _read(text) if r.spec] == [{"en": "One"}, {"en": "Two"}]


_LANGS = st.sampled_from(["en", "fr", "de", "pt-BR", "sr-Latn"])
_TEXT = (
    st.text(
        alphabet=st.one_of(
            st.characters(exclude_categories=("Cs", "Cc")),
            st.sampled_from(list(';\\\n\r,"@ ')),
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
_OPT = st.none() | _TEXT
_LANGMAP = st.dictionaries(_LANGS, _TEXT, min_size=1, max_size=3)
_NUMBER = st.floats(allow_nan=False, allow_infinity=False)


def _some(*fields: object) -> bool:
    return any(f not in (None, [], {}) for f in fields)


_SPECS = st.builds(
    MicroCredentialSpec,
    id=_OPT,
    title=st.just({}) | _LANGMAP,
    description=st.none() | _LANGMAP,
    issuer_countries=st.lists(_TEXT, max_size=3),
    issuer_regions=st.lists(_TEXT, max_size=2),
    awarding_bodies=st.lists(
        st.builds(AwardingBody, name=_TEXT.map(lambda n: {"en": n}), id=_OPT, country=_OPT),
        max_size=3,
    ),
    learning_outcomes=st.lists(
        st.builds(LearningOutcome, text=_LANGMAP, esco_skill=_OPT), max_size=4
    ),
    workload=st.none()
    | st.builds(Workload, ects=st.none() | _NUMBER, hours=st.none() | _NUMBER).filter(
        lambda w: _some(w.ects, w.hours)
    ),
    level=st.none()
    | st.builds(
        Level, eqf=st.none() | st.integers(), qf_ehea=_OPT, national=st.none() | _LANGMAP
    ).filter(lambda lv: _some(lv.eqf, lv.qf_ehea, lv.national)),
    assessment=st.none()
    | st.builds(
        Assessment, types=st.lists(_TEXT, max_size=3), description=st.none() | _LANGMAP
    ).filter(lambda a: _some(a.types, a.description)),
    participation=st.none()
    | st.builds(Participation, mode=_OPT, scheduled=st.none() | st.booleans()).filter(
        lambda p: _some(p.mode, p.scheduled)
    ),
    quality_assurance=st.lists(
        st.builds(QualityAssurance, type=_OPT, agency=_OPT).filter(
            lambda q: _some(q.type, q.agency)
        ),
        max_size=3,
    ),
    prerequisites=st.none() | _LANGMAP,
    supervision=_OPT,
    grade_scheme=st.none() | _LANGMAP,
    stackability=st.none()
    | st.builds(Stackability, option=_OPT, towards=st.none() | _LANGMAP).filter(
        lambda s: _some(s.option, s.towards)
    ),
    further_information=st.none() | _LANGMAP,
    fields_of_study=st.lists(_TEXT, max_size=3),
    languages=st.lists(_TEXT, max_size=3),
    duration=_OPT,
    learning_setting=_OPT,
    url=_OPT,
).filter(lambda spec: spec != MicroCredentialSpec())  # an all-empty row is skipped on reading


@settings(max_examples=200, deadline=None)
@given(st.lists(_SPECS, min_size=1, max_size=3))
def test_property_read_of_write_is_identity(specs: list[MicroCredentialSpec]) -> None:
    records = _read(_write(specs))
    assert [f for r in records for f in r.report] == []
    assert [r.spec for r in records] == specs


# --- whole-file problems ---------------------------------------------------------------------


def test_empty_file() -> None:
    for empty in ("", b"", "\ufeff", b"\xef\xbb\xbf"):
        with pytest.raises(CsvFormatError, match="empty"):
            _read(empty)


def test_blank_first_row_is_no_header() -> None:
    with pytest.raises(CsvFormatError, match="header"):
        _read(",,\nDS-1,x,y\n")


def test_header_only_yields_nothing() -> None:
    assert _read("id,title@en,ects\r\n") == []
    assert _read("id,title@en,ects") == []


def test_unknown_column_suggests_nearest() -> None:
    with pytest.raises(CsvFormatError, match=r"unknown column 'etcs'.*did you mean 'ects'"):
        _read("id,etcs\n1,5\n")
    with pytest.raises(CsvFormatError, match=r"'titel@fr'.*did you mean 'title@fr'"):
        _read("id,titel@fr\n")
    with pytest.raises(CsvFormatError, match=r"'ECTS'.*did you mean 'ects'"):
        _read("ECTS\n")
    with pytest.raises(CsvFormatError, match=r"unknown column 'zzzz'"):
        _read("zzzz\n")


def test_language_suffix_rules() -> None:
    with pytest.raises(CsvFormatError, match=r"needs a language suffix, e\.g\. 'title@en'"):
        _read("id,title\n")
    with pytest.raises(CsvFormatError, match="takes no language suffix"):
        _read("ects@en\n")
    with pytest.raises(CsvFormatError, match="not a language tag"):
        _read("title@\n")


def test_duplicated_column() -> None:
    with pytest.raises(CsvFormatError, match=r"'ects' appears twice \(columns 2 and 3\)"):
        _read("id,ects,ects\n")
    with pytest.raises(CsvFormatError, match="appears twice"):
        _read("title@en,title@EN\n")


def test_semicolon_delimited_header() -> None:
    with pytest.raises(CsvFormatError, match="';'-delimited"):
        _read("id;title@en;ects\nDS-1;Data;2,5\n")
    with pytest.raises(CsvFormatError, match="tab-delimited"):
        _read("id\ttitle@en\tects\n")


def test_latin1_bytes_give_offset_and_line() -> None:
    data = "id,title@en\r\nDS-1,Caf".encode("ascii") + b"\xe9\r\n"
    offset = data.index(b"\xe9")
    with pytest.raises(CsvFormatError, match=rf"0xe9 at byte offset {offset} \(line 2\)"):
        _read(data)
    with pytest.raises(CsvFormatError, match=rf"0xe9 at byte offset {offset} \(line 2\)"):
        list(read_csv(io.BytesIO(data)))


def test_binary_stream_offset_across_chunks() -> None:
    row = "DS,Données\n".encode()
    data = b"id,title@en\n" + row * 20_000 + b"X,\xff\n"
    offset = data.index(b"\xff")
    with pytest.raises(CsvFormatError, match=rf"byte offset {offset} \(line 20002\)"):
        list(read_csv(io.BytesIO(data)))


def test_utf16_is_named() -> None:
    with pytest.raises(CsvFormatError, match="UTF-16"):
        _read("id\n1\n".encode("utf-16"))


def test_text_stream_with_wrong_encoding() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"id\n\xe9\n"), encoding="utf-8", newline="")
    with pytest.raises(CsvFormatError, match="not UTF-8"):
        list(read_csv(stream))


def test_huge_field_is_refused_and_limit_restored() -> None:
    before = csv.field_size_limit()
    big = "x" * (MAX_FIELD_CHARS + 1)
    with pytest.raises(CsvFormatError, match=rf"row 2 .*larger than {MAX_FIELD_CHARS}"):
        _read(f"id,title@en\n1,{big}\n")
    assert csv.field_size_limit() == before
    fine = "y" * 300_000  # above the csv module's own default of 128 KiB
    record = _one(f"id,title@en\n1,{fine}\n")
    assert record.spec is not None and record.spec.title == {"en": fine}
    assert csv.field_size_limit() == before


def test_unclosed_quote_is_a_whole_file_error() -> None:
    with pytest.raises(CsvFormatError, match="larger than"):
        _read('id,title@en\n1,"open\n' + ("z" * 1000 + "\n") * 1100)


def test_too_many_rows() -> None:
    text = "id\n" + "".join(f"{i}\n" for i in range(6))
    assert len(list(read_csv(text, max_rows=6))) == 6
    with pytest.raises(CsvFormatError, match="more than 5 data rows"):
        list(read_csv(text, max_rows=5))


def test_header_checked_at_call_time() -> None:
    with pytest.raises(CsvFormatError):
        read_csv("bogus\n")  # not iterated: the error comes before any import starts


# --- cell-level problems ---------------------------------------------------------------------


def test_numbers_accept_decimal_comma() -> None:
    record = _one('id,ects,hours\n1,"2,5",62.5\n')
    assert record.spec is not None and record.spec.workload == Workload(ects=2.5, hours=62.5)
    assert _one("ects\n1e1\n").spec == MicroCredentialSpec(workload=Workload(ects=10))


@pytest.mark.parametrize("bad", ["abc", "1,000.5", "nan", "inf", "1_000", "2,5,1", "5 ECTS"])
def test_bad_numbers(bad: str) -> None:
    record = _one(f'id,ects,hours\nDS-1,"{bad}",30\n')
    [finding] = record.report
    assert finding.code == "invalid-value"
    assert finding.path == "workload.ects"
    assert "row 2" in finding.message and "column ects" in finding.message
    assert record.spec == MicroCredentialSpec(id="DS-1", workload=Workload(hours=30))


def test_bad_level_and_schedule_reported_together_rest_still_read() -> None:
    text = (
        "id,title@en,eqf_level,participation_mode,participation_scheduled,hours\n"
        "DS-1,Fine,4,online,yes,10\n"
        "DS-2,Data,seven,online,maybe,abc\n"
    )
    first, second = _read(text)
    assert first.report.ok
    assert second.row == 3
    found = _findings(second)
    assert set(found) == {"level.eqf", "participation.scheduled", "workload.hours"}
    assert all("row 3" in m for m in found.values())
    assert "column eqf_level" in found["level.eqf"]
    assert all(f.code == "invalid-value" for f in second.report)
    assert second.spec == MicroCredentialSpec(
        id="DS-2", title={"en": "Data"}, participation=Participation(mode="online")
    )


def test_eqf_accepts_uri_and_scheduled_accepts_case() -> None:
    record = _one("eqf_level,participation_scheduled\nhttp://data.europa.eu/snb/eqf/6,No\n")
    assert record.spec == MicroCredentialSpec(
        level=Level(eqf=6), participation=Participation(scheduled=False)
    )


def test_misaligned_outcomes() -> None:
    text = (
        "learning_outcomes@en,learning_outcomes@fr,learning_outcome_esco\n"
        '"One;Two;Three","Un;Deux",http://e/1;;http://e/3;http://e/4\n'
    )
    record = _one(text)
    found = _findings(record)
    assert set(found) == {"learning_outcomes[3].text.en", "learning_outcomes[2].text.fr"}
    assert "column learning_outcome_esco has 4" in found["learning_outcomes[3].text.en"]
    assert record.spec is not None
    outcomes = record.spec.learning_outcomes
    assert len(outcomes) == 4
    assert outcomes[1] == LearningOutcome(text={"en": "Two", "fr": "Deux"})
    assert outcomes[3] == LearningOutcome(esco_skill="http://e/4")


def test_esco_shorter_than_outcomes() -> None:
    record = _one('learning_outcomes@en,learning_outcome_esco\n"A;B;C",http://e/1\n')
    [finding] = record.report
    assert finding.path == "learning_outcomes[1].esco_skill"
    assert "column learning_outcome_esco" in finding.message
    assert "column learning_outcomes@en has 3" in finding.message


def test_esco_with_empty_entries_is_aligned() -> None:
    record = _one('learning_outcomes@en,learning_outcome_esco\n"A;B;C",";http://e/2;"\n')
    assert record.report.ok
    assert record.spec is not None
    assert [o.esco_skill for o in record.spec.learning_outcomes] == [None, "http://e/2", None]


def test_misaligned_bodies_and_quality_assurance() -> None:
    text = (
        "awarding_body_names,awarding_body_ids,awarding_body_countries,qa_types,qa_agencies\n"
        '"A;B",did:x:a,"NL;BE","internal;external","X;Y;Z"\n'
    )
    found = _findings(_one(text))
    assert set(found) == {"awarding_bodies[1].id", "quality_assurance[2].type"}
    assert "column awarding_body_ids" in found["awarding_bodies[1].id"]


def test_escaped_semicolon_and_backslash() -> None:
    record = _one('learning_outcomes@en\n"Plan\\; then act;C:\\temp\\\\x;last"\n')
    assert record.spec is not None
    assert [o.text["en"] for o in record.spec.learning_outcomes] == [
        "Plan; then act",
        "C:\\temp\\x",
        "last",
    ]


def test_blank_cells_rows_and_whitespace() -> None:
    text = "id,issuer_countries,ects\n\n , , \n DS-1 , NL ; BE ;, \n"
    [record] = _read(text)
    assert record.row == 4  # blank rows still count, as in a spreadsheet
    assert record.spec == MicroCredentialSpec(id="DS-1", issuer_countries=["NL", "BE"])


def test_short_rows_are_padded_and_extra_cells_reported() -> None:
    [short, long] = _read("id,ects,hours\nA,5\nB,5,,x,\n")
    assert short.report.ok and short.spec == MicroCredentialSpec(id="A", workload=Workload(ects=5))
    [finding] = long.report
    assert finding.code == "unknown-element"
    assert "row 3" in finding.message and "position 4" in finding.message
    assert long.spec == MicroCredentialSpec(id="B", workload=Workload(ects=5))
