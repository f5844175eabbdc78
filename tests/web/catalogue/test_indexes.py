"""``/providers/`` and ``/agencies/``: the public indexes of the register, by name, paged,
searchable by name (accent- and case-blind, any language), with country and QA standing today;
a bad parameter is a 400 naming it, a page past the end a 404 linking to the last page."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from microcred_web.catalogue import directory
from microcred_web.register.models import Provider
from tests.web.catalogue import factories as f


def _many_providers(n: int) -> None:
    for i in range(n):
        f.provider(f"college-{i:03d}", f"College {i:03d}", kind="company", country="DE")


def test_providers_index_lists_names_countries_and_qa_today(client: Client, db: None) -> None:
    nsu = f.provider()
    f.qa_result(f.agency(), nsu)
    lapsed = f.provider("old-academy", "Old Academy", kind="company", country="BE")
    f.qa_result(
        f.agency("aqas", "AQAS"),
        lapsed,
        valid_from=f.TODAY - timedelta(days=2000),
        valid_until=f.TODAY - timedelta(days=10),
    )
    response = client.get("/providers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 providers" in html
    # By name: North Sea University before Old Academy, each a link to its page.
    assert html.index('href="/providers/north-sea-university/"') < html.index(
        'href="/providers/old-academy/"'
    )
    rows = html.split('class="index-row"')[1:]
    assert "Netherlands, Leiden" in rows[0] and "badge-qa" in rows[0]
    # The QA standing names its agency, with a link to the agency's page.
    assert 'by <a href="/agencies/nvao/">NVAO</a>' in rows[0]
    assert "Belgium" in rows[1] and "Not quality assured today" in rows[1]
    assert "badge-qa" not in rows[1]


def test_providers_search_is_accent_and_case_blind_in_any_language(
    client: Client, db: None
) -> None:
    f.provider()
    Provider.objects.create(
        slug="lorraine",
        legal_name={"fr": "Université de Lorraine"},
        kind="university",
        country="FR",
    )
    for q in ("universite", "UNIVERSITÉ lorraine", "lorr"):
        html = client.get("/providers/", {"q": q}).content.decode()
        assert 'href="/providers/lorraine/"' in html, q
        assert "north-sea-university/" not in html, q
        assert "1 provider<" in html or "1 provider</p>" in html, q
    html = client.get("/providers/", {"q": "university"}).content.decode()
    assert (
        "north-sea-university/" in html and "lorraine/" not in html
    )  # "université" ≠ "university"
    html = client.get("/providers/", {"q": "nowhere"}).content.decode()
    assert "No provider matches your search." in html
    # The name in the visitor's page language is the French one, marked as such.
    html = client.get("/providers/", {"q": "lorraine"}).content.decode()
    assert '<span lang="fr">Université de Lorraine</span>' in html


def test_providers_are_paged_and_a_page_past_the_end_is_a_404_with_the_last_page(
    client: Client, db: None
) -> None:
    _many_providers(directory.PER_PAGE + 5)
    first = client.get("/providers/").content.decode()
    assert f"{directory.PER_PAGE + 5} providers, showing 1 to {directory.PER_PAGE}" in first
    assert "college-000/" in first and f"college-{directory.PER_PAGE:03d}/" not in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/providers/", {"page": "2"})
    assert second.status_code == 200
    html = second.content.decode()
    assert f"showing {directory.PER_PAGE + 1} to {directory.PER_PAGE + 5}" in html
    assert f"college-{directory.PER_PAGE + 4:03d}/" in html and "college-000/" not in html

    past = client.get("/providers/", {"page": "99", "q": "college"})
    assert past.status_code == 404
    html = past.content.decode()
    assert "There is no page 99" in html and "This list has 2 pages." in html
    assert 'href="?page=2&amp;q=college">Go to the last page (2)</a>' in html
    assert "college-000/" not in html


def test_a_page_past_the_end_of_an_empty_search_links_to_the_first(
    client: Client, db: None
) -> None:
    response = client.get("/providers/", {"q": "nothing", "page": "3"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no page 3" in html and "Go to the first page" in html


def test_bad_page_and_overlong_search_are_400s_naming_the_field(client: Client, db: None) -> None:
    for path in ("/providers/", "/agencies/"):
        for params, words in (
            ({"page": "abc"}, "Page must be a whole number"),
            ({"page": "0"}, "Page must be 1 or more"),
            ({"page": "-4"}, "Page must be 1 or more"),
            ({"q": "x" * 201}, "Search text must be at most 200 characters"),
        ):
            response = client.get(path, params)
            assert response.status_code == 400, (path, params)
            html = response.content.decode()
            assert words in html and 'role="alert"' in html
            assert 'aria-invalid="true"' in html and 'aria-describedby="q-hint q-error"' in html


def test_agencies_index_lists_countries_and_eqar_and_searches_name_or_acronym(
    client: Client, db: None
) -> None:
    f.agency()
    f.agency("hcert", "HCERT", eqar=False)
    html = client.get("/agencies/").content.decode()
    assert "2 agencies" in html
    assert html.index('href="/agencies/hcert/"') < html.index('href="/agencies/nvao/"')
    rows = html.split('class="index-row"')[1:]
    assert "HCERT quality agency (HCERT)" in rows[0] and "<dd>No</dd>" in rows[0]
    assert "Netherlands, Belgium" in rows[1] and "Yes, since 2008-01-01" in rows[1]
    by_acronym = client.get("/agencies/", {"q": "nvao"}).content.decode()
    assert 'href="/agencies/nvao/"' in by_acronym and "/agencies/hcert/" not in by_acronym
    by_name = client.get("/agencies/", {"q": "Quality AGENCY hcert"}).content.decode()
    assert 'href="/agencies/hcert/"' in by_name and "/agencies/nvao/" not in by_name
    past = client.get("/agencies/", {"page": "2"})
    assert past.status_code == 404 and "There is no page 2" in past.content.decode()


def test_indexes_are_linked_from_the_pages_they_index(client: Client, db: None) -> None:
    f.provider()
    f.agency()
    provider = client.get("/providers/north-sea-university/").content.decode()
    assert 'href="/providers/">Providers</a>' in provider
    agency = client.get("/agencies/nvao/").content.decode()
    assert 'href="/agencies/">Agencies</a>' in agency
    home = client.get("/").content.decode()
    assert 'href="/providers/"' in home and 'href="/agencies/"' in home
