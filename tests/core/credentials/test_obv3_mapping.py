"""Annex I <-> Open Badges 3.0: lossless round trip, OBv3 schema, signability, foreign badges."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.errors import UndefinedTerm
from microcred.credentials.expansion import expand, to_dataset
from microcred.credentials.keys import KeyPair
from microcred.credentials.learner_identity import (
    disclosed_learner,
    identity_hash,
    identity_matches,
    identity_objects,
    identity_type,
)
from microcred.credentials.loader import ContextLoader, loader_with
from microcred.credentials.obv3 import (
    CONTEXTS,
    EXTENSION_TERMS,
    MICROCRED_CONTEXT_URL,
    MICROCRED_VOCAB,
    ObvMappingError,
    obv3_schema_view,
)
from microcred.credentials.obv3_build import build_credential
from microcred.credentials.obv3_read import read_credential
from microcred.standard.model import IssuedCredential, LearnerIdentification, MicroCredentialSpec
from microcred.standard.validation import validate_credential
from microcred.standard.vocab import vocabulary
from tests.core.credentials.conftest import fixture_json
from tests.core.samples import valid_spec

ISSUER = {"id": "did:web:uu.example", "name": "Utrecht University", "url": "https://uu.example"}
ACHIEVEMENT_ID = "https://uu.example/micro-credentials/ds-101"
SALT = "s4lt-2024"
#: sha256("learner@example.org" + SALT), computed outside Python with coreutils' sha256sum.
KNOWN_HASH = "sha256$b33a6e50ac009aa571411c8c5d0cc3e2a0919ea111565447ba3450d403289bd1"
STATUS = {
    "id": "https://uu.example/status/revocation/1#4711",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "4711",
    "statusListCredential": "https://uu.example/status/revocation/1",
}


def microcred_context() -> dict[str, Any]:
    text = (
        resources.files("microcred.credentials.contexts")
        .joinpath("microcred-v1.jsonld")
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


@pytest.fixture(scope="module")
def loader() -> ContextLoader:
    """The shipped contexts plus ours (until the loader ships it too; then this is a no-op)."""
    return loader_with({MICROCRED_CONTEXT_URL: microcred_context()})


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.protocols.Validator:
    schema = fixture_json("obv3", "ob_v3p0_achievementcredential_schema.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def rich_credential() -> IssuedCredential:
    """Every element set, several languages, fractional ECTS, skills, QA, national level."""
    return IssuedCredential(
        learner=LearnerIdentification(
            name="Ana de Vries",
            given_name="Ana",
            family_name="de Vries",
            identifier="learner@example.org",
            identifier_scheme="email",
            date_of_birth=date(1999, 2, 28),
        ),
        issued_on=datetime(2024, 6, 30, 14, 5, 9, 250000, tzinfo=timezone(timedelta(hours=2))),
        grade={"en": "8.5 / 10 (very good)", "nl": "8,5 / 10 (zeer goed)"},
        achieved_on=datetime(2024, 6, 21, tzinfo=UTC),
        specification=MicroCredentialSpec(
            id="DS-101",
            title={"en": "Data stewardship basics", "nl": "Basis datastewardship"},
            description={"en": "Plan, document and share research data.", "nl": "Data delen."},
            issuer_countries=["NL", "BE"],
            issuer_regions=["NL31"],
            awarding_bodies=[
                {
                    "name": {"en": "Utrecht University", "nl": "Universiteit Utrecht"},
                    "id": "did:web:uu.example",
                    "country": "NL",
                    "homepage": "https://uu.example",
                },
                {"name": {"fr": "Université de Liège"}, "country": "BE"},
            ],
            learning_outcomes=[
                {
                    "text": {"en": "Write a data management plan", "nl": "Schrijf een DMP"},
                    "esco_skill": "http://data.europa.eu/esco/skill/9a0e1ec5-6e3f-4d0b-8d0b-1a",
                    "related_skills": ["https://example.org/digcomp/1.3"],
                },
                {"text": {"en": "Apply the FAIR principles"}},
            ],
            workload={"ects": 2.5, "hours": 70},
            level={
                "eqf": 7,
                "qf_ehea": "second",
                "national": {"nl": "NLQF 7"},
                "national_uri": "https://nlqf.example/7",
            },
            assessment={
                "types": ["project", "written-exam"],
                "title": {"en": "Project and exam"},
                "description": {"en": "A DMP, then a written exam."},
            },
            participation={"mode": "blended", "scheduled": False},
            quality_assurance=[
                {
                    "type": "external-institutional",
                    "agency": "NVAO",
                    "description": {"en": "Institutional audit 2022"},
                    "report_url": "https://nvao.example/report/uu",
                }
            ],
            prerequisites={"en": "A bachelor's degree"},
            supervision="supervised-onsite-id",
            grade_scheme={"en": "1-10, pass from 5.5", "nl": "1-10, voldoende vanaf 5,5"},
            stackability={"option": "stackable", "towards": {"en": "MSc Data Science"}},
            further_information={"en": "See the course page.", "ga": "Féach an leathanach."},
            fields_of_study=["0613", "0288"],
            languages=["en", "nl"],
            duration="P2M",
            learning_setting="formal",
            url="https://uu.example/mc/ds-101",
        ),
    )


def build(cred: IssuedCredential, **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "credential_id": "urn:uuid:2f6b5bd6-8e5e-4c59-9d36-0b8a1e1c3d11",
        "issuer": ISSUER,
        "achievement_id": ACHIEVEMENT_ID,
        "valid_from": datetime(2024, 7, 1, tzinfo=UTC),
        "learner_subject_id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "identity_salt": SALT,
        "status_entries": [STATUS],
    }
    options.update(overrides)
    return build_credential(cred, **options)


def expected_after_round_trip(cred: IssuedCredential, subject_id: str | None) -> IssuedCredential:
    """The credential as read back: the learner identifier is hashed, by design."""
    learner = disclosed_learner(cred.learner, SALT, subject_id)
    return cred.model_copy(update={"learner": learner})


def transported(document: dict[str, Any]) -> dict[str, Any]:
    """Through JSON text, as a wallet or verifier receives it."""
    result: dict[str, Any] = json.loads(json.dumps(document, ensure_ascii=False))
    return result


# --- round trip -----------------------------------------------------------------------------


def test_rich_credential_round_trips_losslessly() -> None:
    cred = rich_credential()
    vc = build(cred)

    back = read_credential(transported(vc))

    assert back == expected_after_round_trip(cred, vc["credentialSubject"]["id"])
    assert back.specification == cred.specification
    assert back.grade == cred.grade
    assert back.issued_on == cred.issued_on


def test_a_valid_credential_stays_valid_after_the_round_trip() -> None:
    cred = IssuedCredential(
        learner=LearnerIdentification(identifier="learner@example.org"),
        issued_on=datetime(2024, 1, 2, tzinfo=UTC),
        specification=MicroCredentialSpec.model_validate(valid_spec()),
    )
    assert validate_credential(cred).errors == []

    back = read_credential(transported(build(cred)))

    assert validate_credential(back).errors == []


lang = st.sampled_from(["en", "fr", "de", "nl", "pt-BR", "ga", "en_GB", "zh-Hant-TW"])
text = st.text(max_size=30)
langmap = st.dictionaries(lang, text, max_size=3)
some_langmap = st.dictionaries(lang, text, min_size=1, max_size=3)
maybe = st.none
finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


def codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(t.code for t in vocabulary(name)))


learners = st.builds(
    LearnerIdentification,
    name=maybe() | text,
    given_name=maybe() | text,
    family_name=maybe() | text,
    identifier=maybe() | text,
    identifier_scheme=maybe() | st.sampled_from(["email", "student-number", "did", "x y"]),
    date_of_birth=maybe() | st.dates(),
)
specs = st.builds(
    MicroCredentialSpec,
    id=maybe() | text,
    title=langmap,
    description=maybe() | langmap,
    issuer_countries=st.lists(codes("countries"), max_size=3),
    issuer_regions=st.lists(text, max_size=2),
    awarding_bodies=st.lists(
        st.fixed_dictionaries(
            {"name": langmap},
            optional={"id": text, "country": codes("countries"), "homepage": text},
        ),
        max_size=2,
    ),
    learning_outcomes=st.lists(
        st.fixed_dictionaries(
            {"text": langmap},
            optional={"esco_skill": text, "related_skills": st.lists(text, max_size=2)},
        ),
        max_size=4,
    ),
    workload=maybe()
    | st.fixed_dictionaries({}, optional={"ects": finite, "hours": finite | st.integers(0, 999)}),
    level=maybe()
    | st.fixed_dictionaries(
        {},
        optional={
            "eqf": st.integers(-3, 12),
            "qf_ehea": codes("qf-ehea"),
            "national": langmap,
            "national_uri": text,
        },
    ),
    assessment=maybe()
    | st.fixed_dictionaries(
        {"types": st.lists(codes("assessment-types"), max_size=3)},
        optional={"title": langmap, "description": langmap},
    ),
    participation=maybe()
    | st.fixed_dictionaries(
        {}, optional={"mode": codes("participation-modes"), "scheduled": st.booleans()}
    ),
    quality_assurance=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "type": codes("qa-types"),
                "agency": text,
                "description": langmap,
                "report_url": text,
            },
        ),
        max_size=2,
    ),
    prerequisites=maybe() | langmap,
    supervision=maybe() | codes("supervision"),
    grade_scheme=maybe() | langmap,
    stackability=maybe()
    | st.fixed_dictionaries({}, optional={"option": codes("stackability"), "towards": langmap}),
    further_information=maybe() | langmap,
    fields_of_study=st.lists(codes("isced-f"), max_size=3),
    languages=st.lists(codes("languages"), max_size=3),
    duration=maybe() | text,
    learning_setting=maybe() | st.sampled_from(["formal", "non-formal"]),
    url=maybe() | text,
)
moments = st.datetimes(
    min_value=datetime(1970, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=1))]),
)
credentials = st.builds(
    IssuedCredential,
    learner=learners,
    issued_on=moments,
    grade=maybe() | langmap,
    achieved_on=maybe() | moments,
    specification=specs,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials, st.none() | st.just("did:example:learner"))
def test_generated_credentials_round_trip_losslessly(
    cred: IssuedCredential, subject_id: str | None
) -> None:
    vc = build(cred, learner_subject_id=subject_id)

    back = read_credential(transported(vc))

    assert back == expected_after_round_trip(cred, subject_id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials)
def test_generated_credentials_expand_with_no_dropped_term(cred: IssuedCredential) -> None:
    # A module-scoped fixture cannot be used with @given; the loader is cheap to build.
    loader = loader_with({MICROCRED_CONTEXT_URL: microcred_context()})
    vc = build(cred)

    assert to_dataset(vc, loader)  # raises UndefinedTerm / InvalidJsonLd if not signable


# --- OBv3 JSON Schema ------------------------------------------------------------------------


def schema_errors(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def dummy_proof() -> dict[str, Any]:
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-07-01T00:00:00Z",
        "verificationMethod": "did:web:uu.example#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + "1" * 86,
    }


def test_unsigned_credential_passes_the_obv3_schema(
    schema_validator: jsonschema.protocols.Validator,
) -> None:
    # The schema does not require a proof, so the unsigned credential is checked as is.
    assert "proof" not in schema_validator.schema["required"]
    assert schema_errors(schema_validator, build(rich_credential())) == []


def test_credential_with_a_proof_passes_the_obv3_schema(
    schema_validator: jsonschema.protocols.Validator,
) -> None:
    vc = build(rich_credential())
    vc["proof"] = dummy_proof()

    assert schema_errors(schema_validator, obv3_schema_view(vc)) == []
    # Known schema quirk: only an array of proofs is accepted, though VC Data Integrity (and
    # 1EdTech's own signed vector) write one proof as an object; hence obv3_schema_view.
    assert schema_errors(schema_validator, vc) != []


def test_minimal_credential_passes_the_obv3_schema(
    schema_validator: jsonschema.protocols.Validator,
) -> None:
    vc = build(IssuedCredential(), learner_subject_id=None, status_entries=[])

    assert schema_errors(schema_validator, vc) == []
    assert vc["credentialSubject"]["achievement"]["name"]
    assert vc["credentialSubject"]["achievement"]["description"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials)
def test_generated_credentials_pass_the_obv3_schema(cred: IssuedCredential) -> None:
    schema = fixture_json("obv3", "ob_v3p0_achievementcredential_schema.json")
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)

    assert schema_errors(validator, build(cred)) == []


def test_two_status_entries_are_an_array_which_the_obv3_schema_refuses(
    schema_validator: jsonschema.protocols.Validator,
) -> None:
    suspension = {**STATUS, "id": STATUS["id"] + "-s", "statusPurpose": "suspension"}
    vc = build(rich_credential(), status_entries=[STATUS, suspension])

    assert vc["credentialStatus"] == [STATUS, suspension]
    # Known limitation of the OBv3 3.0 schema (credentialStatus must be one object).
    assert any("credentialStatus" in e for e in schema_errors(schema_validator, vc))


def test_achievement_fields_follow_obv3() -> None:
    vc = build(rich_credential())
    achievement = vc["credentialSubject"]["achievement"]

    assert vc["@context"] == list(CONTEXTS)
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["type"] == ["Profile"]
    assert vc["awardedDate"] == "2024-06-30T14:05:09.250000+02:00"
    assert vc["credentialStatus"] == STATUS
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == "Data stewardship basics"
    assert achievement["inLanguage"] == "en"
    assert achievement["creditsAvailable"] == 2.5
    assert achievement["creator"]["id"] == ISSUER["id"]
    assert "- Write a data management plan" in achievement["criteria"]["narrative"]
    assert "(ISCED-F 0613)" in achievement["fieldOfStudy"]
    targets = {a["targetUrl"]: a for a in achievement["alignment"]}
    esco = targets["http://data.europa.eu/esco/skill/9a0e1ec5-6e3f-4d0b-8d0b-1a"]
    assert esco["targetType"] == "ceasn:Competency"
    assert esco["targetName"] == "Write a data management plan"
    assert "http://data.europa.eu/snb/eqf/7" in targets
    [scheme] = achievement["resultDescription"]
    [result] = vc["credentialSubject"]["result"]
    assert result["resultDescription"] == scheme["id"]
    assert result["value"] == "8.5 / 10 (very good)"


def test_whole_numbers_are_written_as_json_integers() -> None:
    # Python would write 5.0, which pyld signs as a double and jsonld.js verifies as an integer.
    cred = rich_credential()
    cred.specification.workload = cred.specification.workload.model_copy(update={"ects": 5.0})
    vc = build(cred)

    assert json.dumps(vc["credentialSubject"]["achievement"]["creditsAvailable"]) == "5"
    assert '"ects": 5,' in json.dumps(vc)


def test_non_finite_numbers_and_issuer_without_id_are_refused() -> None:
    cred = rich_credential()
    cred.specification.workload = cred.specification.workload.model_copy(
        update={"ects": float("nan")}
    )
    with pytest.raises(ObvMappingError):
        build(cred)
    with pytest.raises(ObvMappingError, match="issuer"):
        build(rich_credential(), issuer={"name": "No id"})


def test_odd_language_tag_is_kept_out_of_in_language_only() -> None:
    cred = rich_credential()
    cred.specification.title = {"en_GB": "Data stewardship"}
    vc = build(cred)

    assert "inLanguage" not in vc["credentialSubject"]["achievement"]
    assert read_credential(vc).specification.title == {"en_GB": "Data stewardship"}


# --- JSON-LD: every term defined, signable ---------------------------------------------------


def test_credential_expands_with_only_shipped_contexts(loader: ContextLoader) -> None:
    vc = build(rich_credential())

    expanded = expand(vc, loader)  # strict: an undefined term raises UndefinedTerm

    flat = json.dumps(expanded)
    for term in build(rich_credential())["credentialSubject"]["achievement"]["annexI"]:
        assert f"{MICROCRED_VOCAB}{term}" in flat
    assert f"{MICROCRED_VOCAB}gradeAchieved" in flat


@pytest.mark.parametrize(
    "where", [("credentialSubject", "achievement", "annexI"), ("credentialSubject", "achievement")]
)
def test_an_undefined_term_is_caught_not_dropped(
    loader: ContextLoader, where: tuple[str, ...]
) -> None:
    vc = build(rich_credential())
    node = vc
    for key in where:
        node = node[key]
    node["notInAnyContext"] = "lost if JSON-LD were trusted"

    with pytest.raises(UndefinedTerm):
        expand(vc, loader)


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_built_credential_signs_and_verifies(loader: ContextLoader, cryptosuite: str) -> None:
    key = KeyPair.generate()
    method = did_key.verification_method_id(key.public)
    vc = build(rich_credential(), issuer={**ISSUER, "id": did_key.did_for(key.public)})

    signed = add_proof(vc, key, method, cryptosuite=cryptosuite, loader=loader)
    result = verify_proof(signed, did_key.resolve_verification_key, loader=loader)

    assert result.verified, result.message
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["annexI"]["workload"]["ects"] = 25
    assert not verify_proof(tampered, did_key.resolve_verification_key, loader=loader).verified
    assert read_credential(signed).specification == rich_credential().specification


def test_context_file_defines_every_extension_term_protected() -> None:
    context = microcred_context()["@context"]
    inner = context["annexI"]["@context"]

    assert context["@version"] == 1.1 and context["@protected"] is True
    assert inner["@protected"] is True
    assert "@vocab" not in context and "@vocab" not in inner
    assert set(EXTENSION_TERMS) == set(MicroCredentialSpec.model_fields)
    for term in [*EXTENSION_TERMS.values(), "annexI", "gradeAchieved"]:
        definition = inner.get(term) or context[term]
        assert definition["@id"] == MICROCRED_VOCAB + term


# --- learner identification ------------------------------------------------------------------


def test_identity_hash_known_answer() -> None:
    independent = hashlib.sha256(b"learner@example.org" + SALT.encode()).hexdigest()

    assert identity_hash("learner@example.org", SALT) == KNOWN_HASH == f"sha256${independent}"


def test_identity_object_is_salted_hash_and_matches_only_the_learner() -> None:
    learner = LearnerIdentification(identifier="learner@example.org", identifier_scheme="email")
    vc = build(IssuedCredential(learner=learner))
    [identity] = vc["credentialSubject"]["identifier"]

    assert identity == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": KNOWN_HASH,
        "salt": SALT,
    }
    assert "learner@example.org" not in json.dumps(vc)
    assert identity_matches(identity, "learner@example.org")
    assert not identity_matches(identity, "someone@example.org")


def test_no_learner_name_when_the_record_has_none() -> None:
    learner = LearnerIdentification(identifier="learner@example.org")
    subject = build(IssuedCredential(learner=learner))["credentialSubject"]

    assert "name" not in subject
    assert [i["identityType"] for i in subject["identifier"]] == ["identifier"]
    assert read_credential(build(IssuedCredential(learner=learner))).learner.name is None


def test_names_are_disclosed_in_clear_when_the_record_has_them() -> None:
    subject = build(rich_credential())["credentialSubject"]
    disclosed = {i["identityType"]: i for i in subject["identifier"] if not i["hashed"]}

    assert disclosed["name"]["identityHash"] == "Ana de Vries"
    assert disclosed["ext:givenName"]["identityHash"] == "Ana"
    assert disclosed["ext:familyName"]["identityHash"] == "de Vries"
    assert disclosed["ext:dateOfBirth"]["identityHash"] == "1999-02-28"


def test_random_salt_when_none_is_given() -> None:
    learner = LearnerIdentification(identifier="learner@example.org")
    first = build(IssuedCredential(learner=learner), identity_salt=None)
    second = build(IssuedCredential(learner=learner), identity_salt=None)
    [a] = first["credentialSubject"]["identifier"]
    [b] = second["credentialSubject"]["identifier"]

    assert a["salt"] != b["salt"] and a["identityHash"] != b["identityHash"]
    assert identity_matches(a, "learner@example.org")


def test_identity_types() -> None:
    assert identity_type(None) == "identifier"
    assert identity_type("emailAddress") == "emailAddress"
    assert identity_type("email") == "emailAddress"
    assert identity_type("national-id:NLD") == "nationalIdentityNumber"
    assert identity_type("did") == "ext:did"
    assert identity_type("x y") == "ext:x_y"
    objects = identity_objects(LearnerIdentification(identifier="x"), "")
    assert "salt" not in objects[0]


def test_identity_matches_md5_and_plain_foreign_identities() -> None:
    md5 = hashlib.md5(b"a@b.c" + b"pepper", usedforsecurity=False).hexdigest()

    assert identity_matches(
        {"hashed": True, "identityHash": f"md5${md5}", "salt": "pepper"}, "a@b.c"
    )
    assert identity_matches({"hashed": False, "identityHash": "a@b.c"}, "a@b.c")
    assert not identity_matches({"hashed": True, "identityHash": "sha1$00"}, "a@b.c")


# --- reading foreign and damaged credentials -------------------------------------------------


def test_1edtech_vector_reads_best_effort(signed_obv3: dict[str, Any]) -> None:
    cred = read_credential(signed_obv3)

    spec = cred.specification
    assert spec.title == {"und": "Teamwork"}
    assert spec.description is not None and "collaborate" in spec.description["und"]
    assert spec.awarding_bodies[0].name == {"und": "Example Corp"}
    assert spec.awarding_bodies[0].homepage == "https://www.imsglobal.org"
    assert len(spec.learning_outcomes) == 1
    assert "nominated" in spec.learning_outcomes[0].text["und"]
    assert cred.issued_on == datetime(2010, 1, 1, tzinfo=UTC)
    assert cred.learner.identifier == "did:example:ebfeb1f712ebc6f1c276e12ec21"
    assert cred.learner.identifier_scheme == "did"


def test_foreign_badge_fields_map_to_annex_i() -> None:
    vc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", CONTEXTS[1]],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://edu.example/issuer",
            "type": ["Profile"],
            "name": "Hogeschool",
            "address": {"type": ["Address"], "addressCountryCode": "nl"},
        },
        "validFrom": "2024-02-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": "Jan"},
            ],
            "achievement": {
                "type": ["Achievement"],
                "name": "Statistiek",
                "inLanguage": "nl",
                "creditsAvailable": 3,
                "fieldOfStudy": "0542",
                "alignment": [
                    {"type": ["Alignment"], "targetName": "Analyse data",
                     "targetUrl": "http://data.europa.eu/esco/skill/abc"},
                    {"type": ["Alignment"], "targetName": "Level 6",
                     "targetUrl": "http://data.europa.eu/snb/eqf/6"},
                ],
                "assessmentType": "testing",
                "participationType": "online",
                "supervisionType": "onsite with identity verification",
                "timeInvestment": 84,
                "resultDescription": [{"name": "Pass/fail"}],
            },
            "result": [{"type": ["Result"], "value": "Pass"}],
        },
    }  # fmt: skip

    cred = read_credential(vc)

    spec = cred.specification
    assert spec.title == {"nl": "Statistiek"}
    assert spec.issuer_countries == ["NL"]
    assert spec.workload is not None and spec.workload.ects == 3 and spec.workload.hours == 84
    assert spec.level is not None and spec.level.eqf == 6
    assert spec.fields_of_study == ["0542"]
    assert [o.esco_skill for o in spec.learning_outcomes] == [
        "http://data.europa.eu/esco/skill/abc"
    ]
    assert spec.assessment is not None and spec.assessment.title == {"en": "testing"}
    assert spec.participation is not None and spec.participation.mode == "online"
    assert spec.supervision == "supervised-onsite-id"
    assert spec.grade_scheme == {"nl": "Pass/fail"}
    assert cred.grade == {"nl": "Pass"}
    assert cred.learner.name == "Jan"
    assert cred.issued_on == datetime(2024, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize("document", [[], "credential", 7, None])
def test_not_a_credential_object_is_a_mapping_error(document: Any) -> None:
    with pytest.raises(ObvMappingError):
        read_credential(document)


@pytest.mark.parametrize("subject", [None, "did:example:1", [], [1, 2]])
def test_no_credential_subject_is_a_mapping_error(subject: Any) -> None:
    vc = {"type": ["VerifiableCredential"]}
    if subject is not None:
        vc["credentialSubject"] = subject
    with pytest.raises(ObvMappingError, match="credentialSubject"):
        read_credential(vc)
    assert ObvMappingError("x").code == "obv3-mapping"


def test_missing_parts_never_raise() -> None:
    cred = read_credential({"credentialSubject": {"achievement": "not an object"}})

    assert cred.specification == MicroCredentialSpec()
    assert cred.issued_on is None and cred.grade is None


def test_damaged_extension_elements_are_skipped_not_fatal() -> None:
    vc = build(rich_credential())
    ext = vc["credentialSubject"]["achievement"]["annexI"]
    ext["workload"] = {"ects": "lots", "hours": 70, "unknown": 1}
    ext["level"] = "seven"
    ext["issuerCountries"] = "NL"
    ext["title"] = ["not", "a", "map"]
    ext["awardingBodies"] = [{"name": "plain"}, 5, {"name": {"en": "Fine"}}]
    vc["awardedDate"] = "yesterday"

    spec = read_credential(vc).specification

    assert spec.workload is not None and spec.workload.ects is None and spec.workload.hours == 70
    assert spec.level is None
    assert spec.issuer_countries == ["NL"]
    assert spec.title == {}
    assert [b.name for b in spec.awarding_bodies] == [{}, {"en": "Fine"}]
    assert read_credential(vc).issued_on == datetime(2024, 7, 1, tzinfo=UTC)  # validFrom


def test_extension_is_ignored_without_the_microcred_context() -> None:
    vc = build(rich_credential())
    vc["@context"] = vc["@context"][:2]

    spec = read_credential(vc).specification

    assert spec.title == {"en": "Data stewardship basics"}  # from the OBv3 name only
    assert spec.languages == []
