"""The agency's and the provider's workspace jobs through the API: withdrawing a QA result with
a reason (its own agency's only), and a specification's duplicate, withdrawal with a public
reason (the status endpoint, still accepting earlier clients' calls) and version history."""

from __future__ import annotations

from django.test import Client

from microcred_web.editor.models import Withdrawal
from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Specification

from .conftest import ApiWorld, errors_name

# --- QA results -----------------------------------------------------------------------------


def _quality_assured(api: ApiWorld) -> bool:
    provider = api.get("anonymous", f"/api/v1/providers/{api.provider_a.slug}").json()
    return bool(provider["qa_standing"]["quality_assured"])


def test_an_agency_withdraws_its_own_result(api: ApiWorld) -> None:
    assert _quality_assured(api)
    path = f"/api/v1/qa-results/{api.result.public_id}/withdraw"

    refused = api.post("agency_y", path, {"reason": "not ours, but let us try"})
    assert refused.status_code == 403
    response = api.post("agency_x", path, {"reason": "recorded twice, see NVAO-2024-04"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "withdrawn"
    assert body["withdrawn_reason"] == "recorded twice, see NVAO-2024-04"
    api.result.refresh_from_db()
    assert api.result.withdrawn_at is not None
    row = AuditEvent.objects.get(action="qa-result-withdrawn")
    assert (row.interface, row.actor) == ("api", api.users["agency_x"])
    assert row.reason == "recorded twice, see NVAO-2024-04"
    assert not _quality_assured(api)  # a withdrawn result counts on no date

    again = api.post("agency_x", path, {"reason": "once more"})
    assert again.status_code == 409 and again.json()["code"] == "already-withdrawn"


def test_withdrawing_needs_a_reason(api: ApiWorld) -> None:
    path = f"/api/v1/qa-results/{api.result.public_id}/withdraw"
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}):
        response = api.post("agency_x", path, body)
        assert response.status_code == 422, body
        assert errors_name(response, "reason"), response.json()
    assert (
        api.post("agency_x", "/api/v1/qa-results/Q-NOSUCH/withdraw", {"reason": "x"}).status_code
        == 404
    )
    api.result.refresh_from_db()
    assert api.result.withdrawn_at is None


# --- specifications -------------------------------------------------------------------------


