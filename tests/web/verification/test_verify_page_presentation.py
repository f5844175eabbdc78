"""The public /verify/ page accepts a presentation made by the wallet: the presentation's
checks and each credential's result; without a challenge / domain it says what it could not
check; a wrong challenge or domain, a replay and a holder who is not the subject fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.issuing.conftest import HOST
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_present import add_entry, issue_to, make_learner

pytestmark = pytest.mark.django_db
PAGE = "/verify/"


def made(client: Any, entry: Any, challenge: str, domain: str = "hr.example") -> str:
    page = client.post(
        "/wallet/present/",
        {"challenge": challenge, "domain": domain, "entries": [entry.public_id]},
    )
    assert page.status_code == 200
    return str(page.context["presentation"])


def check(client: Any, text: str, **options: str) -> tuple[Any, str]:
    page = client.post(PAGE, {"credential": text, **options}, HTTP_HOST=HOST, secure=True)
    return page, page.content.decode()


@pytest.fixture
def entry(world: Any, client: Any) -> Any:
    ada = make_learner("ada@example.org")
    entry = add_entry(ada, issue_to(world, "ada@example.org").record)
    client.force_login(ada.user)
    return entry


def test_verified_with_every_check_shown(entry: Any, client: Any) -> None:
    page, html = check(client, made(client, entry, "p-1"), challenge="p-1", domain="hr.example")
    assert page.status_code == 200
    report = page.context["presentation"]
    assert report.verified, report.result.as_dict()
    for code in ("format", "proof", "challenge", "domain", "holder", "credentials"):
        assert f'id="vp-check-{code}"' in html
    assert "Presentation: verified" in html
    assert 'id="cred-1-result"' in html and 'id="cred-1-check-proof"' in html
    assert "Data stewardship basics" in html  # the credential's own result and elements
    assert html.count('id="result"') == 1


def test_without_challenge_and_domain_says_what_was_not_checked(entry: Any, client: Any) -> None:
    page, html = check(client, made(client, entry, "p-2"))
    assert page.status_code == 200
    assert 'id="challenge-not-checked"' in html and 'id="domain-not-checked"' in html
    assert page.context["presentation"].not_given == ["challenge", "domain"]


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"challenge": "other", "domain": "hr.example"}, "wrong-challenge"),
        ({"challenge": "p-3", "domain": "evil.example"}, "wrong-domain"),
    ],
)
def test_wrong_options_fail(entry: Any, client: Any, options: dict[str, str], reason: str) -> None:
    page, html = check(client, made(client, entry, "p-3"), **options)
    assert not page.context["presentation"].verified
    assert reason in html and "Presentation: not verified" in html


def test_replay_fails(entry: Any, client: Any) -> None:
    text = made(client, entry, "p-4")
    assert (
        check(client, text, challenge="p-4", domain="hr.example")[0]
        .context["presentation"]
        .verified
    )
    page, html = check(client, text, challenge="p-4", domain="hr.example")
    assert not page.context["presentation"].verified and "challenge-replayed" in html


def test_holder_not_subject_fails(world: Any, client: Any) -> None:
    ada = make_learner("ada@example.org")
    make_learner("bob@example.org", username="bob")
    stolen = add_entry(ada, issue_to(world, "bob@example.org").record)
    client.force_login(ada.user)
    page, html = check(client, made(client, stolen, "p-5"), challenge="p-5", domain="hr.example")
    assert not page.context["presentation"].verified and "holder-not-subject" in html


def test_a_vc_api_body_is_accepted_and_a_credential_still_works(entry: Any, client: Any) -> None:
    vp = json.loads(made(client, entry, "p-6"))
    body = json.dumps({"verifiablePresentation": vp})
    page, _ = check(client, body, challenge="p-6", domain="hr.example")
    assert page.context["presentation"].verified
    page, html = check(client, json.dumps(vp["verifiableCredential"][0]))
    assert page.context.get("presentation") is None and page.context["report"].verified
    assert 'id="result"' in html and 'id="check-proof"' in html
