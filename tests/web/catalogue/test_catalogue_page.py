"""``/catalogue/``: search box, facets with counts, filters, sorting, pages, errors."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from microcred_web.register.models import Specification
from tests.web.catalogue import factories as f


@pytest.fixture
def three(db: None) -> dict[str, Specification]:
    """Two QA'd specifications of a university, one online course of a company."""
    uni = f.provider()
    f.qa_result(f.agency(), uni)
    company = f.provider("acme-training", "Acme Training", kind="company", country="DE")
    return {
        "a": f.publish(uni, "A", title={"en": "Data stewardship basics"}),
        "b": f.publish(uni, "B", title={"en": "Research data ethics"}, workload={"ects": 10}),
        "c": f.publish(
            company,
            "C",
            title={"en": "Cloud operations", "fr": "Opérations cloud"},
            participation={"mode": "online"},
            level={"eqf": 5},
            issuer_countries=["DE"],
            languages=["de", "en"],
            fields_of_study=["0612"],
        ),
    }


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _count(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r' <span class="count">\((\d+)\)</span>', html)
    assert match, f"no facet value {label!r}"
    return int(match.group(1))


def test_the_page_is_accessible_and_lists_everything(client: Client, three: dict) -> None:
    html = _html(client, "/catalogue/")
    assert '<html lang="en">' in html
    assert '<label for="q">Search micro-credentials</label>' in html
    assert "<legend>EQF level</legend>" in html and "<legend>Field of study</legend>" in html
    assert "3 micro-credentials found" in html
    for spec in three.values():
        assert f'href="/catalogue/specifications/{spec.public_id}/"' in html
    assert 'href="/providers/acme-training/"' in html
    assert html.count('class="badge badge-qa"') == 2
    assert html.count('class="badge badge-noqa"') == 1


def test_facet_values_are_labelled_and_counted(client: Client, three: dict) -> None:
    html = _html(client, "/catalogue/")
    assert _count(html, "Level 7") == 2
    assert _count(html, "Level 5") == 1
    assert _count(html, "Software and applications development and analysis (0613)") == 2
    assert _count(html, "Information and Communication Technologies (ICTs) (06)") == 3
    assert _count(html, "Netherlands") == 2
    assert _count(html, "Germany") == 1
    assert _count(html, "Blended") == 2
    assert _count(html, "Online") == 1
    assert _count(html, "Quality assured today") == 2
    assert _count(html, "Company") == 1
    assert _count(html, "North Sea University") == 2
    assert _count(html, "5 to under 10 ECTS") == 2
    assert _count(html, "10 to under 15 ECTS") == 1


def test_a_ticked_facet_filters_and_stays_ticked(client: Client, three: dict) -> None:
    html = _html(client, "/catalogue/?mode=online")
    assert "1 micro-credential found" in html
    assert three["c"].public_id in html and three["a"].public_id not in html
    assert re.search(r'name="mode" value="online" checked', html)
    # Disjunctive counts: the other modes still show what ticking them would add.
    assert _count(html, "Blended") == 2
    # Other facets count within the selection.
    assert _count(html, "Germany") == 1
    assert "Remove filter: Form of participation: Online" in html


def test_text_range_and_combined_filters(client: Client, three: dict) -> None:
    assert "1 micro-credential found" in _html(client, "/catalogue/?q=ethics")
    assert "3 micro-credentials found" in _html(client, "/catalogue/?q=data")  # descriptions
    html = _html(client, "/catalogue/?q=data&ects_min=8")
    assert "1 micro-credential found" in html and three["b"].public_id in html
    assert 'name="ects_min" value="8"' in html
    html = _html(client, "/catalogue/?qa=yes&country=DE")
    assert "No micro-credentials match your search." in html
    assert "Show all micro-credentials" in html


def test_sorting_and_pages_keep_the_state_in_the_url(client: Client, three: dict) -> None:
    html = _html(client, "/catalogue/?sort=title&per_page=2&qa=yes&qa=no")
    assert "3 micro-credentials found, showing 1 to 2" in html
    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)
    assert titles == ["Cloud operations", "Data stewardship basics"]
    assert '<option value="title" selected>' in html
    assert 'href="?sort=title&amp;per_page=2&amp;qa=yes&amp;qa=no&amp;page=2"' in html
    html = _html(client, "/catalogue/?sort=title&per_page=2&qa=yes&qa=no&page=2")
    assert re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html) == ["Research data ethics"]
    assert 'aria-current="page">2</a>' in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/catalogue/?ects_min=lots", "Minimum ECTS must be a number such as 5 or 2.5"),
        ("/catalogue/?ects_min=9&ects_max=1", "Minimum ECTS (9) is above maximum ECTS (1)"),
        ("/catalogue/?page=-1", "Page must be 1 or more"),
        ("/catalogue/?sort=cheapest", "unknown sort"),
        ("/catalogue/?eqf=" + "9" * 300, "value is too long"),
    ],
)
def test_bad_parameters_get_400_and_a_message(
    client: Client, three: dict, url: str, message: str
) -> None:
    html = _html(client, url, status=400)
    assert "The search could not be run" in html
    assert message in html.replace("&#x27;", "'")
    assert 'role="alert"' in html
    assert '<label for="q">' in html  # the visitor can search again from here


def test_malformed_text_is_a_search_not_an_error(client: Client, three: dict) -> None:
    html = _html(client, '/catalogue/?q="data AND (')
    assert "micro-credential" in html


def test_text_in_the_visitors_language(client: Client, three: dict) -> None:
    html = _html(client, "/catalogue/?lang=fr")
    assert '<span lang="fr">Opérations cloud</span>' in html
    assert '<input type="hidden" name="lang" value="fr">' in html
    html = client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9").content.decode()
    assert '<span lang="fr">Opérations cloud</span>' in html
    # English where the specification has no French.
    assert "Data stewardship basics" in html


def test_an_empty_catalogue_says_so(client: Client, db: None) -> None:
    html = _html(client, "/catalogue/")
    assert "No micro-credentials match your search." in html
