"""The public "register your organisation" form: anyone may send it; bad input is shown at
its field with everything typed kept; a request is recorded and audited; it is rate-limited."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent
from microcred_web.operator.models import RegistrationRequest

from .conftest import REQUEST, IssuingWorld

URL = "/register-organisation/"


def test_anyone_opens_the_form(client: Any, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="legal_name"' in body and 'name="contact_email"' in body
    assert "csrfmiddlewaretoken" in body


def test_a_request_is_recorded_and_audited_without_the_contact(client: Any, db: Any) -> None:
    response = client.post(URL, REQUEST)
    assert response.status_code == 302
    request = RegistrationRequest.objects.get()
    assert response["Location"].endswith(f"?request={request.public_id}")
    assert request.status == "pending" and request.contact_email == "ilze@bcs.example"
    row = AuditEvent.objects.get(action="registration-requested")
    assert row.target == f"registration {request.public_id}"
    assert "ilze" not in str(row.details) + row.target + row.reason
    assert client.get(response["Location"]).status_code == 200


def test_csrf_is_required(db: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, REQUEST).status_code == 403
    assert not RegistrationRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"legal_name": ""}, "legal_name", "This field is required"),
        ({"slug": "Not A Slug"}, "slug", "Enter a valid"),
        ({"slug": "double--hyphen"}, "slug", "single hyphens"),
        ({"kind": "castle"}, "kind", "Select a valid choice"),
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"name_language": "english!"}, "name_language", "language tag"),
        ({"contact_email": "not-an-address"}, "contact_email", "valid email"),
        ({"website": "ftp://bcs.example"}, "website", "http(s) URL"),
        ({"legal_name": "x" * 301}, "legal_name", "at most 300"),
        ({"legal_name": "Bad\x00name"}, "legal_name", "Null characters"),
        ({"contact_name": "   "}, "contact_name", "This field is required"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_lost(
    client: Any, db: Any, changes: dict[str, str], field: str, message: str
) -> None:
    data = REQUEST | changes
    response = client.post(URL, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="{field}-error"' in body, body
    assert message in body
    assert 'aria-invalid="true"' in body
    # What was typed in the other fields is still there.
    assert 'value="Ilze Kalnina"' in body or field == "contact_name"
    assert "We run short courses." in body
    assert not RegistrationRequest.objects.exists()


def test_a_taken_short_name_is_refused_at_the_slug(client: Any, world: IssuingWorld) -> None:
    response = client.post(URL, REQUEST | {"slug": world.provider_a.slug})
    assert response.status_code == 422
    assert 'id="slug-error"' in response.content.decode()
    assert "is taken" in response.content.decode()
    client.post(URL, REQUEST)
    again = client.post(URL, REQUEST | {"legal_name": "Another"})
    assert again.status_code == 422 and "is taken" in again.content.decode()
    assert RegistrationRequest.objects.count() == 1


def test_requests_are_rate_limited(client: Any, db: Any) -> None:
    statuses = [client.post(URL, REQUEST | {"slug": f"school-{n}"}).status_code for n in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert RegistrationRequest.objects.count() == 5
    assert client.get(URL).status_code == 200  # reading the form is not counted
