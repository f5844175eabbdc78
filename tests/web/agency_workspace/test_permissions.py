"""Who may open and use the agency workspace: the agency's staff and the register operator.

Another agency's staff, a provider's staff and an account with no role get the 403 page on
every page and action (GET and POST), a signed-out visitor is sent to sign in, and nothing is
written. Agency staff may record results for any provider, but only as their own agency.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import QAResult

from .conftest import World, form

PAGES = ["", "record", "results/new", "results/{rid}/edit", "results/{rid}/withdraw", "providers"]
POSTS = {
    "record": {"name_rows": "1", "name_lang_0": "en", "name_text_0": "Taken over", "acronym": "X"},
    "results/new": form(local_id="INTRUDER-1"),
    "results/{rid}/edit": form(local_id="NVAO-2024-03", decision="negative"),
    "results/{rid}/withdraw": {"reason": "intruder"},
}


def _client(world: World, who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(world.users[who])
    return client


def _url(page: str, result: Any) -> str:
    return "/dashboard/agencies/nvao/" + page.format(rid=result.public_id)


@pytest.mark.parametrize("who", ["agency_y", "staff_a", "nobody"])
@pytest.mark.parametrize("page", PAGES)
def test_others_get_403_on_every_page(world: World, positive: Any, who: str, page: str) -> None:
    response = _client(world, who).get(_url(page, positive) + "?q=north")
    assert response.status_code == 403
    assert "not allowed to act for nvao" in response.content.decode()


@pytest.mark.parametrize("who", ["agency_y", "staff_a", "nobody"])
@pytest.mark.parametrize("page", sorted(POSTS))
def test_others_get_403_on_every_action(world: World, positive: Any, who: str, page: str) -> None:
    writes = AuditEvent.objects.exclude(action__startswith="sign-")  # not the sign-ins
    before = writes.count()
    for action in ("save", "preview", "search"):
        data = {**POSTS[page], "action": action, "provider_search": "north"}
        response = _client(world, who).post(_url(page, positive), data)
        assert response.status_code == 403
    positive.refresh_from_db()
    assert positive.decision == "positive" and positive.withdrawn_at is None
    world.agency_x.refresh_from_db()
    assert world.agency_x.acronym == "NVAO"
    assert QAResult.objects.count() == 1 and writes.count() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(world: World, positive: Any, page: str) -> None:
    url = _url(page, positive)
    answers = [Client().get(url)]
    if page in POSTS:
        answers.append(Client().post(url, POSTS[page]))
    else:
        assert Client().post(url, {}).status_code == 405  # read-only pages take no POST
    for response in answers:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    positive.refresh_from_db()
    assert positive.withdrawn_at is None and QAResult.objects.count() == 1


@pytest.mark.parametrize("who", ["agency_x", "operator"])
@pytest.mark.parametrize("page", PAGES)
def test_the_agency_and_the_operator_may(world: World, positive: Any, who: str, page: str) -> None:
    assert _client(world, who).get(_url(page, positive)).status_code == 200


def test_staff_record_for_any_provider_but_only_as_their_agency(world: World) -> None:
    client = _client(world, "agency_x")
    data = form(providers="codecraft", agency="aqas")  # a forged agency field is ignored
    assert client.post("/dashboard/agencies/nvao/results/new", data).status_code == 302
    result = QAResult.objects.get()
    assert result.agency == world.agency_x
    assert [p.slug for p in result.providers.all()] == ["codecraft"]
    assert client.post("/dashboard/agencies/aqas/results/new", form()).status_code == 403
    assert QAResult.objects.count() == 1


def test_another_agencys_result_is_not_found_under_ones_own(world: World) -> None:
    from microcred_web.register import records

    theirs = records.save_qa_result(
        world.users["agency_y"],
        {
            "agency": "aqas",
            "local_id": "AQAS-1",
            "activity": "programme",
            "providers": ["codecraft"],
            "decision": "positive",
            "valid_from": "2025-01-01",
        },
    ).record
    assert theirs is not None
    client = _client(world, "agency_x")
    for page in ("results/{rid}/edit", "results/{rid}/withdraw"):
        url = _url(page, theirs)
        assert client.get(url).status_code == 404
        assert client.post(url, POSTS[page]).status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None and theirs.decision == "positive"


def test_the_dashboard_lists_the_agency_instead_of_refusing(world: World) -> None:
    html = _client(world, "agency_x").get("/dashboard/").content.decode()
    assert 'href="/dashboard/agencies/nvao/"' in html
    assert "does not act for any provider" not in html
    assert 'href="/dashboard/agencies/aqas/"' not in html
    nobody = _client(world, "nobody").get("/dashboard/").content.decode()
    assert "does not act for any provider" in nobody
