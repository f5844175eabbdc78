"""``GET /catalogue/search``: the catalogue page's search as JSON."""

from __future__ import annotations

from django.test import Client

from microcred_web.catalogue import services as catalogue
from microcred_web.register import services
from tests.web.register.conftest import World, spec


def test_search_returns_hits_and_facets(client: Client, world: World) -> None:
    operator = world.users["operator"]
    for local_id, ects in (("A", 5), ("B", 10)):
        services.save_specification(
            operator,
            world.provider_a,
            spec(local_id, workload={"ects": ects}),
            status="published",
        )
    catalogue.rebuild_index()

    body = client.get("/api/v1/catalogue/search?q=stewardship&ects_min=6&per_page=5").json()

    assert body["total"] == 1
    assert body["per_page"] == 5
    [hit] = body["hits"]
    assert hit["provider_id"]
    assert set(body["facets"]) >= {"field", "eqf", "ects", "language"}
    assert all({"value", "count"} == set(c) for counts in body["facets"].values() for c in counts)


def test_facets_are_repeated_parameters(client: Client, world: World) -> None:
    response = client.get("/api/v1/catalogue/search?language=en&language=fr&sort=title")
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_bad_parameters_are_400_with_a_message(client: Client, world: World) -> None:
    for query in ("ects_min=lots", "page=0", "per_page=500", "sort=random", "colour=red&mode="):
        response = client.get(f"/api/v1/catalogue/search?{query}")
        if query.startswith("colour"):
            assert response.status_code == 200  # unknown parameters are ignored
            continue
        assert response.status_code == 400, query
        assert response.json()["detail"]
