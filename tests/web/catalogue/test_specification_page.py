"""``/catalogue/specifications/<id>/``: every Annex I element in words, and the QA statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.web.catalogue import factories as f

ANNEX_I = {
    "el-title": "Data stewardship basics",
    "el-awarding-bodies": "North Sea University, Netherlands",
    "el-countries": "Netherlands",
    "el-outcomes": "Write a data management plan",
    "el-workload": "5 ECTS credits, 140 hours of learning",
    "el-level": "(EQF) level 7; Bologna (QF-EHEA): Second cycle",
    "el-assessment": "Project, Written examination",
    "el-participation": "Blended, on a fixed schedule",
    "el-qa-type": "External quality assurance at institutional level",
    "el-prerequisites": "A bachelor&#x27;s degree in any field",
    "el-supervision": "Supervised on-site with identity verification",
    "el-grade": "Pass or fail",
    "el-stackability": "Counts towards: MSc Data Science",
    "el-further": "Runs twice a year.",
    "el-fields": "Software and applications development and analysis (ISCED-F 0613)",
    "el-languages": "English",
}


def _section(html: str, element_id: str) -> str:
    start = html.index(f'<div id="{element_id}">')
    return html[start : html.index("</div>", start)]


def test_every_annex_i_element_in_plain_words(client: Client, db: None) -> None:
    spec = f.publish(f.provider(), "DS-1")
    response = client.get(f"/catalogue/specifications/{spec.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    for element_id, words in ANNEX_I.items():
        assert words in _section(html, element_id), element_id
    assert 'href="http://data.europa.eu/esco/skill/25f0ea33' in _section(html, "el-outcomes")
    assert "Identification of the learner, date of issuing and grade achieved" in html


def test_qa_statement_from_the_register(client: Client, db: None) -> None:
    owner = f.provider()
    until = f.TODAY + timedelta(days=400)
    f.qa_result(f.agency(), owner, valid_until=until)
    spec = f.publish(owner, "DS-1")
    html = client.get(f"/catalogue/specifications/{spec.public_id}/").content.decode()
    assert (
        "<strong>Quality assured:</strong> "
        f"Institutional review by NVAO, positive, valid until {until.isoformat()}."
    ) in html
    assert 'class="qa-box qa-ok"' in html


def test_qa_statement_says_why_not(client: Client, db: None) -> None:
    owner = f.provider()
    ended = f.TODAY - timedelta(days=10)
    f.qa_result(f.agency(), owner, valid_from=ended - timedelta(days=900), valid_until=ended)
    spec = f.publish(owner, "DS-1")
    html = client.get(f"/catalogue/specifications/{spec.public_id}/").content.decode()
    assert "<strong>Not quality assured today:</strong>" in html
    assert f"expired on {ended.isoformat()}" in html

    other = f.publish(f.provider("acme", "Acme"), "X")
    html = client.get(f"/catalogue/specifications/{other.public_id}/").content.decode()
    assert "No external quality assurance result in the register" in html


def test_text_in_the_visitors_language(client: Client, db: None) -> None:
    spec = f.publish(f.provider(), "DS-1")
    html = client.get(f"/catalogue/specifications/{spec.public_id}/?lang=fr").content.decode()
    assert '<h1><span lang="fr">Bases de la gestion des données</span></h1>' in html
    assert '<span lang="fr">Rédiger un plan de gestion</span>' in html
    assert "Apply the FAIR principles" in html  # no French: English


# A withdrawn one has its own page, saying when and why (tests/web/editor/test_withdraw.py).
@pytest.mark.parametrize("status", ["draft"])
def test_only_catalogue_specifications_are_shown(client: Client, db: None, status: str) -> None:
    spec = f.publish(f.provider(), "DS-1")
    f.set_status(spec, status)
    response = client.get(f"/catalogue/specifications/{spec.public_id}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This micro-credential is not in the catalogue" in html
    assert "Data stewardship" not in html


def test_unknown_id_is_a_friendly_404(client: Client, db: None) -> None:
    response = client.get("/catalogue/specifications/S-NOPE/")
    assert response.status_code == 404
    assert 'href="/catalogue/"' in response.content.decode()
