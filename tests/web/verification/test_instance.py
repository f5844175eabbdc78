"""Credentials issued by this instance, verified with the database resolvers (did:web here).

Issued through the issuing service, then verified through the API and the page: the provider's
did:web DID document and status lists come from the database, the QA check from the register.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from microcred.credentials.errors import DidResolutionError
from microcred_web.issuing import issue, status
from microcred_web.register.models import Agency, QAResult
from microcred_web.verification import resolvers, services
from tests.web.issuing.conftest import HOST, IssuingWorld

# The issuing tests' settings (KEK, host), autouse in this module; their ``world`` fixture
# (providers with staff, published specifications) comes through this directory's conftest.
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401

API = "/api/v1/credentials/verify"


def issued(world: IssuingWorld, cryptosuite: str = "eddsa-rdfc-2022") -> Any:
    return issue.issue_credential(
        world.users["staff_a"],
        world.spec_a,
        issue.Learner("ada@example.org", "Ada Lovelace"),
        cryptosuite,
    )


def assure(provider: Any, **changes: Any) -> QAResult:
    agency = Agency.objects.create(
        slug="nvao",
        name={"en": "Accreditation Organisation of the Netherlands and Flanders"},
        acronym="NVAO",
        countries=["NL", "BE"],
        eqar_registered_since=date(2008, 5, 1),
    )
    fields: dict[str, Any] = {
        "agency": agency,
        "activity": "institutional",
        "decision": "positive",
        "valid_from": date(2020, 1, 1),
        "covers_microcredentials": True,
        "report_url": "https://nvao.example/reports/nsu",
    }
    fields.update(changes)
    result = QAResult.objects.create(**fields)
    result.providers.add(provider)
    return result


def verify_api(client: Any, credential: Any) -> tuple[bool, dict[str, Any]]:
    response = client.post(
        API, data=json.dumps({"verifiableCredential": credential}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    return body["verified"], {check["code"]: check for check in body["checks"]}


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_an_issued_credential_verifies_with_qa_from_the_register(
    world: IssuingWorld, client: Any, cryptosuite: str
) -> None:
    assure(world.provider_a)
    credential = issued(world, cryptosuite).credential
    assert credential["issuer"]["id"] == f"did:web:{HOST}:providers:north-sea-university"
    verified, checks = verify_api(client, credential)
    assert verified is True, checks
    assert checks["issuer"]["status"] == "ok"
    assert checks["status"]["status"] == "ok", checks["status"]
    assert checks["qa"]["status"] == "ok"
    assert checks["qa"]["details"]["quality_assured"] is True
    assert checks["qa"]["details"]["provider"] == "North Sea University"
    assert checks["qa"]["message"].startswith("North Sea University was quality assured on ")


def test_without_a_qa_result_the_qa_check_is_a_graded_warning(
    world: IssuingWorld, client: Any
) -> None:
    verified, checks = verify_api(client, issued(world).credential)
    assert verified is True
    assert checks["qa"]["status"] == "warning"
    assert checks["qa"]["details"]["quality_assured"] is False


def test_a_negative_review_makes_the_qa_check_fail(world: IssuingWorld, client: Any) -> None:
    assure(world.provider_a, decision="negative")
    verified, checks = verify_api(client, issued(world).credential)
    assert checks["qa"]["status"] == "error"
    assert verified is False


def test_a_programme_review_of_this_specification_counts(world: IssuingWorld, client: Any) -> None:
    result = assure(world.provider_a, activity="programme", covers_microcredentials=False)
    result.covered_specifications.add(world.spec_a)
    _, checks = verify_api(client, issued(world).credential)
    assert checks["qa"]["details"]["quality_assured"] is True, checks["qa"]


def test_revoked_and_suspended_credentials_fail_the_status_check(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    outcome = issued(world)
    status.set_status(world.users["staff_a"], outcome.record, "suspend", "inquiry")
    verified, checks = verify_api(client, outcome.credential)
    assert verified is False
    assert checks["status"]["status"] == "error"
    assert checks["status"]["details"]["reason"] == "suspended"
    status.set_status(world.users["staff_a"], outcome.record, "reinstate")
    assert verify_api(client, outcome.credential)[0] is True
    status.set_status(world.users["staff_a"], outcome.record, "revoke", "fraud")
    verified, checks = verify_api(client, outcome.credential)
    assert verified is False
    assert checks["status"]["details"]["reason"] == "revoked"


def test_the_page_shows_an_issued_credential_and_its_qa_statement(
    world: IssuingWorld, client: Any
) -> None:
    assure(world.provider_a)
    credential = issued(world).credential
    response = client.post("/verify/", {"credential": json.dumps(credential)}, HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: verified" in html
    assert "Quality assured:" in html
    assert "North Sea University was quality assured on" in html
    assert 'href="https://nvao.example/reports/nsu"' in html
    assert "Data stewardship basics" in html
    assert "Revocation and suspension: Passed" in html


def test_a_status_list_hosted_here_opens_by_link(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    credential = issued(world).credential
    url = credential["credentialStatus"][0]["statusListCredential"]
    assert url.startswith(f"https://{HOST}/status/")
    response = client.get("/verify/", {"url": url}, HTTP_HOST=HOST)
    assert response.status_code == 200, response.content
    html = response.content.decode()
    assert "Result: verified" in html
    assert "Signature: Passed" in html


def test_a_tampered_issued_credential_fails(world: IssuingWorld, client: Any) -> None:
    credential = issued(world).credential
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    verified, checks = verify_api(client, credential)
    assert verified is False
    assert checks["proof"]["status"] == "error"


def test_the_resolvers_answer_only_for_this_instance(world: IssuingWorld) -> None:
    issued(world)
    did = f"did:web:{HOST}:providers:north-sea-university"
    document = resolvers.InstanceDidResolver().resolve(did)
    assert document["id"] == did
    for other in (
        "did:web:elsewhere.example:providers:north-sea-university",
        f"did:web:{HOST}:providers:no-such-provider",
        f"did:web:{HOST}:providers:codecraft",  # no key yet: nothing issued
        f"did:web:{HOST}",
        "did:example:123",
    ):
        with pytest.raises(DidResolutionError):
            resolvers.InstanceDidResolver().resolve(other)
    lists = resolvers.InstanceStatusLists()
    assert lists.fetch(f"https://{HOST}/status/north-sea-university/revocation/1") is not None
    assert lists.fetch(f"https://{HOST}/status/north-sea-university/revocation/9") is None
    assert lists.fetch("https://elsewhere.example/status/north-sea-university/revocation/1") is None
    register = resolvers.InstanceQARegister()
    assert register.lookup(did) is not None
    assert register.lookup("did:web:elsewhere.example:providers:north-sea-university") is None
    assert services.verification_context().qa_register is not None
