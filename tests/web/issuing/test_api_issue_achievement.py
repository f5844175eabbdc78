"""POST /api/v1/credentials/issue with the grade, the date of achievement and the name parts:
they reach the signed credential; a grade outside the scheme, an unknown field and an
identifier that is not what it claims each get a 422 naming the field, and nothing is issued."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from microcred.credentials.obv3_read import read_credential
from microcred_web.issuing.models import IssuedCredentialRecord

from .conftest import IssuingWorld, _spec, verify_with_instance

URL = "/api/v1/credentials/issue"


@pytest.fixture
def graded(world: IssuingWorld) -> Any:
    """A published specification of provider A with a numeric grade scheme."""
    return _spec(world.provider_a, "DS-201", grade_scheme={"en": "1-10, pass from 5.5"})


def post(client: Any, world: IssuingWorld, body: dict[str, Any]) -> Any:
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", **world.auth("staff_a")
    )


def test_grade_date_and_names_reach_the_signed_credential(
    world: IssuingWorld, client: Any, graded: Any
) -> None:
    response = post(
        client,
        world,
        {
            "specification": graded.public_id,
            "learner": {
                "identifier": "ada@example.org",
                "scheme": "email",
                "given_name": "Ada",
                "family_name": "Lovelace",
                "date_of_birth": "1990-12-10",
            },
            "grade": "8.5",
            "achieved_on": "2025-06-20",
        },
    )
    assert response.status_code == 201, response.content
    credential = response.json()["verifiableCredential"]
    assert verify_with_instance(client, credential).verified
    read = read_credential(credential)
    assert read.grade == {"en": "8.5"}
    assert read.achieved_on == datetime(2025, 6, 20, tzinfo=UTC)
    assert read.issued_on is not None and read.issued_on.date() == datetime.now(UTC).date()
    assert (read.learner.given_name, read.learner.family_name) == ("Ada", "Lovelace")
    assert read.learner.date_of_birth == date(1990, 12, 10)
    identities = credential["credentialSubject"]["identifier"]
    assert identities[0]["identityType"] == "emailAddress" and identities[0]["hashed"] is True
    assert "ada@example.org" not in json.dumps(credential)
    shown = verify_page(client, credential)
    assert '<div id="el-grade"><dt>Grade achieved</dt><dd>8.5' in shown
    assert "Date of achievement</dt><dd>2025-06-20" in shown


def verify_page(client: Any, credential: dict[str, Any]) -> str:
    """The public verify page's answer for ``credential``."""
    response = client.post("/verify/", {"credential": json.dumps(credential)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: verified" in html
    return html


def field_error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.content
    problem = response.json()
    return problem["errors"][0]["loc"], problem["detail"]


def test_a_grade_outside_the_scheme_is_refused_naming_the_grade(
    world: IssuingWorld, client: Any, graded: Any
) -> None:
    body = {"specification": graded.public_id, "learner": {"identifier": "ada@example.org"}}
    loc, detail = field_error(post(client, world, {**body, "grade": "11"}))
    assert loc[-1] == "grade" and "1 to 10" in detail
    loc, _ = field_error(post(client, world, {**body, "grade": "excellent"}))
    assert loc[-1] == "grade"
    assert not IssuedCredentialRecord.objects.exists()


def test_pass_fail_scheme_takes_its_words_only(world: IssuingWorld, client: Any) -> None:
    spec = _spec(world.provider_a, "DS-202", grade_scheme={"en": "Pass / fail"})
    body = {"specification": spec.public_id, "learner": {"identifier": "bo@example.org"}}
    loc, detail = field_error(post(client, world, {**body, "grade": "7"}))
    assert loc[-1] == "grade" and "fail, pass" in detail
    assert post(client, world, {**body, "grade": "Pass"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"grades": "8"}, "grades"),
        ({"learner": {"identifier": "ada@example.org", "nickname": "A"}}, "nickname"),
    ],
)
def test_an_unknown_field_is_refused_by_name(
    world: IssuingWorld, client: Any, graded: Any, body: dict[str, Any], where: str
) -> None:
    full = {"specification": graded.public_id, "learner": {"identifier": "ada@example.org"}}
    full.update(body)
    loc, detail = field_error(post(client, world, full))
    assert loc[-1] == where and where in detail
    assert not IssuedCredentialRecord.objects.exists()


@pytest.mark.parametrize(
    ("learner", "field"),
    [
        ({"identifier": "not an email", "scheme": "email"}, "identifier"),
        ({"identifier": "ada@"}, "identifier"),  # holds "@": claims to be an e-mail address
        ({"identifier": "ada@localhost"}, "identifier"),
        ({"identifier": "did:nope"}, "identifier"),
        ({"identifier": "x", "scheme": "passport"}, "scheme"),
        (
            {"identifier": "ada@example.org", "date_of_birth": str(date.today() + timedelta(2))},
            "date_of_birth",
        ),
    ],
)
def test_an_identifier_that_is_not_what_it_claims_is_refused(
    world: IssuingWorld, client: Any, learner: dict[str, Any], field: str
) -> None:
    response = post(client, world, {"specification": world.spec_a.public_id, "learner": learner})
    loc, _ = field_error(response)
    assert loc[-1] == field
    assert not IssuedCredentialRecord.objects.exists()


def test_a_date_of_achievement_in_the_future_is_refused(world: IssuingWorld, client: Any) -> None:
    later = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    body = {
        "specification": world.spec_a.public_id,
        "learner": {"identifier": "ada@example.org"},
        "achieved_on": later,
    }
    loc, detail = field_error(post(client, world, body))
    assert loc[-1] == "achieved_on" and "future" in detail


def test_a_plain_identifier_is_still_issued(world: IssuingWorld, client: Any) -> None:
    body = {"specification": world.spec_a.public_id, "learner": {"identifier": "S-12345"}}
    response = post(client, world, body)
    assert response.status_code == 201, response.content
    identity = response.json()["verifiableCredential"]["credentialSubject"]["identifier"][0]
    assert identity["identityType"] == "identifier"
