"""The official ELM Annex I sample, read and validated as `microcred validate` does.

Known answers: the sample carries every mandatory Annex I element except the type of quality
assurance, so validation gives exactly that one error; taking any other mandatory element out
of the ELM document gives a further error naming that element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from microcred.standard.json_format import spec_to_dict
from microcred.standard.model import MicroCredentialSpec
from microcred.standard.readers import Record, read_bytes
from tests.core.samples import ELM_SAMPLE, ELM_SAMPLE_SIGNED

Doc = dict[str, Any]


def load() -> Doc:
    doc: Doc = json.loads(ELM_SAMPLE.read_text(encoding="utf-8"))
    return doc


def validate(doc: Doc) -> Record:
    (record,) = read_bytes(json.dumps(doc).encode(), name="sample.jsonld")
    return record


def claim(doc: Doc) -> Doc:
    c: Doc = doc["credentialSubject"]["hasClaim"]
    return c


def spec(doc: Doc) -> Doc:
    s: Doc = claim(doc)["specifiedBy"]
    return s


def errors(record: Record) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in record.report.errors}


QA_ERROR = ("missing-element", "specification.quality_assurance")


def test_sample_has_exactly_one_error_the_quality_assurance() -> None:
    record = validate(load())
    assert errors(record) == {QA_ERROR}


def test_signed_sample_reads_to_the_same_specification() -> None:
    (signed,) = read_bytes(ELM_SAMPLE_SIGNED.read_bytes(), name="signed.jsonld")
    assert signed.spec == validate(load()).spec


def test_sample_survives_elm_to_model_to_json_to_model() -> None:
    record = validate(load())
    assert record.spec is not None
    again = MicroCredentialSpec.model_validate_json(json.dumps(spec_to_dict(record.spec)))
    assert again == record.spec
    # The Annex I elements the sample carries are all there.
    s = record.spec
    assert s.title == {"en": "Digital micro-credential creation"}
    assert s.issuer_countries == ["IE"]
    assert s.awarding_bodies[0].name == {"en": "University of Zed"}
    assert len(s.learning_outcomes) == 2
    assert s.learning_outcomes[1].text == {
        "en": "Developing digital content",
        "es": "Contento digital",
    }
    assert s.workload is not None and (s.workload.ects, s.workload.hours) == (2.0, 60.0)
    assert s.level is not None and s.level.eqf == 6
    assert s.assessment is not None and s.assessment.types == ["artefact"]
    assert s.participation is not None and s.participation.mode == "blended"
    assert s.supervision == "unsupervised-no-id"
    assert s.prerequisites is not None and "EU Login" in s.prerequisites["en"]
    assert s.fields_of_study == ["003", "0688"]
    assert s.languages == ["en"]
    assert record.credential is not None
    assert record.credential.learner.name == "Ana Andromeda"
    assert record.credential.grade == {"en": "Pass"}
    assert record.credential.issued_on is not None
    assert record.credential.issued_on.isoformat().startswith("2022-12-31T23:00:00")


def _del_title(doc: Doc) -> None:
    del spec(doc)["title"]
    del claim(doc)["title"]


def _del_countries(doc: Doc) -> None:
    del claim(doc)["awardedBy"]["awardingBody"]["location"]
    del claim(doc)["awardedBy"]["awardingBody"]["registration"]
    del claim(doc)["awardedBy"]["awardingBody"]["vatIdentifier"]
    for key in ("location", "registration", "vatIdentifier"):
        doc["issuer"].pop(key, None)


def _del_bodies(doc: Doc) -> None:
    del claim(doc)["awardedBy"]["awardingBody"]


def _del_workload(doc: Doc) -> None:
    del spec(doc)["creditPoint"]
    del spec(doc)["volumeOfLearning"]


def _del_participation(doc: Doc) -> None:
    del spec(doc)["mode"]
    del claim(doc)["influencedBy"]


def _del_learner(doc: Doc) -> None:
    for key in ("fullName", "givenName", "familyName", "nationalID"):
        del doc["credentialSubject"][key]


def _del_date(doc: Doc) -> None:
    del doc["validFrom"]


REMOVALS: list[tuple[str, Callable[[Doc], None], str]] = [
    ("title", _del_title, "specification.title"),
    ("issuer country", _del_countries, "specification.issuer_countries"),
    ("awarding body", _del_bodies, "specification.awarding_bodies"),
    (
        "learning outcomes",
        lambda d: spec(d).pop("learningOutcome"),
        "specification.learning_outcomes",
    ),
    ("workload", _del_workload, "specification.workload"),
    ("assessment", lambda d: claim(d).pop("provenBy"), "specification.assessment"),
    ("participation", _del_participation, "specification.participation.mode"),
    ("learner", _del_learner, "learner"),
    ("date of issuing", _del_date, "issued_on"),
]


@pytest.mark.parametrize(("element", "remove", "path"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removing_a_mandatory_element_adds_an_error_naming_it(
    element: str, remove: Callable[[Doc], None], path: str
) -> None:
    doc = load()
    remove(doc)
    found = errors(validate(doc))
    assert ("missing-element", path) in found, found
    assert QA_ERROR in found


def test_removing_the_level_is_a_warning_since_annex_i_says_if_applicable() -> None:
    doc = load()
    del spec(doc)["eqfLevel"]
    del spec(doc)["nqfLevel"]
    record = validate(doc)
    assert errors(record) == {QA_ERROR}
    assert ("missing-level", "specification.level") in {
        (f.code, f.path) for f in record.report.warnings
    }
