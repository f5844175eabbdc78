"""``/agencies/<slug>/``: countries, EQAR registration, activities, recorded results."""

from __future__ import annotations

from django.test import Client

from tests.web.catalogue import factories as f


def test_agency_page(client: Client, db: None) -> None:
    nvao = f.agency()
    f.qa_result(nvao, f.provider())
    f.qa_result(nvao, f.provider("acme", "Acme", kind="company"), activity="programme")
    response = client.get("/agencies/nvao/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>NVAO quality agency (NVAO)</h1>" in html
    assert "Netherlands, Belgium" in html
    assert "Yes, since 2008-01-01" in html
    assert "Institutional review, Programme review" in html
    assert "2 external QA results, newest first" in html
    assert 'href="/providers/north-sea-university/"' in html and 'href="/providers/acme/"' in html


def test_agency_outside_eqar(client: Client, db: None) -> None:
    f.agency("local", "LQA", eqar=False)
    html = client.get("/agencies/local/").content.decode()
    assert "<dt>Registered in EQAR</dt><dd>No</dd>" in html
    assert "No result recorded yet." in html


def test_unknown_agency_is_a_friendly_404(client: Client, db: None) -> None:
    assert client.get("/agencies/nobody/").status_code == 404
