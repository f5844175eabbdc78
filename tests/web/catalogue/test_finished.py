"""The catalogue's rough edges, finished: a page past the end, the QA statement's link to its
agency, Verify in the main menu, the home page's search box, the fallback Apply button at the
top of the filters and the script that applies a ticked facet."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests.web.catalogue import factories as f


def _four() -> None:
    owner = f.provider()
    f.qa_result(f.agency(), owner)
    for local_id in "ABCD":
        f.publish(owner, local_id, title={"en": f"Course {local_id}"})


def test_a_page_past_the_end_is_a_404_that_says_so_and_links_to_the_last_page(
    client: Client, db: None
) -> None:
    _four()
    response = client.get("/catalogue/", {"page": "99", "per_page": "3", "q": "course"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no page 99" in html
    assert "4 micro-credentials found, on 2 pages." in html
    assert "Go to the last page (2)</a>" in html
    assert 'href="?page=2&amp;per_page=3&amp;q=course"' in html
    assert "showing" not in html and 'class="hit"' not in html
    # The last page itself is an ordinary page.
    last = client.get("/catalogue/", {"page": "2", "per_page": "3", "q": "course"})
    assert last.status_code == 200 and "showing 4 to 4" in last.content.decode()


def test_a_page_past_the_end_of_no_results_links_to_the_first(client: Client, db: None) -> None:
    response = client.get("/catalogue/", {"page": "2", "q": "zzzz"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no page 2" in html and "Go to the first page</a>" in html


def test_the_qa_statement_links_to_its_agency(client: Client, db: None) -> None:
    owner = f.provider()
    f.qa_result(f.agency(), owner)
    spec = f.publish(owner, "A")
    link = '<a href="/agencies/nvao/">NVAO quality agency (NVAO)</a>'
    for url in ("/providers/north-sea-university/", f"/catalogue/specifications/{spec.public_id}/"):
        html = client.get(url).content.decode()
        box = html[
            html.index('id="qa-title"') : html.index("</section>", html.index('id="qa-title"'))
        ]
        assert "Quality assurance agency:" in box and link in box, url


def test_an_expired_standing_still_names_its_agency_and_none_has_no_link(
    client: Client, db: None
) -> None:
    lapsed = f.provider()
    f.qa_result(
        f.agency("aqas", "AQAS"),
        lapsed,
        valid_from=f.TODAY - timedelta(days=900),
        valid_until=f.TODAY - timedelta(days=1),
    )
    html = client.get("/providers/north-sea-university/").content.decode()
    assert "Not quality assured today:</strong>" in html
    assert 'Quality assurance agency: <a href="/agencies/aqas/">' in html
    f.provider("bare", "Bare Institute")
    html = client.get("/providers/bare/").content.decode()
    assert "Quality assurance agency:" not in html


def test_verify_is_in_the_main_menu_and_the_home_page_searches_the_catalogue(
    client: Client, db: None
) -> None:
    html = client.get("/").content.decode()
    menu = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert '<a href="/verify/">Verify</a>' in menu
    form = html[html.index('class="home-search"') - 10 :]
    form = form[: form.index("</form>")]
    assert 'action="/catalogue/"' in form and 'method="get"' in form
    assert '<label for="home-q">Search the micro-credential catalogue</label>' in form
    assert 'id="home-q" name="q"' in form


def test_the_apply_button_is_at_the_top_of_the_filters_and_the_script_is_external(
    client: Client, db: None
) -> None:
    _four()
    html = client.get("/catalogue/").content.decode()
    filters = html[html.index('class="filters"') :]
    assert filters.index(">Apply filters</button>") < filters.index('class="facet"')
    assert '<script src="/static/catalogue/facets.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (CSP)
    assert html.index('href="#results">Skip to results</a>') < html.index("<header")
    assert 'id="results" tabindex="-1"' in html
