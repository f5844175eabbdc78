"""The dashboard's issue form takes the grade, the date of achievement and the name parts;
a grade outside the specification's scheme or a bad e-mail address is shown at its field."""

from __future__ import annotations

from typing import Any

from microcred.credentials.obv3_read import read_credential
from microcred_web.issuing.models import IssuedCredentialRecord
from tests.web.issuing.conftest import _spec
from tests.web.issuing.test_api_issue_achievement import verify_page

from .conftest import IssuingWorld, verify_with_instance


def issue(client: Any, world: IssuingWorld, spec: Any, **extra: str) -> Any:
    data = {
        "specification": spec.public_id,
        "identifier": "ada@example.org",
        "scheme": "",
        "name": "",
        "cryptosuite": "eddsa-rdfc-2022",
        **extra,
    }
    return client.post(f"/dashboard/providers/{world.provider_a.slug}/issue", data)


def test_the_form_issues_grade_date_and_names(world: IssuingWorld, client: Any) -> None:
    spec = _spec(world.provider_a, "DS-201", grade_scheme={"en": "Pass / fail"})
    client.force_login(world.users["staff_a"])
    page = client.get(f"/dashboard/providers/{world.provider_a.slug}/").content.decode()
    for field in ("scheme", "given_name", "family_name", "grade", "achieved_on"):
        assert f'id="issue-{field}"' in page
    response = issue(
        client,
        world,
        spec,
        scheme="email",
        given_name="Ada",
        family_name="Lovelace",
        grade="pass",
        achieved_on="2025-06-20",
    )
    assert response.status_code == 302, response.content
    credential = IssuedCredentialRecord.objects.get().credential
    assert verify_with_instance(client, credential).verified
    read = read_credential(credential)
    assert read.grade == {"en": "pass"}
    assert read.achieved_on is not None and read.achieved_on.date().isoformat() == "2025-06-20"
    assert (read.learner.given_name, read.learner.family_name) == ("Ada", "Lovelace")
    client.logout()  # the verify page is public
    assert '<div id="el-grade"><dt>Grade achieved</dt><dd>pass' in verify_page(client, credential)


def test_refusals_are_shown_at_their_field(world: IssuingWorld, client: Any) -> None:
    spec = _spec(world.provider_a, "DS-201", grade_scheme={"en": "Pass / fail"})
    client.force_login(world.users["staff_a"])
    response = issue(client, world, spec, grade="excellent")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="issue-grade-error"' in html and "not one of the specification" in html
    response = issue(client, world, spec, identifier="not an email", scheme="email")
    assert response.status_code == 422
    assert 'id="issue-identifier-error"' in response.content.decode()
    assert not IssuedCredentialRecord.objects.exists()
