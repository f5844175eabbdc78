"""The catalogue finished, in Debian's chromium: the provider and agency indexes, facets that
apply as they are ticked (and the Apply button without JavaScript, in sight), results first on
a phone, a page past the end, every page at 390 px wide without a horizontal scroll, and a
focus ring of 3:1 or more on everything the keyboard reaches. Each page is checked with axe
and photographed (var/screenshots/catalogue-*.png) at desktop and phone widths."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.register.models import Provider
from tests.web.axe import assert_accessible
from tests.web.catalogue import factories as f
from tests.web.catalogue.contrast import parse, ratio
from tests.web.catalogue.test_browser_catalogue import only_live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

SHOTS = Path("var/screenshots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browse(chromium: Browser, live_server: LiveServer) -> Iterator[Any]:
    """``browse(viewport=..., javascript=...)`` -> a page in a fresh context; every request
    outside the live server fails the test."""
    contexts: list[tuple[BrowserContext, list[str]]] = []

    def open_page(*, viewport: dict[str, int] = DESKTOP, javascript: bool = True) -> Page:
        context = chromium.new_context(viewport=viewport, java_script_enabled=javascript)  # type: ignore[arg-type]
        contexts.append((context, only_live_server(context, live_server)))
        return context.new_page()

    yield open_page
    for context, elsewhere in contexts:
        context.close()
        assert elsewhere == []


def _world() -> dict[str, str]:
    """Providers with and without QA, an agency, and specifications with many facet values."""
    nsu = f.provider()
    nvao = f.agency()
    f.agency("hcert", "HCERT", eqar=False)
    f.qa_result(nvao, nsu)
    # The QA history that overflowed the phone's width: several results with long words.
    f.qa_result(
        f.agency("aqas", "AQAS"),
        nsu,
        activity="programme",
        decision="positive-with-conditions",
        valid_from=f.TODAY - timedelta(days=3000),
        valid_until=f.TODAY - timedelta(days=1200),
        covers=False,
    )
    acme = f.provider("acme-training", "Acme Training", kind="company", country="DE")
    Provider.objects.create(
        slug="lorraine",
        legal_name={"fr": "Université de Lorraine"},
        kind="university",
        country="FR",
    )
    modes = ["online", "onsite", "blended"]
    langs = [["en"], ["de"], ["fr"], ["nl"], ["es"], ["it"], ["pl"]]
    first = None
    for i in range(7):
        owner = nsu if i % 2 == 0 else acme
        spec = f.publish(
            owner,
            f"S{i}",
            title={"en": f"Data course {i}"},
            participation={"mode": modes[i % 3]},
            languages=langs[i],
            level={"eqf": 4 + i % 4},
            workload={"ects": 1 + i},
            fields_of_study=[["0613"], ["0611"], ["0413"], ["0732"], ["0521"], ["0311"], ["0914"]][
                i
            ],
        )
        first = first or spec.public_id
    assert first is not None
    return {"spec": first}


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"catalogue-{name}.png"), full_page=True)


def _goto(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, url


@pytest.mark.django_db(transaction=True)
def test_indexes_of_providers_and_agencies(live_server: LiveServer, browse: Any) -> None:
    _world()
    page = browse()
    _goto(page, live_server.url + "/providers/")
    assert page.locator("#result-count").inner_text() == "3 providers"
    rows = page.locator(".index-row")
    assert rows.count() == 3
    nsu = rows.filter(has_text="North Sea University")
    assert "Netherlands, Leiden" in nsu.inner_text() and "Quality assured" in nsu.inner_text()
    assert "Not quality assured today" in rows.filter(has_text="Acme Training").inner_text()
    assert_accessible(page)
    _shoot(page, "providers-desktop")

    # Search by name, accents and capitals aside.
    page.get_by_label("Search providers by name").fill("UNIVERSITE")
    page.keyboard.press("Enter")
    page.wait_for_url("**/providers/?q=UNIVERSITE")
    assert page.locator("#result-count").inner_text() == "1 provider"
    page.get_by_role("link", name="Université de Lorraine").click()
    page.get_by_role("heading", level=1, name="Université de Lorraine").wait_for()
    assert_accessible(page)

    # From a provider row, the agency its standing rests on.
    _goto(page, live_server.url + "/providers/")
    rows.filter(has_text="North Sea University").get_by_role("link", name="NVAO").click()
    page.get_by_role("heading", level=1, name="NVAO quality agency (NVAO)").wait_for()

    _goto(page, live_server.url + "/agencies/")
    assert page.locator("#result-count").inner_text() == "3 agencies"
    assert_accessible(page)
    _shoot(page, "agencies-desktop")
    page.get_by_label("Search agencies by name or acronym").fill("hcert")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agencies/?q=hcert")
    assert page.locator(".index-row").count() == 1
    page.get_by_role("link", name="HCERT quality agency (HCERT)").click()
    page.get_by_role("heading", level=1, name="HCERT quality agency (HCERT)").wait_for()

    # A page past the end of an index.
    _goto(page, live_server.url + "/providers/?page=7", status=404)
    assert page.get_by_role("heading", name="There is no page 7").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the last page (1)").click()
    page.wait_for_url("**/providers/?page=1")
    assert page.locator(".index-row").count() == 3


@pytest.mark.django_db(transaction=True)
def test_qa_statements_link_to_the_agency_and_verify_and_home_search(
    live_server: LiveServer, browse: Any
) -> None:
    world = _world()
    page = browse()
    _goto(page, live_server.url + f"/catalogue/specifications/{world['spec']}/")
    page.locator(".qa-box").get_by_role("link", name="NVAO quality agency (NVAO)").click()
    page.wait_for_url("**/agencies/nvao/")
    _goto(page, live_server.url + "/providers/north-sea-university/")
    page.locator(".qa-box").get_by_role("link", name="NVAO quality agency (NVAO)").click()
    page.wait_for_url("**/agencies/nvao/")
    assert_accessible(page)

    # Verify in the main menu; the home page's search box goes to the catalogue search.
    _goto(page, live_server.url + "/")
    assert_accessible(page)
    _shoot(page, "home-desktop")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Verify").click()
    page.wait_for_url("**/verify/")
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.get_by_label("Search the micro-credential catalogue").fill("course")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/?q=course")
    assert page.locator("#result-count").inner_text() == "7 micro-credentials found"
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_facets_apply_as_they_are_ticked(live_server: LiveServer, browse: Any) -> None:
    from playwright.sync_api import expect

    _world()
    page = browse()
    _goto(page, live_server.url + "/catalogue/?q=data")
    status = page.locator("#result-count")
    expect(status).to_have_text("7 micro-credentials found")
    # With the script, the button is gone and the panel says the results follow the ticks.
    assert not page.get_by_role("button", name="Apply filters").is_visible()
    assert page.get_by_text("The results change as soon as you tick a filter.").is_visible()
    assert_accessible(page)
    _shoot(page, "search-desktop")

    page.get_by_label("Online (3)").check()
    page.wait_for_url("**mode=online**")
    expect(status).to_have_text("3 micro-credentials found")
    # The focus is back on the box that was ticked, which is ticked.
    page.wait_for_function("document.activeElement && document.activeElement.value === 'online'")
    assert page.evaluate("document.activeElement.checked") is True
    # A second facet, by keyboard: Space on a focused box.
    page.get_by_label("Dutch (1)").focus()
    page.keyboard.press("Space")
    page.wait_for_url("**language=nl**")
    expect(status).to_have_text("1 micro-credential found")
    assert page.get_by_label("Online (1)").is_checked()
    # Unticking applies too.
    page.get_by_label("Dutch (1)").uncheck()
    page.wait_for_function("!location.search.includes('language=nl')")
    expect(status).to_have_text("3 micro-credentials found")
    # The sort applies as it is chosen.
    page.get_by_label("Sort by").select_option("title")
    page.wait_for_url("**sort=title**")
    assert_accessible(page)


def _accessible_without_the_script(browse: Any, url: str) -> None:
    """axe needs JavaScript (a page with it disabled never runs axe's timers): check the same
    address in a page whose facets.js is empty, which shows what a no-JavaScript visitor gets."""
    page = browse(viewport={"width": 1024, "height": 500})
    page.route(
        "**/static/catalogue/facets.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    _goto(page, url)
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert_accessible(page)
    page.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_apply_button_is_in_sight_and_works(
    live_server: LiveServer, browse: Any
) -> None:
    _world()
    page = browse(viewport={"width": 1024, "height": 500}, javascript=False)
    _goto(page, live_server.url + "/catalogue/?q=data")
    apply = page.get_by_role("button", name="Apply filters")
    assert apply.is_visible()
    # At the top of the filter panel, above the first facet...
    first_facet = page.locator("fieldset.facet").first
    apply_box, facet_box = apply.bounding_box(), first_facet.bounding_box()
    assert apply_box is not None and facet_box is not None
    assert apply_box["y"] < facet_box["y"]
    # ...and still in sight next to the last facet, however long the panel (sticky).
    last = page.locator("fieldset.facet").last
    last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 5000)
    assert page.evaluate("window.scrollY") > 300  # the panel is longer than the window
    box = apply.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 500
    assert not page.get_by_text("The results change as soon as you tick a filter.").is_visible()
    _shoot(page, "search-nojs")
    _accessible_without_the_script(browse, page.url)

    page.get_by_label("Online (3)").check()
    assert "mode=online" not in page.url  # nothing happens without the button
    apply.click()
    page.wait_for_url("**mode=online**")
    assert page.locator("#result-count").inner_text() == "3 micro-credentials found"
    assert page.get_by_label("Online (3)").is_checked()
    _accessible_without_the_script(browse, page.url)


@pytest.mark.django_db(transaction=True)
def test_a_page_past_the_end_says_so_and_links_to_the_last(
    live_server: LiveServer, browse: Any
) -> None:
    _world()
    page = browse()
    _goto(page, live_server.url + "/catalogue/?q=course&per_page=3&page=99", status=404)
    assert page.get_by_role("heading", name="There is no page 99").is_visible()
    assert "7 micro-credentials found, on 3 pages." in page.locator("#result-count").inner_text()
    assert page.locator(".hit").count() == 0
    assert_accessible(page)
    _shoot(page, "past-end-desktop")
    page.get_by_role("link", name="Go to the last page (3)").click()
    page.wait_for_url("**page=3**")
    assert page.locator("#result-count").inner_text() == "7 micro-credentials found, showing 7 to 7"
    assert page.locator("[aria-current=page]").inner_text() == "3"


def _pages(world: dict[str, str]) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/catalogue/?q=data",
        "specification": f"/catalogue/specifications/{world['spec']}/",
        "provider": "/providers/north-sea-university/",
        "providers": "/providers/",
        "agencies": "/agencies/",
        "agency": "/agencies/nvao/",
        "verify": "/verify/",
    }


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_390_px_and_results_come_first_on_a_phone(
    live_server: LiveServer, browse: Any
) -> None:
    world = _world()
    page = browse(viewport=PHONE)
    for name, path in _pages(world).items():
        _goto(page, live_server.url + path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, (path, width)
        assert_accessible(page)
        _shoot(page, f"{name}-390")
    # On a phone the results come before the filters, with a way to the filters.
    _goto(page, live_server.url + "/catalogue/?q=data")
    results, filters = (
        page.locator("#results").bounding_box(),
        page.locator("#filters").bounding_box(),
    )
    assert results is not None and filters is not None and results["y"] < filters["y"]
    page.get_by_role("link", name="Go to the filters").click()
    assert page.evaluate("location.hash") == "#filters"
    # The provider's QA history scrolls inside its own box, which the keyboard can reach.
    _goto(page, live_server.url + "/providers/north-sea-university/")
    box = page.locator(".table-scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than the phone
    assert box.get_attribute("tabindex") == "0"
    # On a desktop the filters stay on the left.
    desk = browse()
    _goto(desk, live_server.url + "/catalogue/?q=data")
    results, filters = (
        desk.locator("#results").bounding_box(),
        desk.locator("#filters").bounding_box(),
    )
    assert results is not None and filters is not None and filters["x"] < results["x"]
    assert not desk.get_by_role("link", name="Go to the filters").is_visible()
    for name in ("specification", "provider", "agency", "verify"):
        _goto(desk, live_server.url + _pages(world)[name])
        _shoot(desk, f"{name}-desktop")


_FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  let n = e.parentElement, bg = "rgb(255, 255, 255)";
  while (n) {
    const c = getComputedStyle(n).backgroundColor;
    if (c && c !== "transparent" && !c.startsWith("rgba(0, 0, 0, 0")) { bg = c; break; }
    n = n.parentElement;
  }
  return {tag: e.tagName, text: (e.innerText || e.id || "").slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, bg};
}"""


@pytest.mark.django_db(transaction=True)
def test_the_keyboard_focus_is_visible_with_3_to_1_contrast(
    live_server: LiveServer, browse: Any
) -> None:
    world = _world()
    page = browse()
    for path in _pages(world).values():
        _goto(page, live_server.url + path)
        seen = 0
        for _ in range(45):
            page.keyboard.press("Tab")
            focus = page.evaluate(_FOCUS_STYLE)
            if focus is None:
                break
            seen += 1
            where = (path, focus["tag"], focus["text"])
            assert focus["style"] != "none" and focus["width"] >= 2, where
            assert parse(focus["colour"])[3] == 1.0, where
            assert ratio(focus["colour"], focus["bg"]) >= 3, (where, focus["colour"], focus["bg"])
        assert seen >= 5, path
    # The skip link to the results is the second stop on the catalogue, and it moves the focus.
    _goto(page, live_server.url + "/catalogue/?q=data")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
