"""Issue 9: a revoked credential whose status list cannot be loaded is *not* verified.

On the API, the page and the command line: ``verified`` false, ``outcome``
``could-not-check``, the status check an error with reason ``status-list-unavailable`` and
"could not be checked" in words — distinct from "revoked".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred import cli
from microcred_web.issuing import status
from microcred_web.verification import resolvers
from tests.web.issuing.conftest import HOST, IssuingWorld
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.verification.test_instance import API, issued


def revoked(world: IssuingWorld) -> dict[str, Any]:
    outcome = issued(world)
    status.set_status(world.users["staff_a"], outcome.record, "revoke", "fraud")
    return dict(outcome.credential)


@pytest.fixture
def no_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """The instance's status-list fetcher answers None: the list cannot be loaded."""
    monkeypatch.setattr(resolvers.InstanceStatusLists, "fetch", lambda self, url: None)


def api(client: Any, credential: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        API, data=json.dumps({"verifiableCredential": credential}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def status_check(body: dict[str, Any]) -> dict[str, Any]:
    return next(check for check in body["checks"] if check["code"] == "status")


def assert_could_not_check(body: dict[str, Any]) -> None:
    assert body["verified"] is False
    assert body["outcome"] == "could-not-check"
    check = status_check(body)
    assert check["status"] == "error"
    assert check["details"]["reason"] == "status-list-unavailable"
    assert "could not be checked" in check["message"]
    assert "revoked" not in check["details"]["reason"]


def test_api_says_could_not_be_checked(world: IssuingWorld, client: Any, no_lists: None) -> None:
    assert_could_not_check(api(client, revoked(world)))


def test_the_same_credential_with_its_list_is_revoked(world: IssuingWorld, client: Any) -> None:
    body = api(client, revoked(world))
    assert (body["verified"], body["outcome"]) == (False, "not-verified")
    assert status_check(body)["details"]["reason"] == "revoked"


def test_page_says_could_not_be_checked(world: IssuingWorld, client: Any, no_lists: None) -> None:
    credential = revoked(world)
    response = client.post("/verify/", {"credential": json.dumps(credential)}, HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: verified" not in html
    assert "Result: not verified, could not be checked" in html
    assert "Revocation and suspension: Could not be checked" in html
    assert "(code: status/status-list-unavailable)" in html
    assert "Do not rely on it until it can be checked" in html


def test_page_for_a_revoked_credential_says_failed(world: IssuingWorld, client: Any) -> None:
    credential = revoked(world)
    response = client.post("/verify/", {"credential": json.dumps(credential)}, HTTP_HOST=HOST)
    html = response.content.decode()
    assert "Result: not verified</h2>" in html
    assert "Revocation and suspension: Failed" in html
    assert "could not be checked" not in html


def test_cli_says_could_not_be_checked(
    world: IssuingWorld, client: Any, no_lists: None, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(revoked(world)))
    assert cli.main(["verify", "--format", "json", str(path)]) == 1
    assert_could_not_check(json.loads(capsys.readouterr().out))
    assert cli.main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: NOT VERIFIED (could not be checked)"


def test_a_list_that_cannot_be_signed_here_is_not_verified(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real "cannot be loaded": a list row left unsigned by an earlier version (lists are
    now signed at every change), served by an instance started without a KEK. The list
    cannot be produced, so the revocation cannot be seen: not verified, and not "revoked"."""
    from microcred_web.issuing.models import StatusListRecord

    credential = revoked(world)
    StatusListRecord.objects.update(signed=None)
    monkeypatch.delenv("MICROCRED_KEK", raising=False)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    body = api(client, credential)
    url = status_check(body)["details"]["entries"][0]["url"]
    assert url == credential["credentialStatus"]["statusListCredential"]
    assert_could_not_check(body)
