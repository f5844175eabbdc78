"""The verify page shows every Annex I element a credential carries, in plain words: the
stackability target, the field of study, the duration, further information, the grade and the
date of achievement; nothing for an optional element that is absent (never "None"); and links
to the specification's and the provider's pages when they are this instance's."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from microcred_web.issuing import issue
from tests.web.issuing.conftest import IssuingWorld, _spec

# The issuing tests' settings (KEK, host), autouse in this module.
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401

URL = "/verify/"
pytestmark = pytest.mark.django_db

FULL = {
    "prerequisites": {"en": "A bachelor's degree in any field"},
    "supervision": "supervised-onsite-id",
    "grade_scheme": {"en": "Pass or fail"},
    "stackability": {"option": "stackable", "towards": {"en": "MSc Data Science"}},
    "further_information": {"en": "Runs twice a year."},
    "fields_of_study": ["0613"],
    "duration": "P6W",
}


def page(client: Any, credential: dict[str, Any]) -> str:
    response = client.post(URL, {"credential": json.dumps(credential)})
    assert response.status_code == 200
    return response.content.decode()


def test_every_element_is_shown_with_grade_date_and_links(world: IssuingWorld, client: Any) -> None:
    spec = _spec(world.provider_a, "DS-401", **FULL)
    credential = issue.issue_credential(
        world.users["staff_a"],
        spec,
        issue.Learner(
            "ada@example.org",
            given_name="Ada",
            family_name="Lovelace",
            grade="Pass",
            achieved_on=date(2025, 6, 20),
        ),
    ).credential
    html = page(client, credential)
    assert "Result: verified" in html
    for text in (
        "Counts towards: MSc Data Science",
        "Software and applications development and analysis",  # ISCED-F 0613 in words
        "(ISCED-F 0613)",
        "6 weeks",
        "Runs twice a year.",
        "A bachelor&#x27;s degree in any field",
        'id="el-grade"',
        "Pass",
        "Date of achievement</dt><dd>2025-06-20",
        "given name Ada",
        "family name Lovelace",
    ):
        assert text in html, text
    assert f'href="/catalogue/specifications/{spec.public_id}/"' in html
    assert f'href="/providers/{world.provider_a.slug}/"' in html
    assert ">None<" not in html and "None stated" not in html


def test_absent_optional_elements_are_left_out(client: Any, signed: Any) -> None:
    html = page(client, signed)  # a did:key credential without the optional elements
    assert "Result: verified" in html
    for element in ("el-further", "el-stackability", "el-grade", "el-achieved", "el-duration"):
        assert f'id="{element}"' not in html, element
    assert "None" not in html
    # A foreign credential's specification and issuer are not linked: no page of ours.
    assert "/catalogue/specifications/" not in html and 'id="provider-link"' not in html
