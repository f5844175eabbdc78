"""The provider dashboard: sign-in, permissions, issuing, status changes, key rotation."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord, ProviderKey

from .conftest import IssuingWorld, verify_with_instance


def base(world: IssuingWorld, provider: Any = None) -> str:
    return f"/dashboard/providers/{(provider or world.provider_a).slug}/"


def issue(client: Any, world: IssuingWorld, identifier: str = "ada@example.org", **extra: Any):
    data = {
        "specification": world.spec_a.public_id,
        "identifier": identifier,
        "name": "",
        "cryptosuite": "eddsa-rdfc-2022",
        **extra,
    }
    return client.post(base(world) + "issue", data)


def issued(client: Any, world: IssuingWorld, identifier: str = "ada@example.org") -> Any:
    response = issue(client, world, identifier)
    assert response.status_code == 302, response.content
    return IssuedCredentialRecord.objects.get(public_id=response["Location"].split("issued=")[1])


def status_url(world: IssuingWorld, record: Any) -> str:
    return base(world) + f"credentials/{record.public_id}/status"


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/providers/north-sea-university/",
        f"/dashboard/credentials/{uuid.uuid4()}.json",
    ],
)
def test_sign_in_is_required(world: IssuingWorld, client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_posts_need_sign_in_too(world: IssuingWorld, client: Any) -> None:
    assert issue(client, world).status_code == 302
    assert not IssuedCredentialRecord.objects.exists()


def test_login_page_signs_in_and_lands_on_the_dashboard(world: IssuingWorld, client: Any) -> None:
    user = world.users["staff_a"]
    user.set_password("correct horse battery")
    user.save()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content
    bad = client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"})
    assert bad.status_code == 200 and b'aria-invalid="true"' in bad.content
    good = client.post(
        "/accounts/login/", {"username": "staff_a", "password": "correct horse battery"}
    )
    assert good.status_code == 302 and good["Location"] == "/dashboard/"
    home = client.get("/dashboard/")
    assert b"Sign out" in home.content
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_staff_sees_only_their_own_provider(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    content = client.get("/dashboard/").content.decode()
    assert "North Sea University" in content
    assert "CodeCraft" not in content


def test_operator_sees_every_provider(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["operator"])
    content = client.get("/dashboard/").content.decode()
    assert "North Sea University" in content and "CodeCraft" in content
    assert client.get(base(world, world.provider_b)).status_code == 200


def test_user_without_membership_sees_no_provider(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["nobody"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert b"does not act for any provider" in response.content
    assert client.get(base(world)).status_code == 403


def test_another_providers_pages_are_forbidden(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_b"])
    record = issued(client_for(world, "staff_a"), world)
    page = client.get(base(world))
    assert page.status_code == 403
    assert b"You cannot open this page" in page.content
    assert client.get(f"/dashboard/credentials/{record.public_id}.json").status_code == 403
    posts = {
        "issue": {
            "specification": world.spec_a.public_id,
            "identifier": "eve@example.org",
            "cryptosuite": "eddsa-rdfc-2022",
        },
        f"credentials/{record.public_id}/status": {"action": "revoke", "reason": "mine now"},
        "rotate-key": {"confirm": "rotate"},
    }
    for suffix, data in posts.items():
        assert client.post(base(world) + suffix, data).status_code == 403, suffix
        assert client.post(base(world) + suffix, {}).status_code == 403, suffix
    record.refresh_from_db()
    assert not record.revoked
    assert IssuedCredentialRecord.objects.count() == 1
    assert ProviderKey.objects.filter(provider=world.provider_a).count() == 1
    assert not AuditEvent.objects.filter(action__in=["revoke", "rotate-key"]).exists()


def test_unknown_provider_is_404(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["operator"])
    assert client.get("/dashboard/providers/no-such-provider/").status_code == 404


def client_for(world: IssuingWorld, who: str) -> Any:
    from django.test import Client

    other = Client()
    other.force_login(world.users[who])
    return other


def test_issue_through_the_form_and_download_the_json(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    page = client.get(base(world))
    assert page.status_code == 200
    assert world.spec_a.public_id.encode() in page.content
    assert world.spec_b.public_id.encode() not in page.content
    response = issue(client, world, name="Ada Lovelace", cryptosuite="eddsa-jcs-2022")
    assert response.status_code == 302
    record = IssuedCredentialRecord.objects.get()
    assert record.provider == world.provider_a and record.issued_by == world.users["staff_a"]
    result = client.get(response["Location"])
    text = result.content.decode()
    assert f"urn:uuid:{record.public_id}" in text
    download = f"/dashboard/credentials/{record.public_id}.json"
    assert download in text
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith("attachment;")
    credential = json.loads(file.content)
    assert "VerifiableCredential" in credential["type"]
    assert credential["id"] == f"urn:uuid:{record.public_id}"
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert "Ada Lovelace" in json.dumps(credential["credentialSubject"])
    outcome = verify_with_instance(client, credential)
    assert outcome.verified, (outcome.code, outcome.message)


def test_issuing_twice_returns_the_same_credential(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    first = issued(client, world)
    again = issue(client, world)
    assert again.status_code == 302 and str(first.public_id) in again["Location"]
    assert IssuedCredentialRecord.objects.count() == 1
    assert b"already has this credential" in client.get(again["Location"]).content


def test_issue_form_errors_are_linked_and_not_500(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    response = issue(client, world, identifier="")
    assert response.status_code == 422
    text = response.content.decode()
    assert 'aria-describedby="issue-identifier-hint issue-identifier-error"' in text
    assert 'id="issue-identifier-error"' in text
    other_spec = issue(client, world, specification=world.spec_b.public_id)
    assert other_spec.status_code == 422
    assert not IssuedCredentialRecord.objects.exists()


def test_revoke_with_a_reason_flips_the_status_and_is_audited(
    world: IssuingWorld, client: Any
) -> None:
    client.force_login(world.users["staff_a"])
    record = issued(client, world)
    response = client.post(
        status_url(world, record), {"action": "revoke", "reason": "cheating", "confirm": "yes"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked
    event = AuditEvent.objects.get(action="revoke")
    assert event.reason == "cheating" and event.actor == world.users["staff_a"]
    assert str(record.public_id) in event.target
    page = client.get(response["Location"]).content.decode()
    assert "Revoked" in page and "revoked." in page


def test_without_suspension_entries_only_revoke_is_offered(
    world: IssuingWorld, client: Any
) -> None:
    client.force_login(world.users["staff_a"])
    record = issued(client, world)
    page = client.get(base(world)).content.decode()
    form_start = page.index(f'id="credential-{record.public_id}"')
    row = page[form_start : page.index("</tr>", form_start)]
    assert 'value="revoke"' in row
    assert 'value="suspend"' not in row and 'value="reinstate"' not in row
    # a hand-made POST still gets the service's explanation, not a bare form error
    refused = client.post(status_url(world, record), {"action": "suspend", "reason": "x"})
    assert refused.status_code == 409
    assert b"without a suspension entry" in refused.content


def test_reason_is_required(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    record = issued(client, world)
    response = client.post(status_url(world, record), {"action": "revoke", "reason": "  "})
    assert response.status_code == 422
    assert f'id="status-{record.public_id}-reason-error"'.encode() in response.content
    record.refresh_from_db()
    assert not record.revoked


def test_refused_status_changes_are_shown_as_4xx(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    client.force_login(world.users["staff_a"])
    record = issued(client, world)
    url = status_url(world, record)
    not_suspended = client.post(url, {"action": "reinstate", "reason": "why not"})
    assert not_suspended.status_code == 409
    assert b"not suspended" in not_suspended.content
    assert client.post(url, {"action": "suspend", "reason": "inquiry"}).status_code == 302
    twice = client.post(url, {"action": "suspend", "reason": "inquiry"})
    assert twice.status_code == 409
    assert client.post(url, {"action": "reinstate", "reason": "cleared"}).status_code == 302
    record.refresh_from_db()
    assert not record.suspended
    assert (
        client.post(url, {"action": "revoke", "reason": "fraud", "confirm": "yes"}).status_code
        == 302
    )
    for action in ("revoke", "reinstate", "suspend"):
        refused = client.post(url, {"action": action, "reason": "again"})
        assert refused.status_code == 409, action
        assert b"revocation is final" in refused.content
        assert b'role="alert"' in refused.content
    bad = client.post(url, {"action": "delete", "reason": "x"})
    assert bad.status_code == 422
    assert (
        client.post(
            base(world) + f"credentials/{uuid.uuid4()}/status", {"action": "revoke", "reason": "x"}
        ).status_code
        == 404
    )


def test_rotate_adds_a_retired_key(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    issued(client, world)
    unconfirmed = client.post(base(world) + "rotate-key", {"confirm": "yes"})
    assert unconfirmed.status_code == 422
    assert b'id="rotate-confirm-error"' in unconfirmed.content
    assert ProviderKey.objects.filter(provider=world.provider_a).count() == 1
    response = client.post(base(world) + "rotate-key", {"confirm": "rotate", "reason": "yearly"})
    assert response.status_code == 302
    found = list(ProviderKey.objects.filter(provider=world.provider_a).order_by("created", "pk"))
    assert [k.key_id for k in found] == ["key-1", "key-2"]
    assert found[0].retired is not None and found[1].retired is None
    assert AuditEvent.objects.get(action="rotate-key").reason == "yearly"
    page = client.get(response["Location"]).content.decode()
    assert "Retired" in page and "key-2 is now active" in page
    assert "did:web:" in page


def test_get_on_write_urls_is_refused(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    assert client.get(base(world) + "rotate-key").status_code == 405
    assert client.get(base(world) + "issue").status_code == 405


def test_csrf_is_enforced(world: IssuingWorld) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["staff_a"])
    assert strict.post(base(world) + "rotate-key", {"confirm": "rotate"}).status_code == 403
    assert not ProviderKey.objects.exists()
