"""Nobody reads or writes a provider's specifications in the editor unless they may edit the
provider: another provider's staff, an agency's staff, a user with no role and an anonymous
visitor are refused on every page and action; nothing is written."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred_web.editor.models import Withdrawal
from microcred_web.register.models import Specification, SpecificationVersion

from .conftest import SPEC, EditorWorld, form_of

REFUSED = ("staff_b", "agency", "nobody", None)


def _requests(world: EditorWorld) -> list[tuple[str, str, dict[str, Any]]]:
    sid = world.spec.public_id
    form = form_of(copy.deepcopy(SPEC) | {"title": {"en": "Taken over"}})
    upload = b'{"id": "EVIL-1", "title": {"en": "Evil"}}'
    return [
        ("get", world.url("list"), {}),
        ("get", world.url("new"), {}),
        ("post", world.url("new"), form_of(copy.deepcopy(SPEC) | {"id": "EVIL-2"})),
        ("get", world.url("edit", sid), {}),
        ("post", world.url("edit", sid), form | {"action": "publish"}),
        ("post", world.url("edit", sid), form | {"action": "check"}),
        ("get", world.url("history", sid), {}),
        ("get", world.url("diff", sid) + "?before=1&after=1", {}),
        ("get", world.url("duplicate", sid), {}),
        ("post", world.url("duplicate", sid), {"local_id": "EVIL-3"}),
        ("get", world.url("withdraw", sid), {}),
        ("post", world.url("withdraw", sid), {"reason": "because", "confirm": "on"}),
        ("get", world.url("import"), {}),
        ("post", world.url("import"), {"file": SimpleUploadedFile("x.json", upload)}),
    ]


@pytest.mark.parametrize("who", REFUSED)
def test_refused_on_every_page_and_action(editor_world: EditorWorld, who: str | None) -> None:
    client = Client()
    if who is not None:
        client.force_login(editor_world.users[who])
    versions = SpecificationVersion.objects.count()
    for method, url, body in _requests(editor_world):
        if method == "post" and "file" in body:
            body = {"file": SimpleUploadedFile("x.json", body["file"].read())}
        response = getattr(client, method)(url, body)
        if who is None:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url
        else:
            assert response.status_code == 403, (who, method, url, response.status_code)
            assert "Taken over" not in response.content.decode()
            assert "Data stewardship" not in response.content.decode(), url
    assert SpecificationVersion.objects.count() == versions
    assert Specification.objects.count() == 1
    editor_world.spec.refresh_from_db()
    assert editor_world.spec.status == "published"
    assert editor_world.spec.data["title"]["en"] == "Data stewardship basics"
    assert not Withdrawal.objects.exists()


def test_another_providers_specification_is_not_found_under_ones_own(
    editor_world: EditorWorld,
) -> None:
    """staff_b may edit codecraft, but not reach provider A's record through codecraft's URLs."""
    client = Client()
    client.force_login(editor_world.users["staff_b"])
    sid = editor_world.spec.public_id
    provider = editor_world.provider_b
    for name in ("edit", "history", "duplicate", "withdraw"):
        response = client.get(editor_world.url(name, sid, provider=provider))
        assert response.status_code == 404, name
    response = client.post(
        editor_world.url("withdraw", sid, provider=provider), {"reason": "x", "confirm": "on"}
    )
    assert response.status_code == 404
    editor_world.spec.refresh_from_db()
    assert editor_world.spec.status == "published"


@pytest.mark.parametrize("who", ["staff_a", "operator"])
def test_the_providers_staff_and_the_operator_may(editor_world: EditorWorld, who: str) -> None:
    client = Client()
    client.force_login(editor_world.users[who])
    for method, url, _ in _requests(editor_world):
        if method == "get":
            assert client.get(url).status_code == 200, url
