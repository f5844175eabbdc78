"""The wallet's present page: a signed presentation of the learner's own chosen credentials,
for the verifier's challenge and domain; clear refusals otherwise."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.utils import timezone

from microcred_web.wallet.models import LearnerAccount
from tests.web.issuing.conftest import IssuingWorld
from tests.web.wallet.fixtures_present import add_entry, issue_to, make_learner

pytestmark = pytest.mark.django_db
URL = "/wallet/present/"


@pytest.fixture
def ada(world: IssuingWorld, client: Any) -> tuple[Any, Any]:
    account = make_learner("ada@example.org")
    entry = add_entry(account, issue_to(world, "ada@example.org").record)
    client.force_login(account.user)
    return account, entry


def test_link_prefills_the_form(ada: tuple[Any, Any], client: Any) -> None:
    _, entry = ada
    page = client.get(URL, {"challenge": "c-123", "domain": "hr.example", "entry": entry.public_id})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="c-123"' in html and 'value="hr.example"' in html
    assert f'value="{entry.public_id}" id="entry-{entry.public_id}" checked' in html
    assert "<script>" not in html and "style=" not in html


def test_presentation_is_signed_by_the_holder(ada: tuple[Any, Any], client: Any) -> None:
    account, entry = ada
    page = client.post(
        URL, {"challenge": "c-1", "domain": "hr.example", "entries": [entry.public_id]}
    )
    assert page.status_code == 200
    text = page.context["presentation"]
    vp = json.loads(text)
    holder_did = LearnerAccount.objects.get(pk=account.pk).holder_did
    assert vp["holder"] == holder_did
    assert vp["verifiableCredential"][0]["credentialSubject"]["id"] == holder_did
    proof = vp["proof"]
    assert proof["proofPurpose"] == "authentication" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert (proof["challenge"], proof["domain"]) == ("c-1", "hr.example")
    assert proof["verificationMethod"].startswith(holder_did + "#")
    assert "present.js" in page.content.decode()


def test_download(ada: tuple[Any, Any], client: Any) -> None:
    _, entry = ada
    response = client.post(
        URL, {"challenge": "c-2", "entries": [entry.public_id], "action": "download"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="presentation.json"'
    assert json.loads(response.content)["proof"]["challenge"] == "c-2"
    assert "domain" not in json.loads(response.content)["proof"]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"challenge": ""}, "missing-challenge"),
        ({"challenge": "x" * 600}, "invalid-challenge"),
        ({"challenge": "c", "entries": []}, "no-entries"),
        ({"challenge": "c", "entries": ["not-a-uuid"]}, "unknown-entry"),
        ({"challenge": "c", "entries": [str(uuid.uuid4())]}, "unknown-entry"),
    ],
)
def test_refusals(ada: tuple[Any, Any], client: Any, form: dict[str, Any], code: str) -> None:
    _, entry = ada
    form = {"entries": [entry.public_id], **form}
    page = client.post(URL, form)
    assert page.status_code == 400
    assert page.context["error"].code == code
    assert 'role="alert"' in page.content.decode()


def test_only_own_and_not_removed(ada: tuple[Any, Any], world: IssuingWorld, client: Any) -> None:
    _, entry = ada
    bob = make_learner("bob@example.org", username="bob")
    bobs = add_entry(bob, issue_to(world, "bob@example.org").record)
    page = client.get(URL)
    assert str(bobs.public_id) not in page.content.decode()
    assert client.post(URL, {"challenge": "c", "entries": [bobs.public_id]}).status_code == 400
    entry.removed = timezone.now()
    entry.save()
    assert str(entry.public_id) not in client.get(URL).content.decode()
    assert client.post(URL, {"challenge": "c", "entries": [entry.public_id]}).status_code == 400


def test_without_kek_a_clear_refusal(
    ada: tuple[Any, Any], client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    account, entry = ada
    LearnerAccount.objects.filter(pk=account.pk).update(
        holder_did="", holder_public_multibase="", holder_sealed_private=""
    )
    monkeypatch.delenv("MICROCRED_KEK")
    page = client.post(URL, {"challenge": "c", "entries": [entry.public_id]})
    assert page.status_code == 503
    assert page.context["error"].code == "kek-unavailable"
    assert LearnerAccount.objects.get(pk=account.pk).holder_sealed_private == ""


def test_entry_page_partial_links_to_present_with_the_entry(ada: tuple[Any, Any]) -> None:
    from django.template.loader import render_to_string

    _, entry = ada
    html = render_to_string("wallet/_entry_present.html", {"entry": entry})
    assert f'href="{URL}?entry={entry.public_id}"' in html
