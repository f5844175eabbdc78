"""``/providers/<slug>/``: identity, QA history with validity and decision, standing, specs."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client

from tests.web.catalogue import factories as f


def test_provider_page_shows_qa_history_and_standing(client: Client, db: None) -> None:
    owner = f.provider()
    nvao = f.agency()
    aqas = f.agency("aqas", "AQAS")
    f.qa_result(
        aqas,
        owner,
        decision="negative",
        valid_from=date(2015, 1, 1),
        valid_until=date(2019, 12, 31),
    )
    until = f.TODAY + timedelta(days=500)
    f.qa_result(nvao, owner, decision="positive-with-conditions", valid_until=until)
    published = f.publish(owner, "A")
    draft = f.save(owner, f.spec_data("B", title={"en": "Unpublished draft"}))

    response = client.get("/providers/north-sea-university/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>North Sea University</h1>" in html
    assert "<dd>University</dd>" in html and "Netherlands, Leiden" in html
    assert "NL NORTH-01" in html and owner.public_id in html
    # Current standing, with its reason.
    assert "Quality assured, with a caveat:</strong>" in html
    assert f"positive with conditions, valid until {until.isoformat()}" in html
    # History: both results, newest first, with validity and decision.
    history = html[html.index('id="history-title"') :]
    assert history.index(">NVAO<") < history.index(">AQAS<")
    assert "Positive with conditions" in history and "<td>Negative</td>" in history
    assert "2015-01-01 to 2019-12-31" in history and "<td>Expired</td>" in history
    assert "<td>Current</td>" in history
    assert 'href="/agencies/aqas/"' in history
    # Its specifications in the catalogue, and only those.
    assert f'href="/catalogue/specifications/{published.public_id}/"' in html
    assert draft.public_id not in html and "Unpublished draft" not in html


def test_provider_without_qa_or_specifications(client: Client, db: None) -> None:
    f.provider("acme", "Acme", kind="company")
    html = client.get("/providers/acme/").content.decode()
    assert "No external quality assurance result is recorded" in html
    assert "Not quality assured today:</strong> No external quality assurance" in html
    assert "has no published micro-credential" in html


def test_unknown_provider_is_a_friendly_404(client: Client, db: None) -> None:
    response = client.get("/providers/nobody/")
    assert response.status_code == 404
    assert "This provider is not in the catalogue" in response.content.decode()
