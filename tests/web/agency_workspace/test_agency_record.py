"""The agency's own record, edited by its staff through the register's agency service."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred_web.issuing.models import AuditEvent

from .conftest import World

URL = "/dashboard/agencies/nvao/record"


def _post(world: World, data: dict[str, Any]) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users["agency_x"])
    response = client.post(URL, data)
    return response.status_code, response.content.decode()


def good(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_rows": "3",
        "name_lang_0": "en",
        "name_text_0": "Accreditation Organisation of the Netherlands and Flanders",
        "name_lang_1": "nl",
        "name_text_1": "Nederlands-Vlaamse Accreditatieorganisatie",
        "name_lang_2": "",
        "name_text_2": "",
        "acronym": "NVAO",
        "countries": ["NL", "BE"],
        "website": "https://www.nvao.net",
        "eqar_registered_since": "2008-11-20",
        "eqar_registered_until": "",
        "activities": ["institutional", "programme", "joint-programme"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_shows_the_record(world: World) -> None:
    client = Client()
    client.force_login(world.users["agency_x"])
    html = client.get(URL).content.decode()
    assert 'value="NVAO"' in html and 'value="2008-01-01"' in html
    assert '<option value="NL" selected>' in html


def test_staff_edit_names_countries_eqar_and_activities(world: World) -> None:
    status, _ = _post(world, good())
    assert status == 302
    agency = world.agency_x
    agency.refresh_from_db()
    assert agency.name["nl"] == "Nederlands-Vlaamse Accreditatieorganisatie"
    assert agency.countries == ["NL", "BE"]
    assert str(agency.eqar_registered_since) == "2008-11-20"
    assert agency.activities == ["institutional", "programme", "joint-programme"]
    assert agency.website == "https://www.nvao.net"
    assert AuditEvent.objects.filter(action="agency-updated").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_lang_0": "", "name_lang_1": "", "name_text_1": ""}, "name", "give the language"),
        ({"name_lang_1": "en"}, "name", "en is given twice"),
        ({"name_lang_1": "dutch language"}, "name", "is not a language tag"),
        ({"name_text_0": "", "name_lang_0": "", "name_lang_1": "", "name_text_1": ""}, "name", ""),
        ({"acronym": ""}, "acronym", "acronym cannot be emptied"),
        ({"countries": ["NL", "XX"]}, "countries", "not an ISO 3166-1"),
        ({"website": "nvao.net"}, "website", "absolute http(s) URL"),
        ({"eqar_registered_since": "yesterday"}, "eqar_registered_since", "valid date"),
        ({"eqar_registered_until": "2001-01-01"}, "eqar_registered_until", "ends before"),
        ({"activities": ["accreditation"]}, "activities", "Input should be"),
        ({"acronym": "NV\x00AO"}, "acronym", "NUL character"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    status, html = _post(world, good(**changes))
    assert status == 422, html
    assert f'id="f-{field}-error"' in html
    assert message in html.split(f'id="f-{field}-error"', 1)[1].split("</p>", 1)[0]
    assert 'value="https://www.nvao.net"' in html or "website" in changes  # kept as typed
    agency = world.agency_x
    agency.refresh_from_db()
    assert agency.name == {"en": "NVAO"} and agency.countries == ["NL", "BE"]
