"""The shipped vocabularies load, are internally consistent and give the known answers."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from microcred.standard.vocab import NAMES, Term, Vocabulary, vocabulary

EXPECTED_NAMES = {
    "eqf",
    "qf-ehea",
    "isced-f",
    "countries",
    "languages",
    "assessment-types",
    "participation-modes",
    "supervision",
    "stackability",
    "qa-types",
    "esg",
}


def test_names() -> None:
    assert set(NAMES) == EXPECTED_NAMES


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_every_vocabulary_loads_and_is_clean(name: str) -> None:
    vocab = vocabulary(name)
    assert isinstance(vocab, Vocabulary)
    assert vocab.name == name
    assert vocab.version and vocab.source
    assert len(vocab) > 0
    codes = [t.code for t in vocab]
    assert len(codes) == len(set(codes))
    for term in vocab:
        assert isinstance(term, Term)
        assert term.label.strip()
        assert term.code in vocab
        assert vocab.get(term.code) is term
        if term.broader is not None:
            assert term.broader in vocab, term
        if term.uri is not None:
            assert term.uri.startswith("http://")


@pytest.mark.parametrize(
    "file_name",
    [
        e.name
        for e in resources.files("microcred.standard.data").iterdir()
        if e.name.endswith(".json")
    ],
)
def test_data_files_have_the_documented_shape(file_name: str) -> None:
    text = resources.files("microcred.standard.data").joinpath(file_name).read_text("utf-8")
    doc = json.loads(text)
    assert set(doc) == {"name", "version", "source", "licence", "terms"}
    codes = [t["code"] for t in doc["terms"]]
    assert len(codes) == len(set(codes))
    for raw in doc["terms"]:
        assert set(raw) <= {"code", "label", "uri", "broader", "extra"}


def test_cached() -> None:
    assert vocabulary("eqf") is vocabulary("eqf")


def test_unknown_name() -> None:
    with pytest.raises(KeyError) as info:
        vocabulary("no-such-list")
    assert "isced-f" in str(info.value)


def test_eqf() -> None:
    eqf = vocabulary("eqf")
    assert len(eqf) == 8
    assert [t.code for t in eqf] == [str(n) for n in range(1, 9)]
    six = eqf.by_uri("http://data.europa.eu/snb/eqf/6")
    assert six is not None and six.code == "6" and six.label == "Level 6"
    assert eqf.by_uri("http://data.europa.eu/snb/eqf/9") is None
    assert "6" in eqf and "9" not in eqf and 6 not in eqf


def test_qf_ehea() -> None:
    qf = vocabulary("qf-ehea")
    assert [t.code for t in qf] == ["short", "first", "second", "third"]
    second = qf.get("second")
    assert second is not None and second.extra["eqf"] == 7
    assert {t.code: t.extra["eqf"] for t in qf} == {"short": 5, "first": 6, "second": 7, "third": 8}
    assert qf.get("short") is not None
    assert qf.get("short").label.startswith("Short cycle")  # type: ignore[union-attr]


def test_isced_f_structure() -> None:
    isced = vocabulary("isced-f")
    broad = [t for t in isced if len(t.code) == 2]
    narrow = [t for t in isced if len(t.code) == 3]
    detailed = [t for t in isced if len(t.code) == 4]
    assert len(broad) == 12  # 00-10 and 99
    core_narrow = [t for t in narrow if not t.code.endswith("8")]
    core_detailed = [t for t in detailed if not t.code.endswith("88")]
    assert len(core_narrow) == 29
    assert len(core_detailed) == 80
    for t in narrow:
        assert t.broader == t.code[:2]
        assert t.broader in isced
    for t in detailed:
        assert t.broader == t.code[:3]
        assert t.broader in isced
    for t in isced:
        assert t.uri == f"http://data.europa.eu/snb/isced-f/{t.code}"


def test_isced_f_known_answers() -> None:
    isced = vocabulary("isced-f")
    sw = isced.get("0613")
    assert sw is not None
    assert sw.label == "Software and applications development and analysis"
    assert sw.broader == "061"
    assert isced.get("003") is not None
    assert isced.get("003").label == "Personal skills and development"  # type: ignore[union-attr]
    ict = isced.get("0688")
    assert ict is not None
    assert ict.label == (
        "Inter-disciplinary programmes and qualifications involving Information and "
        "Communication Technologies (ICTs)"
    )
    assert ict.broader == "068"
    assert isced.get("06") is not None
    by_uri = isced.by_uri("http://data.europa.eu/snb/isced-f/0113")
    assert by_uri is not None
    assert by_uri.label == "Teacher training without subject specialisation"


def test_countries() -> None:
    countries = vocabulary("countries")
    assert len(countries) >= 249
    ie = countries.get("IE")
    assert ie is not None
    assert ie.extra["alpha3"] == "IRL"
    assert ie.label == "Ireland"
    assert ie.uri == "http://publications.europa.eu/resource/authority/country/IRL"
    xk = countries.get("XK")
    assert xk is not None and xk.extra["alpha3"] == "XKX"
    for term in countries:
        assert len(term.code) == 2 and term.code.isupper()
        alpha3 = term.extra["alpha3"]
        assert isinstance(alpha3, str) and len(alpha3) == 3
    assert countries.by_label("ireland") is ie
    de = countries.by_uri("http://publications.europa.eu/resource/authority/country/DEU")
    assert de is not None and de.code == "DE"


def test_languages() -> None:
    languages = vocabulary("languages")
    assert len(languages) >= 183
    en = languages.get("en")
    assert en is not None and en.label == "English"
    assert en.uri is not None and en.uri.endswith("/ENG")
    for code, alpha3 in {"fr": "FRA", "de": "DEU", "it": "ITA", "el": "ELL", "nl": "NLD"}.items():
        term = languages.get(code)
        assert term is not None
        assert term.uri == f"http://publications.europa.eu/resource/authority/language/{alpha3}"
        assert term.extra["alpha3"] == alpha3.lower()
    assert languages.by_label("  ENGLISH ") is en


def test_assessment_types() -> None:
    at = vocabulary("assessment-types")
    expected = {
        "written-exam",
        "oral-exam",
        "online-test",
        "practical-demonstration",
        "project",
        "artefact",
        "portfolio",
        "presentation",
        "essay",
        "continuous-assessment",
        "peer-assessment",
        "self-assessment",
        "work-based-assessment",
        "recognition-of-prior-learning",
        "participation",
    }
    assert {t.code for t in at} == expected
    artefact = at.by_label("Artefact  Assessment")
    assert artefact is not None and artefact.code == "artefact"
    assert all(t.alt_labels for t in at)


def test_participation_modes() -> None:
    modes = vocabulary("participation-modes")
    assert [t.code for t in modes] == ["online", "onsite", "blended"]
    online = modes.by_uri("http://data.europa.eu/snb/learning-assessment/920fbb3cbe")
    assert online is not None and online.code == "online"
    blended = modes.by_uri("http://data.europa.eu/snb/learning-assessment/e92d221e4d")
    assert blended is not None and blended.code == "blended"
    f2f = modes.by_label("Face-to-face")
    assert f2f is not None and f2f.code == "onsite"
    presential = modes.by_label("Presential")
    assert presential is not None and presential.code == "onsite"


def test_supervision() -> None:
    sup = vocabulary("supervision")
    assert [t.code for t in sup] == [
        "unsupervised-no-id",
        "supervised-no-id",
        "supervised-online-id",
        "supervised-onsite-id",
    ]
    term = sup.by_label("Unsupervised without ID Verification")
    assert term is not None and term.code == "unsupervised-no-id"
    by_uri = sup.by_uri("http://data.europa.eu/snb/supervision-verification/c598449d64")
    assert by_uri is term


def test_stackability_and_qa_types() -> None:
    st = vocabulary("stackability")
    assert [t.code for t in st] == ["standalone", "stackable"]
    integrated = st.by_label("integrated")
    assert integrated is not None and integrated.code == "stackable"
    qa = vocabulary("qa-types")
    assert [t.code for t in qa] == [
        "internal",
        "external-institutional",
        "external-programme",
        "external-other",
    ]


def test_esg_versions() -> None:
    latest = vocabulary("esg")
    v2015 = vocabulary("esg", "2015")
    assert latest is v2015
    assert v2015.version == "2015"
    assert [t.code for t in v2015 if t.broader is None] == ["1", "2", "3"]
    assert len([t for t in v2015 if t.broader == "1"]) == 10
    assert len([t for t in v2015 if t.broader == "2"]) == 7
    assert len([t for t in v2015 if t.broader == "3"]) == 7
    s110 = v2015.get("1.10")
    assert s110 is not None and s110.label == "Cyclical external quality assurance"
    s11 = v2015.get("1.1")
    assert s11 is not None and s11.label == "Policy for quality assurance"
    s37 = v2015.get("3.7")
    assert s37 is not None and s37.label == "Cyclical external review of agencies"
    with pytest.raises(KeyError):
        vocabulary("esg", "1999")


def test_version_of_unversioned_vocabulary() -> None:
    eqf = vocabulary("eqf")
    assert vocabulary("eqf", eqf.version) is eqf
    with pytest.raises(KeyError):
        vocabulary("eqf", "0")


def test_suggest() -> None:
    isced = vocabulary("isced-f")
    assert isced.suggest("0613x")[0] == "0613"
    assert len(isced.suggest("0613x")) <= 3
    assert vocabulary("participation-modes").suggest("blnded") == ["blended"]
    assert vocabulary("countries").suggest("ie")[0] == "IE"
    assert vocabulary("countries").suggest("Irland")[0] == "IE"
    assert vocabulary("assessment-types").suggest("writen exam")[0] == "written-exam"
    assert vocabulary("eqf").suggest("") == []
    assert isced.suggest("0613", n=1) == ["0613"]


def test_term_is_hashable_and_immutable() -> None:
    term = vocabulary("qf-ehea").get("first")
    assert term is not None
    assert hash(term) == hash(term)
    with pytest.raises(TypeError):
        term.extra["eqf"] = 1  # type: ignore[index]


def test_latest_version_is_the_highest() -> None:
    from microcred.standard import vocab

    assert max(["2015", "2025", "999"], key=vocab._version_key) == "2025"
    assert max(["1.9", "1.10"], key=vocab._version_key) == "1.10"
    assert vocab._VERSIONED.match("isced-f") is None
    match = vocab._VERSIONED.match("esg-2025")
    assert match is not None and match["name"] == "esg" and match["version"] == "2025"
