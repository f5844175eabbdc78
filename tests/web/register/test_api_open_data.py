"""``GET /open-data/...``: the export documents over HTTP, open to everyone."""

from __future__ import annotations

from django.test import Client

from microcred_web.register.services import save_specification
from tests.web.register.conftest import World, spec


def test_open_data_documents(client: Client, world: World) -> None:
    save_specification(world.users["operator"], world.provider_a, spec(), status="published")

    register = client.get("/api/v1/open-data/register.json").json()
    catalogue = client.get("/api/v1/open-data/catalogue.json").json()
    achievements = client.get("/api/v1/open-data/achievements.jsonld").json()

    assert [p["slug"] for p in register["providers"]] == ["codecraft", "north-sea-university"]
    assert [s["local_id"] for s in catalogue["catalogue"]] == ["DS-101"]
    assert achievements[0]["id"].startswith("http://testserver/catalogue/specifications/")
    assert client.get("/api/v1/open-data/users.json").status_code == 404
