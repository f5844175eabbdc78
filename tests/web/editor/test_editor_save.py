"""The editor page: a new specification from the form, drafts kept as typed, publishing refused
while there are errors, and the findings shown next to the element they name."""

from __future__ import annotations

import copy
import re

from django.test import Client

from microcred_web.editor.models import EditorDraft
from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Specification

from .conftest import SPEC, EditorWorld, form_of


def _client(world: EditorWorld, who: str = "staff_a") -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_empty_form_shows_every_annex_i_element(editor_world: EditorWorld) -> None:
    response = _client(editor_world).get(editor_world.url("new"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        'name="title.lang.0"',
        'name="issuer_countries"',
        'name="awarding_bodies[0].name.text.0"',
        'name="learning_outcomes[0].esco_skill"',
        'name="workload.ects"',
        'name="workload.hours"',
        'name="level.eqf"',
        'name="level.qf_ehea"',
        'name="assessment.types"',
        'name="participation.mode"',
        'name="supervision"',
        'name="quality_assurance[0].type"',
        'name="stackability.option"',
        'name="fields_of_study"',
        'name="languages"',
        'name="prerequisites.text.0"',
        'name="grade_scheme.text.0"',
        'name="further_information.text.0"',
    ):
        assert name in html, name
    assert '<option value="0613">0613 – ' in html  # the ISCED-F picker holds the vocabulary


def test_publish_a_new_specification_from_the_form(editor_world: EditorWorld) -> None:
    data = copy.deepcopy(SPEC) | {"id": "NEW-1"}
    response = _client(editor_world).post(
        editor_world.url("new"), form_of(data) | {"action": "publish"}
    )
    assert response.status_code == 302
    spec = Specification.objects.get(provider=editor_world.provider_a, local_id="NEW-1")
    assert spec.status == "published" and not spec.has_errors
    assert spec.data["learning_outcomes"][0]["esco_skill"].endswith("/aaaa")
    assert spec.data["title"]["fr"] == "Bases de la gestion des données"
    assert response["Location"] == editor_world.url("edit", spec.public_id)
    assert AuditEvent.objects.filter(
        action="specification-created", target=f"specification {spec.public_id}"
    ).exists()


def test_a_draft_with_errors_is_kept_exactly_as_typed(editor_world: EditorWorld) -> None:
    data = copy.deepcopy(SPEC) | {"id": "NEW-2"}
    form = form_of(data) | {"workload.ects": "five", "issuer_countries": ["NL", "XX"]}
    client = _client(editor_world)
    response = client.post(editor_world.url("new"), form | {"action": "publish"})
    assert response.status_code == 302
    spec = Specification.objects.get(local_id="NEW-2")
    assert spec.status == "draft" and spec.has_errors  # publishing refused, draft kept
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "cannot be published until its 2 errors are fixed" in html
    assert 'name="workload.ects" id="f-workload-ects" data-kind="number" value="five"' in html
    assert '<option value="XX" selected>XX (not in the vocabulary)</option>' in html
    # Each error sits in the slot of its element, with the API's code.
    ects = re.search(r'id="f-workload-ects-findings"[^>]*>(.*?)</div>', html, re.S)
    assert ects is not None and "invalid-value" in ects.group(1)
    countries = re.search(r'id="f-issuer_countries-findings"[^>]*>(.*?)</div>', html, re.S)
    assert countries is not None and "unknown-code" in countries.group(1)
    assert EditorDraft.objects.get(specification=spec).data["workload"]["ects"] == "five"


def test_a_new_form_without_local_id_is_shown_again_with_the_error(
    editor_world: EditorWorld,
) -> None:
    data = copy.deepcopy(SPEC)
    data.pop("id")
    response = _client(editor_world).post(editor_world.url("new"), form_of(data))
    assert response.status_code == 422
    html = response.content.decode()
    field = re.search(r'id="f-id-findings"[^>]*>(.*?)</div>', html, re.S)
    assert field is not None and "local id is needed" in field.group(1)
    assert 'value="Data stewardship basics"' in html  # nothing typed is lost
    assert Specification.objects.count() == 1


def test_a_new_form_may_not_take_an_existing_local_id(editor_world: EditorWorld) -> None:
    data = copy.deepcopy(SPEC) | {"title": {"en": "Something else"}}
    response = _client(editor_world).post(editor_world.url("new"), form_of(data))
    assert response.status_code == 422
    assert "already the local identifier of" in response.content.decode()
    editor_world.spec.refresh_from_db()
    assert editor_world.spec.data["title"]["en"] == "Data stewardship basics"


def test_editing_keeps_the_local_id_and_adds_a_version(editor_world: EditorWorld) -> None:
    spec = editor_world.spec
    data = copy.deepcopy(SPEC) | {"id": "HIJACK", "title": {"en": "Data stewardship, revised"}}
    response = _client(editor_world).post(
        editor_world.url("edit", spec.public_id), form_of(data) | {"action": "save"}
    )
    assert response.status_code == 302
    spec.refresh_from_db()
    assert spec.local_id == "DS-101" and spec.version == 2
    assert spec.data["title"] == {"en": "Data stewardship, revised"}
    assert spec.status == "published"  # a clean save keeps the status
    assert not Specification.objects.filter(local_id="HIJACK").exists()


def test_saving_errors_into_a_published_one_takes_it_out_of_the_catalogue(
    editor_world: EditorWorld,
) -> None:
    spec = editor_world.spec
    data = copy.deepcopy(SPEC)
    data.pop("learning_outcomes")
    _client(editor_world).post(editor_world.url("edit", spec.public_id), form_of(data))
    spec.refresh_from_db()
    assert spec.status == "draft" and spec.has_errors and not spec.in_catalogue


def test_buttons_work_without_javascript(editor_world: EditorWorld) -> None:
    client = _client(editor_world)
    form = form_of(copy.deepcopy(SPEC) | {"id": "NEW-3"})
    added = client.post(editor_world.url("new"), form | {"action": "add-row:learning_outcomes"})
    html = added.content.decode()
    assert added.status_code == 200
    assert 'name="learning_outcomes[2].text.lang.0"' in html
    lang = client.post(editor_world.url("new"), form | {"action": "add-lang:description"})
    assert 'name="description.lang.1"' in lang.content.decode()
    removed = client.post(
        editor_world.url("new"), form | {"action": "remove-row:learning_outcomes[0]"}
    )
    text = removed.content.decode()
    assert "Write a data management plan" not in text and "Apply the FAIR principles" in text
    checked = client.post(editor_world.url("new"), form | {"action": "check"})
    assert checked.status_code == 200
    assert not Specification.objects.filter(local_id="NEW-3").exists()  # none of them saves


def test_missing_languages_are_named_per_field(editor_world: EditorWorld) -> None:
    html = _client(editor_world).get(editor_world.url("edit", editor_world.spec.public_id))
    text = html.content.decode()
    description = re.search(r'data-missing-for="description">([^<]*)<', text)
    assert description is not None and "fr" in description.group(1)
    title = re.search(r'data-missing-for="title">([^<]*)<', text)
    assert title is not None and title.group(1).strip() == ""
