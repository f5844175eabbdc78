"""The provider's issued list: the learner's name (never the hashed identifier), search by
name or by the exact identifier (matched by its hash), paging (a page past the end answered
properly), only the status changes that apply, revoking confirmed first; the name stays off
public pages and open data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.dashboard import issued
from microcred_web.issuing import issue
from microcred_web.issuing.models import IssuedCredentialRecord

from .conftest import TeamWorld

PAGE = "/dashboard/providers/north-sea-university/"


def _issue(team: TeamWorld, identifier: str, name: str | None = None, **more: Any) -> Any:
    learner = issue.Learner(identifier, name, **more)
    return issue.issue_credential(team.users["issuer_a"], team.base.spec_a, learner).record


def _row(content: str, record: Any) -> str:
    start = content.index(f'id="credential-{record.public_id}"')
    return content[start : content.index("</tr>", start)]


def test_the_name_is_shown_and_the_hash_never(team: TeamWorld) -> None:
    named = _issue(team, "ada@example.org", "Ada Lovelace")
    parts = _issue(
        team, "S-1234", given_name="Grace", family_name="Hopper", scheme="student-number"
    )
    nameless = _issue(team, "did:example:123")
    assert (named.learner_name, parts.learner_name, nameless.learner_name) == (
        "Ada Lovelace",
        "Grace Hopper",
        "",
    )
    content = team.client("issuer_a").get(PAGE).content.decode()
    assert "Ada Lovelace" in _row(content, named) and "Grace Hopper" in _row(content, parts)
    for record in (named, parts, nameless):
        assert record.learner_hash not in content
    assert "ada@example.org" not in content and "S-1234" not in content


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("lovelace", ["ada"]),
        ("  Ada   LOVELACE ", ["ada"]),
        ("ada@example.org", ["ada"]),
        ("ADA@example.org", ["ada"]),
        ("S-1234", ["grace"]),
        ("S-123", []),  # part of an identifier finds nothing: only its hash is stored
        ("example.org", []),
        ("Hopper", ["grace"]),
        ("nobody at all", []),
        ("%", []),
        ("x" * 5000, []),
        ("Ada\x00", ["ada"]),
    ],
)
def test_search(team: TeamWorld, query: str, found: list[str]) -> None:
    records = {
        "ada": _issue(team, "ada@example.org", "Ada Lovelace"),
        "grace": _issue(team, "S-1234", "Grace Hopper", scheme="student-number"),
    }
    response = team.client("issuer_a").get(PAGE, {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    for key, record in records.items():
        assert (f'id="credential-{record.public_id}"' in content) == (key in found), (query, key)


def test_paging_and_a_page_past_the_end(team: TeamWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(issued, "PAGE_SIZE", 2)
    records = [_issue(team, f"l{n}@example.org", f"Learner {n}") for n in range(5)]
    client = team.client("issuer_a")
    first = client.get(PAGE).content.decode()
    assert "page 1 of 3" in first and 'rel="next"' in first
    assert f'id="credential-{records[4].public_id}"' in first  # newest first
    third = client.get(PAGE, {"page": "3"}).content.decode()
    assert f'id="credential-{records[0].public_id}"' in third and 'rel="next"' not in third
    past = client.get(PAGE, {"page": "9"})
    assert past.status_code == 404
    assert b"there is no page 9: the list has 3" in past.content
    assert f'id="credential-{records[0].public_id}"'.encode() in past.content  # the last page
    for bad in ("abc", "0", "-1", "1.5", "9" * 40):
        response = client.get(PAGE, {"page": bad})
        assert response.status_code in (400, 404), bad
    searched = client.get(PAGE, {"q": "Learner", "page": "2"}).content.decode()
    assert "q=Learner&amp;page=3" in searched  # paging keeps the search


def test_only_the_status_changes_that_apply(team: TeamWorld, suspension: None) -> None:
    active = _issue(team, "a@example.org", "Active One")
    suspended = _issue(team, "s@example.org", "Suspended One")
    revoked = _issue(team, "r@example.org", "Revoked One")
    client = team.client("issuer_a")
    url = PAGE + "credentials/{}/status"
    assert (
        client.post(
            url.format(suspended.public_id), {"action": "suspend", "reason": "x"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url.format(revoked.public_id), {"action": "revoke", "reason": "x", "confirm": "yes"}
        ).status_code
        == 302
    )
    content = client.get(PAGE).content.decode()
    offered = {
        name: {
            action
            for action in ("revoke", "suspend", "reinstate")
            if f'value="{action}"' in _row(content, record)
        }
        for name, record in (("active", active), ("suspended", suspended), ("revoked", revoked))
    }
    assert offered == {
        "active": {"revoke", "suspend"},
        "suspended": {"revoke", "reinstate"},
        "revoked": set(),
    }
    assert "revocation is final" in _row(content, revoked)


def test_revoking_asks_to_confirm(team: TeamWorld) -> None:
    record = _issue(team, "ada@example.org", "Ada Lovelace")
    client = team.client("issuer_a")
    url = PAGE + f"credentials/{record.public_id}/status"
    asked = client.post(url, {"action": "revoke", "reason": "plagiarism", "q": "Ada"})
    assert asked.status_code == 200
    content = asked.content.decode()
    assert "Revoke this credential?" in content and "Ada Lovelace" in content
    assert 'name="confirm" value="yes"' in content
    assert "plagiarism" in content  # the reason typed is kept
    record.refresh_from_db()
    assert not record.revoked
    # the confirmation page is also reachable directly (a link, no JavaScript needed)
    direct = client.get(PAGE + f"credentials/{record.public_id}/revoke", {"reason": "why"})
    assert direct.status_code == 200 and b"Revoke for good" in direct.content
    # confirming with no reason keeps the page, with the error next to the field
    empty = client.post(url, {"action": "revoke", "reason": "", "confirm": "yes"})
    assert empty.status_code == 422 and b"Revoke this credential?" in empty.content
    assert f'id="status-{record.public_id}-reason-error"'.encode() in empty.content
    done = client.post(
        url, {"action": "revoke", "reason": "plagiarism", "confirm": "yes", "q": "Ada"}
    )
    assert done.status_code == 302 and done["Location"].endswith("?q=Ada")
    record.refresh_from_db()
    assert record.revoked
    # a revoked credential's confirmation page sends back to the list
    assert client.get(PAGE + f"credentials/{record.public_id}/revoke").status_code == 302


def test_the_name_stays_off_public_pages_and_open_data(team: TeamWorld, client: Any) -> None:
    record = _issue(team, "ada@example.org", "Zebedee Quinquaginta")
    public = [
        "/",
        "/catalogue/",
        f"/catalogue/specifications/{team.base.spec_a.public_id}/",
        "/api/v1/open-data/register.json",
        "/api/v1/open-data/catalogue.json",
        "/api/v1/open-data/achievements.jsonld",
        "/providers/north-sea-university/did.json",
    ]
    for url in public:
        response = client.get(url, HTTP_HOST="issuer.example", secure=True)
        assert response.status_code in (200, 301, 302), url
        assert b"Zebedee" not in response.content, url
    from microcred_web.issuing.models import AuditEvent

    assert "Zebedee" not in json.dumps(
        list(AuditEvent.objects.values("target", "details", "reason"))
    )
    assert IssuedCredentialRecord.objects.get(pk=record.pk).learner_name == "Zebedee Quinquaginta"
