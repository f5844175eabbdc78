"""Version history, the readable diff, duplicate and withdraw (with its reason on the public
page)."""

from __future__ import annotations

import copy

from django.test import Client

from microcred_web.editor import diff
from microcred_web.editor.models import Withdrawal
from microcred_web.issuing.models import AuditEvent
from microcred_web.register import services
from microcred_web.register.models import Specification

from .conftest import SPEC, EditorWorld


def _client(world: EditorWorld) -> Client:
    client = Client()
    client.force_login(world.users["staff_a"])
    return client


def _change(world: EditorWorld) -> Specification:
    data = copy.deepcopy(SPEC)
    data["title"]["en"] = "Data stewardship essentials"
    data["issuer_countries"] = ["NL", "BE"]
    data["learning_outcomes"][1]["text"]["en"] = "Apply the FAIR principles to a dataset"
    data["workload"]["ects"] = 6
    data["participation"]["scheduled"] = False
    saved = services.save_specification(world.users["staff_a"], world.provider_a, data)
    assert saved.outcome == "updated"
    return saved.specification


def test_diff_names_each_element_in_plain_words() -> None:
    after = copy.deepcopy(SPEC)
    after["title"]["en"] = "Data stewardship essentials"
    after["issuer_countries"] = ["NL", "BE"]
    after["learning_outcomes"][1]["text"]["en"] = "Apply the FAIR principles to a dataset"
    after["workload"]["ects"] = 6
    after["participation"]["scheduled"] = False
    del after["description"]
    changes = {c.label: c for c in diff.diff(SPEC, after)}
    assert set(changes) == {
        "Title (en)",
        "Description (en)",
        "Country or countries of the issuer",
        "Learning outcome 2 – What the learner is able to do (en)",
        "Workload in ECTS credits",
        "Schedule",
    }
    assert changes["Title (en)"].words == [
        ("same", "Data stewardship"),
        ("del", "basics"),
        ("ins", "essentials"),
    ]
    assert changes["Country or countries of the issuer"].added == ["BE – Belgium"]
    assert changes["Description (en)"].kind == "removed"
    assert (changes["Schedule"].before, changes["Schedule"].after) == (
        "Fixed schedule",
        "Self-paced",
    )
    assert changes["Workload in ECTS credits"].before == "5"


def test_history_and_diff_pages(editor_world: EditorWorld) -> None:
    spec = _change(editor_world)
    client = _client(editor_world)
    history = client.get(editor_world.url("history", spec.public_id)).content.decode()
    assert "Changes from 1 to 2" in history
    page = client.get(editor_world.url("diff", spec.public_id) + "?before=1&after=2")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Learning outcome 2 – What the learner is able to do (en)" in html
    assert "<ins>to a dataset</ins>" in html
    assert "BE – Belgium" in html
    assert "{" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # no raw JSON


def test_diff_of_unknown_or_bad_versions_is_a_400_with_the_message(
    editor_world: EditorWorld,
) -> None:
    client = _client(editor_world)
    url = editor_world.url("diff", editor_world.spec.public_id)
    for query in ("?before=1&after=9", "?before=x&after=1", "", "?before=-1&after=1"):
        response = client.get(url + query)
        assert response.status_code == 400, query
        assert 'class="field-error"' in response.content.decode(), query


def test_duplicate_makes_a_new_draft(editor_world: EditorWorld) -> None:
    client = _client(editor_world)
    response = client.post(
        editor_world.url("duplicate", editor_world.spec.public_id), {"local_id": "DS-102"}
    )
    assert response.status_code == 302
    copy_ = Specification.objects.get(local_id="DS-102")
    assert copy_.status == "draft" and copy_.public_id != editor_world.spec.public_id
    assert copy_.data == editor_world.spec.data | {"id": "DS-102"}


def test_duplicate_refuses_a_taken_or_empty_id_at_the_field(editor_world: EditorWorld) -> None:
    client = _client(editor_world)
    url = editor_world.url("duplicate", editor_world.spec.public_id)
    for local_id, message in (
        ("DS-101", "already used"),
        ("  ", "required"),
        ("x" * 121, "at most"),
    ):
        response = client.post(url, {"local_id": local_id})
        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="dup-local_id-error"' in html and message in html, local_id
    assert Specification.objects.count() == 1


def test_withdraw_with_a_reason_shown_on_the_public_page(editor_world: EditorWorld) -> None:
    spec = editor_world.spec
    client = _client(editor_world)
    response = client.post(
        editor_world.url("withdraw", spec.public_id),
        {"reason": "Replaced by DS-201 from next term.", "confirm": "on"},
    )
    assert response.status_code == 302
    spec.refresh_from_db()
    assert spec.status == "withdrawn" and not spec.in_catalogue
    assert Withdrawal.objects.get(specification=spec).reason.startswith("Replaced")
    event = AuditEvent.objects.get(action="specification-withdrawn")
    assert event.reason == "Replaced by DS-201 from next term." and event.interface == "page"
    public = Client().get(f"/catalogue/specifications/{spec.public_id}/")
    assert public.status_code == 410
    html = public.content.decode()
    assert "Withdrawn by its provider" in html and "Replaced by DS-201 from next term." in html


def test_withdraw_needs_a_reason_a_confirmation_and_a_published_spec(
    editor_world: EditorWorld,
) -> None:
    spec = editor_world.spec
    client = _client(editor_world)
    url = editor_world.url("withdraw", spec.public_id)
    response = client.post(url, {"reason": "   ", "confirm": "on"})
    assert response.status_code == 422 and 'id="wd-reason-error"' in response.content.decode()
    response = client.post(url, {"reason": "Ended"})
    assert response.status_code == 422 and 'id="wd-confirm-error"' in response.content.decode()
    assert "Ended" in response.content.decode()  # the reason typed is kept
    services.set_status(editor_world.users["staff_a"], spec, "draft")
    response = client.post(url, {"reason": "Ended", "confirm": "on"})
    assert response.status_code == 422
    assert "Only a published specification" in response.content.decode()
    spec.refresh_from_db()
    assert spec.status == "draft" and not Withdrawal.objects.exists()
