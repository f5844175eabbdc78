"""The operator manages providers, agencies, accounts and roles from pages, through the
register's services and validation; each write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Agency, ApiToken, Membership, Role

from .conftest import IssuingWorld, signed_in


def _provider_form(world: IssuingWorld, **changes: str) -> dict[str, str]:
    p = world.provider_b
    return {
        "slug": p.slug,
        "legal_name": "CodeCraft Academy GmbH",
        "kind": p.kind,
        "country": p.country,
        "city": "Berlin",
        "website": "https://codecraft.example",
    } | changes


def test_lists_search(client: Any, world: IssuingWorld) -> None:
    signed_in(client, world.users["operator"])
    body = client.get("/operator/providers/", {"q": "north"}).content.decode()
    assert "North Sea University" in body and "CodeCraft" not in body
    body = client.get("/operator/accounts/", {"q": "staff_"}).content.decode()
    assert "staff_a" in body and "nobody" not in body
    assert client.get("/operator/providers/", {"q": "x" * 500}).status_code == 200
    assert client.get("/operator/providers/", {"page": "banana"}).status_code == 200


def test_editing_a_provider_goes_through_the_register(client: Any, world: IssuingWorld) -> None:
    signed_in(client, world.users["operator"])
    url = f"/operator/providers/{world.provider_b.slug}/"
    response = client.post(url, _provider_form(world))
    assert response.status_code == 302
    world.provider_b.refresh_from_db()
    assert world.provider_b.legal_name["en"] == "CodeCraft Academy GmbH"
    assert world.provider_b.city == "Berlin"
    row = AuditEvent.objects.get(action="provider-updated")
    assert row.interface == "page" and "city" in row.details["fields"]
    # The register's validation, shown at the field, with what was typed kept.
    bad = client.post(url, _provider_form(world, website="ftp://x.example", city="Bonn"))
    assert bad.status_code == 422
    body = bad.content.decode()
    assert 'id="website-error"' in body and "http(s)" in body and 'value="Bonn"' in body
    taken = client.post(url, _provider_form(world, slug=world.provider_a.slug))
    assert taken.status_code == 422 and "is taken" in taken.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 422


def test_editing_an_agency(client: Any, world: IssuingWorld) -> None:
    agency = Agency.objects.create(
        slug="nvao", name={"en": "NVAO"}, acronym="NVAO", countries=["NL"]
    )
    signed_in(client, world.users["operator"])
    url = "/operator/agencies/nvao/"
    data = {
        "slug": "nvao",
        "name": "Accreditation Organisation of NL and Flanders",
        "acronym": "NVAO",
        "countries": "NL, BE",
        "website": "",
        "eqar_registered_since": "2008-01-01",
        "eqar_registered_until": "",
    }
    assert client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert agency.countries == ["NL", "BE"]
    bad = client.post(url, data | {"countries": "NL ZZ", "eqar_registered_until": "2001-01-01"})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert 'id="countries-error"' in body
    not_a_date = client.post(url, data | {"eqar_registered_since": "yesterday"})
    assert not_a_date.status_code == 422 and 'id="eqar_registered_since-error"' in (
        not_a_date.content.decode()
    )


def test_granting_and_removing_roles(client: Any, world: IssuingWorld) -> None:
    nobody = world.users["nobody"]
    signed_in(client, world.users["operator"])
    url = f"/operator/accounts/{nobody.pk}/grant"
    response = client.post(url, {"role": "provider", "organisation": world.provider_b.slug})
    assert response.status_code == 302
    membership = Membership.objects.get(user=nobody)
    assert membership.provider == world.provider_b and membership.role == Role.PROVIDER
    assert AuditEvent.objects.get(action="membership-granted").details == {
        "role": "provider",
        "provider": world.provider_b.slug,
    }
    twice = client.post(url, {"role": "provider", "organisation": world.provider_b.slug})
    assert twice.status_code == 422 and "already" in twice.content.decode()
    unknown = client.post(url, {"role": "agency", "organisation": "nope"})
    assert unknown.status_code == 422 and 'id="organisation-error"' in unknown.content.decode()
    bad_role = client.post(url, {"role": "king"})
    assert bad_role.status_code == 422
    remove = f"/operator/accounts/{nobody.pk}/memberships/{membership.pk}/remove"
    assert client.post(remove).status_code == 302
    assert not Membership.objects.filter(user=nobody).exists()
    assert AuditEvent.objects.filter(action="membership-removed").count() == 1
    assert client.post(remove).status_code == 404
    page = client.get(f"/operator/accounts/{nobody.pk}/").content.decode()
    assert "membership-granted" in page and "membership-removed" in page
    assert "token-created" in page  # its token, made by the fixture
    assert client.post(url, {"role": ""}).status_code == 422  # no role chosen by default


def test_deactivating_an_account(client: Any, world: IssuingWorld) -> None:
    staff = world.users["staff_a"]
    signed_in(client, world.users["operator"])
    url = f"/operator/accounts/{staff.pk}/deactivate"
    api_url = "/api/v1/credentials/00000000-0000-4000-8000-000000000000"
    assert client.get(api_url, **world.auth("staff_a")).status_code == 404  # token works
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "Left the university"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    assert not ApiToken.objects.filter(user=staff, revoked=False).exists()
    row = AuditEvent.objects.get(action="account-deactivated")
    assert row.reason == "Left the university" and row.details == {"tokens_revoked": 1}
    # Its token no longer opens the API; its sign-in is refused.
    assert client.get(api_url, **world.auth("staff_a")).status_code == 401
    client.logout()
    assert not client.login(username="staff_a", password="whatever")
    # Deactivating oneself is refused.
    signed_in(client, world.users["operator"])
    me = world.users["operator"]
    own = client.post(f"/operator/accounts/{me.pk}/deactivate", {"reason": "test"})
    assert own.status_code == 422 and get_user_model().objects.get(pk=me.pk).is_active


def test_learner_accounts_are_not_listed(client: Any, world: IssuingWorld) -> None:
    from microcred_web.wallet.models import LearnerAccount

    learner = get_user_model().objects.create(username="learner-7", email="kim@example.org")
    LearnerAccount.objects.create(user=learner)
    signed_in(client, world.users["operator"])
    assert "kim@example.org" not in client.get("/operator/accounts/").content.decode()
    assert client.get(f"/operator/accounts/{learner.pk}/").status_code == 404
