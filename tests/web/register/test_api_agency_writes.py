"""Agency writes: operator creates; agency staff update only their own agency."""

from __future__ import annotations

from django.test import Client

from microcred_web.register.models import Agency
from tests.web.register.conftest import World

NEW = {
    "slug": "a3es",
    "name": {"en": "Agency for Assessment and Accreditation of Higher Education"},
    "acronym": "A3ES",
    "countries": ["pt"],
    "eqar_registered_since": "2012-01-01",
    "activities": ["institutional", "programme"],
}


def test_operator_creates_agency(client: Client, world: World) -> None:
    response = client.post(
        "/api/v1/agencies", NEW, content_type="application/json", headers=world.auth("operator")
    )

    assert response.status_code == 201
    record = response.json()["record"]
    assert record["countries"] == ["PT"]
    assert record["eqar_registered_since"] == "2012-01-01"


def test_agency_staff_cannot_create_agencies(client: Client, world: World) -> None:
    response = client.post(
        "/api/v1/agencies", NEW, content_type="application/json", headers=world.auth("agency_x")
    )

    assert response.status_code == 403
    assert not Agency.objects.filter(slug="a3es").exists()


def test_agency_staff_update_own_agency_only(client: Client, world: World) -> None:
    own = client.put(
        "/api/v1/agencies/nvao",
        {"website": "https://nvao.example"},
        content_type="application/json",
        headers=world.auth("agency_x"),
    )
    other = client.put(
        "/api/v1/agencies/aqas",
        {"website": "https://evil.example"},
        content_type="application/json",
        headers=world.auth("agency_x"),
    )

    assert own.status_code == 200 and own.json()["outcome"] == "updated"
    assert other.status_code == 403
    assert "edit aqas" in other.json()["detail"]
    world.agency_y.refresh_from_db()
    assert world.agency_y.website == ""


def test_provider_staff_cannot_edit_agencies(client: Client, world: World) -> None:
    response = client.put(
        "/api/v1/agencies/nvao",
        {"acronym": "X"},
        content_type="application/json",
        headers=world.auth("staff_a"),
    )
    assert response.status_code == 403


def test_eqar_dates_in_the_wrong_order_are_rejected(client: Client, world: World) -> None:
    response = client.put(
        "/api/v1/agencies/nvao",
        {"eqar_registered_until": "2000-01-01"},
        content_type="application/json",
        headers=world.auth("operator"),
    )

    assert response.status_code == 422
    assert response.json()["findings"][0]["path"] == "eqar_registered_until"
