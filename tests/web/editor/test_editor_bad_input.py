"""Bad input on the editor's form: never a 500, the message at the element, nothing typed lost."""

from __future__ import annotations

import copy
import re

import pytest
from django.test import Client

from microcred_web.editor.models import EditorDraft
from microcred_web.register.models import Specification

from .conftest import SPEC, EditorWorld, form_of


def _client(world: EditorWorld) -> Client:
    client = Client()
    client.force_login(world.users["staff_a"])
    return client


@pytest.mark.parametrize(
    ("changes", "path", "code"),
    [
        ({"workload.ects": "1e999"}, "workload-ects", "invalid-value"),
        ({"workload.hours": "-3"}, "workload-hours", "workload-not-positive"),
        ({"level.eqf": "12"}, "level-eqf", "unknown-code"),
        ({"title.lang.0": "english!"}, "title", "invalid-language-tag"),
        ({"title.text.0": "   ", "title.text.1": " "}, "title", "empty-text"),
        ({"url": "not a uri"}, "url", "invalid-uri"),
        (
            {"learning_outcomes[0].esco_skill": "esco skill"},
            "learning_outcomes-0-esco_skill",
            "invalid-uri",
        ),
        ({"participation.scheduled": "maybe"}, None, None),
        ({"participation.mode": "by pigeon"}, "participation-mode", "unknown-code"),
        ({"quality_assurance[0].type": ""}, "quality_assurance-0-type", "missing-element"),
    ],
)
def test_bad_values_are_named_at_their_element(
    editor_world: EditorWorld, changes: dict[str, str], path: str | None, code: str | None
) -> None:
    form = form_of(copy.deepcopy(SPEC) | {"id": "BAD-1"}) | changes
    client = _client(editor_world)
    response = client.post(editor_world.url("new"), form | {"action": "save"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    if path is not None:
        slot = re.search(rf'id="f-{re.escape(path)}-findings"[^>]*>(.*?)</div>', page, re.S)
        assert slot is not None and code in slot.group(1), page
    spec = Specification.objects.get(local_id="BAD-1")
    assert EditorDraft.objects.get(specification=spec).version == spec.version
    for name, value in changes.items():
        plain = ".lang." not in name and ".text." not in name and name != "participation.scheduled"
        if value.strip() and plain:
            assert f'value="{value}"' in page, name  # shown again as typed


def test_nul_characters_and_huge_indices_are_no_500(editor_world: EditorWorld) -> None:
    form = form_of(copy.deepcopy(SPEC) | {"id": "NUL-1"})
    form["title.text.0"] = "Data\x00 stewardship"
    form["learning_outcomes[99999].text.lang.0"] = "en"
    form["learning_outcomes[99999].text.text.0"] = "hidden"
    form["not.an.element"] = "x"
    form["title.lang.99999"] = "de"
    response = _client(editor_world).post(editor_world.url("new"), form | {"action": "save"})
    assert response.status_code == 302
    spec = Specification.objects.get(local_id="NUL-1")
    assert spec.data["title"] == {"en": "Data stewardship", "fr": form["title.text.1"]}
    assert len(spec.data["learning_outcomes"]) == 2


def test_an_unknown_action_only_shows_the_form(editor_world: EditorWorld) -> None:
    form = form_of(copy.deepcopy(SPEC) | {"id": "ACT-1"})
    for action in ("delete", "add-row:nothing", "add-lang:id", "remove-row:title[0]", "x" * 5000):
        response = _client(editor_world).post(editor_world.url("new"), form | {"action": action})
        assert response.status_code == 200, action
    assert not Specification.objects.filter(local_id="ACT-1").exists()


def test_unknown_specification_is_a_404(editor_world: EditorWorld) -> None:
    client = _client(editor_world)
    assert client.get(editor_world.url("edit", "S-NOPE")).status_code == 404
    assert client.post(editor_world.url("edit", "S-NOPE"), {}).status_code == 404
