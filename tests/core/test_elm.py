"""Reading ELM v3 / EDC credentials: known answers from the official Annex I sample."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from microcred.standard.elm import ElmError, is_elm, read_elm, read_elm_specs
from microcred.standard.model import IssuedCredential, MicroCredentialSpec

ELM = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "elm"
OBV3 = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "obv3"


@cache
def _load(name: str) -> Any:
    return json.loads((ELM / name).read_text(encoding="utf-8"))


def unsigned() -> dict[str, Any]:
    return copy.deepcopy(_load("Sample-MC-Annex1-unsigned.jsonld"))


def signed() -> dict[str, Any]:
    return copy.deepcopy(_load("Sample-MC-Annex1-signed.jsonld"))


def only(document: dict[str, Any]) -> IssuedCredential:
    (credential,) = read_elm(document)
    return credential


@pytest.fixture(scope="module")
def cred() -> IssuedCredential:
    return only(unsigned())


@pytest.fixture(scope="module")
def spec(cred: IssuedCredential) -> MicroCredentialSpec:
    return cred.specification


# --- known answers ---------------------------------------------------------------------------


def test_title_and_issuer(spec: MicroCredentialSpec) -> None:
    assert spec.title == {"en": "Digital micro-credential creation"}
    assert spec.issuer_countries == ["IE"]
    assert spec.issuer_regions == [
        "http://publications.europa.eu/resource/authority/atu/IRL_CTH_DUB"
    ]
    (body,) = spec.awarding_bodies
    assert body.name == {"en": "University of Zed"}
    assert body.id == "urn:epass:org:1"
    assert body.country == "IE"
    assert body.homepage == "https://uniz.edu"


def test_learning_outcomes(spec: MicroCredentialSpec) -> None:
    assert [o.text for o in spec.learning_outcomes] == [
        {"en": "Communication, collaboration and creativity"},
        {"en": "Developing digital content", "es": "Contento digital"},
    ]
    first, second = spec.learning_outcomes
    esco = "http://data.europa.eu/esco/skill/"
    assert first.esco_skill == esco + "ccdf3597-5c80-410f-896d-e1bdfa223de9"
    assert first.related_skills == [
        esco + "80f308e6-0e09-404a-80cd-ec5f50f6f304",
        esco + "326809fc-238d-40c2-881e-40042f7f2f0d",
    ]
    assert second.esco_skill == esco + "5fd5c985-eaaa-47aa-8314-62359c54505a"
    assert second.related_skills == [
        "http://data.europa.eu/snb/dcf/u69o196gu6",
        "http://data.europa.eu/snb/dcf/3ol5wi3605",
    ]


def test_workload_and_level(spec: MicroCredentialSpec) -> None:
    assert spec.workload is not None
    assert spec.workload.ects == 2.0
    assert spec.workload.hours == 60
    assert spec.level is not None
    assert spec.level.eqf == 6
    assert spec.level.national == {"en": "RQF Level 6"}
    assert spec.level.national_uri == "http://data.europa.eu/snb/qdr/c_c392e7a2"
    assert spec.level.qf_ehea is None


def test_assessment_participation_supervision(spec: MicroCredentialSpec) -> None:
    assert spec.assessment is not None
    assert spec.assessment.types == ["artefact"]
    assert spec.assessment.title == {"en": "Digital artefact assessment"}
    assert spec.participation is not None
    assert spec.participation.mode == "blended"
    assert spec.supervision == "unsupervised-no-id"
    assert spec.grade_scheme is not None
    assert spec.grade_scheme["en"].startswith("Standard grading: The learner will have passed")


def test_the_sample_has_no_quality_assurance(spec: MicroCredentialSpec) -> None:
    # The official sample carries no Accreditation (fixtures README): nothing is invented.
    assert spec.quality_assurance == []


def test_optional_and_catalogue_elements(spec: MicroCredentialSpec) -> None:
    assert spec.prerequisites == {
        "en": "The learner needs to have an EDC Online Credential Builder account, that "
        "requires an EU Login ID."
    }
    assert spec.stackability is not None and spec.stackability.option == "standalone"
    assert spec.fields_of_study == ["003", "0688"]
    assert spec.languages == ["en"]
    assert spec.duration == "P1M"
    assert spec.learning_setting == "non-formal"
    assert spec.further_information is None


def test_credential_side(cred: IssuedCredential) -> None:
    assert cred.learner.name == "Ana Andromeda"
    assert cred.learner.given_name == "Ana"
    assert cred.learner.family_name == "Andromeda"
    assert cred.learner.identifier == "LA-234218"
    assert cred.learner.identifier_scheme == "national-id:ITA"
    assert cred.learner.date_of_birth == date(1999, 10, 1)
    assert cred.issued_on == datetime(2022, 12, 31, 23, 0, tzinfo=UTC)
    assert cred.grade == {"en": "Pass"}


def test_signed_and_unsigned_give_the_same_spec(spec: MicroCredentialSpec) -> None:
    sealed = only(signed())
    assert sealed.specification == spec
    # The seal adds the date of issuing.
    assert sealed.issued_on is not None and sealed.issued_on.isoformat() == (
        "2023-09-27T13:54:17+02:00"
    )


def test_read_elm_specs(spec: MicroCredentialSpec) -> None:
    assert read_elm_specs(unsigned()) == [spec]


def test_lossless_through_our_json(spec: MicroCredentialSpec) -> None:
    assert MicroCredentialSpec.model_validate_json(spec.model_dump_json()) == spec


def test_development_context_credential_reads() -> None:
    doc = _load("edci-cred_noLegalName_shouldFail.jsonld")
    assert is_elm(doc)
    (cred,) = read_elm(doc)  # the LearningEntitlement claim is not a micro-credential
    spec = cred.specification
    assert spec.title["en"] == "Learning Achievement Spec Title"
    assert spec.participation is not None and spec.participation.mode == "onsite"
    assert spec.further_information is not None
    assert "Form of participation: Project based" in spec.further_information["en"]
    (qa,) = spec.quality_assurance
    assert qa.agency == "some legal name"
    assert qa.description is not None and "Program License" in qa.description["en"]


# --- robustness ------------------------------------------------------------------------------


def test_single_objects_and_arrays_read_alike(spec: MicroCredentialSpec) -> None:
    doc = unsigned()
    subject = doc["credentialSubject"]
    claim = subject["hasClaim"]
    claim["specifiedBy"]["creditPoint"] = [claim["specifiedBy"]["creditPoint"]]
    claim["specifiedBy"]["language"] = [claim["specifiedBy"]["language"]]
    claim["awardedBy"] = [claim["awardedBy"]]
    subject["hasClaim"] = [claim]
    assert only(doc).specification == spec


def test_missing_parts_give_absent_elements() -> None:
    doc = unsigned()
    qualification = doc["credentialSubject"]["hasClaim"]["specifiedBy"]
    for key in ("creditPoint", "volumeOfLearning", "eqfLevel", "nqfLevel", "mode", "language"):
        del qualification[key]
    del doc["credentialSubject"]["hasClaim"]["provenBy"]
    del doc["credentialSubject"]["hasClaim"]["influencedBy"]
    spec = only(doc).specification
    assert spec.workload is None and spec.level is None
    assert spec.assessment is None and spec.participation is None
    assert spec.languages == [] and spec.supervision is None


def test_unmapped_assessment_type_keeps_its_label() -> None:
    doc = unsigned()
    assessment_spec = doc["credentialSubject"]["hasClaim"]["provenBy"]["specifiedBy"]
    assessment_spec["dcType"]["prefLabel"] = {"en": "hackathon jury"}
    assessment = only(doc).specification.assessment
    assert assessment is not None and assessment.types == []
    assert assessment.title == {"en": "Digital artefact assessment; hackathon jury"}


def test_accreditation_becomes_quality_assurance() -> None:
    doc = unsigned()
    doc["credentialSubject"]["hasClaim"]["specifiedBy"]["accreditation"] = {
        "id": "urn:epass:accreditation:1",
        "type": "Accreditation",
        "dcType": {
            "id": "urn:x:1",
            "type": "Concept",
            "prefLabel": {"en": "programme accreditation"},
        },
        "accreditingAgent": {"id": "urn:epass:org:9", "legalName": {"en": "QQI"}},
        "report": {"id": "urn:epass:webResource:9", "contentURL": "https://qqi.example/r/1"},
    }
    (qa,) = only(doc).specification.quality_assurance
    assert qa.type == "external-programme"
    assert qa.agency == "QQI"
    assert qa.report_url == "https://qqi.example/r/1"


# --- errors ----------------------------------------------------------------------------------


def test_is_elm() -> None:
    assert is_elm(unsigned()) and is_elm(signed())
    assert not is_elm({"a": 1}) and not is_elm([unsigned()]) and not is_elm("x")


def test_open_badges_credential_is_not_elm() -> None:
    vector = OBV3 / "test-vectors" / "signed-obv3-eddsa-rdfc-2022.json"
    document = json.loads(vector.read_text(encoding="utf-8"))
    assert not is_elm(document)
    with pytest.raises(ElmError, match="not an ELM / EDC credential"):
        read_elm(document)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"type": ["VerifiableCredential"], "name": "x"}, "not an ELM / EDC credential"),
        ([1, 2], "expected a JSON object holding an ELM credential, found an array"),
        ({"payload": "not json", "signatures": []}, "payload of the sealed envelope"),
    ],
)
def test_not_elm(document: Any, message: str) -> None:
    with pytest.raises(ElmError, match=message):
        read_elm(document)


def test_no_claim_names_has_claim() -> None:
    doc = unsigned()
    del doc["credentialSubject"]["hasClaim"]
    with pytest.raises(ElmError, match=r"credentialSubject\.hasClaim"):
        read_elm(doc)


def test_no_achievement_names_has_claim() -> None:
    doc = unsigned()
    doc["credentialSubject"]["hasClaim"] = {"id": "urn:x", "type": "LearningEntitlement"}
    with pytest.raises(ElmError, match=r"credentialSubject\.hasClaim holds no LearningAch"):
        read_elm(doc)


def test_no_subject() -> None:
    doc = unsigned()
    del doc["credentialSubject"]
    with pytest.raises(ElmError, match="credentialSubject is missing"):
        read_elm(doc)


def test_bad_date_names_the_element() -> None:
    doc = unsigned()
    doc["validFrom"] = "last Tuesday"
    with pytest.raises(ElmError, match="validFrom"):
        read_elm(doc)