def test_duplicating_makes_a_draft_with_the_same_elements(api: ApiWorld) -> None:
    path = f"/api/v1/specifications/{api.spec_a.public_id}/duplicate"
    response = api.post("editor_a", path, {"local_id": "DS-101-2027"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "created"
    record = body["record"]
    assert record["status"] == "draft" and record["local_id"] == "DS-101-2027"
    copy = Specification.objects.get(public_id=record["public_id"])
    assert copy.provider == api.provider_a
    assert copy.data["title"] == api.spec_a.data["title"]
    assert copy.public_id != api.spec_a.public_id
    row = AuditEvent.objects.get(
        action="specification-created", target=f"specification {copy.public_id}"
    )
    assert row.interface == "api"
    # The draft is the editor's (read back with the editor's token, not by anyone).
    assert api.get("editor_a", f"/api/v1/specifications/{copy.public_id}").status_code == 200
    assert api.get("anonymous", f"/api/v1/specifications/{copy.public_id}").status_code == 404

    taken = api.post("editor_a", path, {"local_id": "DS-101-2027"})
    assert taken.status_code == 422 and errors_name(taken, "local_id")
    assert taken.json()["code"] == "duplicate-value"
    for bad in ({}, {"local_id": ""}, {"local_id": "   "}, {"local_id": "x" * 121}):
        response = api.post("editor_a", path, bad)
        assert response.status_code == 422 and errors_name(response, "local_id"), bad
    assert Specification.objects.filter(provider=api.provider_a).count() == 2


def test_withdrawing_with_a_reason_shows_it_publicly(api: ApiWorld) -> None:
    path = f"/api/v1/specifications/{api.spec_a.public_id}/status"
    response = api.post("staff_a", path, {"status": "withdrawn", "reason": "Replaced by DS-201"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    withdrawal = Withdrawal.objects.get(specification=api.spec_a)
    assert withdrawal.reason == "Replaced by DS-201" and withdrawal.author == api.users["staff_a"]
    row = AuditEvent.objects.get(action="specification-withdrawn")
    assert (row.interface, row.reason) == ("api", "Replaced by DS-201")
    public = Client().get(f"/catalogue/specifications/{api.spec_a.public_id}/")
    assert public.status_code == 410
    assert "Replaced by DS-201" in public.content.decode()

    history = api.get("staff_a", f"/api/v1/specifications/{api.spec_a.public_id}/history")
    assert history.json()["withdrawals"][0]["reason"] == "Replaced by DS-201"

    # Only a published specification is withdrawn with a reason; a reason goes with withdrawn.
    again = api.post("staff_a", path, {"status": "withdrawn", "reason": "twice"})
    assert again.status_code == 409 and again.json()["code"] == "not-published"
    wrong = api.post("staff_a", path, {"status": "draft", "reason": "why not"})
    assert wrong.status_code == 422 and errors_name(wrong, "reason")
    for bad in ({"status": "withdrawn", "reason": ""}, {"status": "withdrawn", "reason": "  "}):
        api.spec_a.refresh_from_db()
        response = api.post("staff_a", path, bad)
        assert response.status_code in (409, 422) and errors_name(response, "reason"), bad
    assert Withdrawal.objects.count() == 1


def test_a_blank_reason_is_refused_on_a_published_specification(api: ApiWorld) -> None:
    path = f"/api/v1/specifications/{api.spec_a.public_id}/status"
    for reason in ("", "   "):
        response = api.post("staff_a", path, {"status": "withdrawn", "reason": reason})
        assert response.status_code == 422 and errors_name(response, "reason"), reason
    api.spec_a.refresh_from_db()
    assert api.spec_a.status == "published"


def test_a_withdrawal_without_a_reason_still_works_as_before(api: ApiWorld) -> None:
    """Earlier clients send ``{"status": "withdrawn"}``: it is still the plain status change."""
    path = f"/api/v1/specifications/{api.spec_a.public_id}/status"
    response = api.post("staff_a", path, {"status": "withdrawn"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert not Withdrawal.objects.exists()
    assert api.post("staff_a", path, {"status": "draft"}).json()["status"] == "draft"


def test_the_history_lists_every_version_with_its_changes(api: ApiWorld) -> None:
    spec = api.spec_a
    from microcred_web.register import services

    for title in ("Data stewardship basics, 2026", "Data stewardship, advanced"):
        changed = dict(spec.data) | {"title": {"en": title}}
        saved = services.save_specification(api.users["editor_a"], api.provider_a, changed)
        assert saved.outcome == "updated"
    api.post("editor_a", f"/api/v1/specifications/{spec.public_id}/status", {"status": "draft"})

    response = api.get("editor_a", f"/api/v1/specifications/{spec.public_id}/history")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["public_id"] == spec.public_id and body["provider"] == api.provider_a.slug
    versions = body["versions"]
    assert [v["version"] for v in versions] == sorted(
        (v["version"] for v in versions), reverse=True
    )
    newest, edited = versions[0], versions[1]
    assert newest["status"] == "draft" and newest["changes"] == []
    assert edited["author"] == "editor_a"
    title = [c for c in edited["changes"] if c["path"] == "title.en"]
    assert title and title[0]["kind"] == "changed"
    assert (title[0]["before"], title[0]["after"]) == (
        "Data stewardship basics, 2026",
        "Data stewardship, advanced",
    )
    assert body["version"] == newest["version"]
    oldest = versions[-1]  # the first version kept: every element is new in it
    assert oldest["changes"] and {c["kind"] for c in oldest["changes"]} == {"added"}
