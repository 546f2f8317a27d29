"""The library on a phone: results come first, the filters wait behind a "Filter" toggle that
works with and without JavaScript; on a wide screen the filters show without pressing anything."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import browser_db
from tests.factories import ResourceFactory, TopicFactory

PHONE = {"width": 375, "height": 667}


def _library():
    money = TopicFactory(name="Pocket money", slug="pocket-money")
    school = TopicFactory(name="Starting school", slug="starting-school")
    ResourceFactory(title="Giving a child pocket money", topics=[money])
    ResourceFactory(title="Choosing a primary school", topics=[school])


def _first_result_top(page) -> float:
    return page.locator("main .app-results .app-result").first.bounding_box()["y"]


def _filter_by_topic(page, topic: str) -> None:
    """Open the toggle, choose a topic and apply it; the results are then that topic's only."""
    main = page.locator("main")
    topics = main.get_by_label("Topics")
    expect(topics).to_be_hidden()
    main.locator("summary", has_text="Filter").click()
    expect(topics).to_be_visible()
    topics.select_option(label=topic)
    main.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"topic=pocket-money"))
    expect(main.get_by_role("link", name="Giving a child pocket money")).to_be_visible()
    expect(main.get_by_role("link", name="Choosing a primary school")).to_have_count(0)
    expect(main.locator("summary")).to_have_text("Filter (1 applied)")
    expect(topics).to_be_hidden()  # results first again


@browser_db
def test_on_a_phone_results_come_first_and_on_a_wide_screen_the_filters_show(new_context):
    _library()
    for width in (375, 320):
        page = new_context(viewport={"width": width, "height": 667}).new_page()
        page.goto("/resources/")
        main = page.locator("main")
        expect(main.get_by_label("Search advice and guides")).to_be_visible()
        assert _first_result_top(page) < 667, f"the first result is below the screen at {width}"

    _filter_by_topic(page, "Pocket money")
    assert _first_result_top(page) < 667  # still first, with the filter applied
    main.locator("summary").click()
    main.get_by_role("link", name="Remove filter Topics: Pocket money").click()
    expect(main.get_by_role("link", name="Choosing a primary school")).to_be_visible()
    expect(main.locator("summary")).to_have_text("Filter")

    wide = new_context(viewport={"width": 1280, "height": 800}).new_page()
    wide.goto("/resources/")
    main = wide.locator("main")
    expect(main.get_by_label("Topics")).to_be_visible()
    expect(main.get_by_label("Child's age")).to_be_visible()
    expect(main.locator("summary")).to_be_hidden()


@browser_db
def test_the_filter_toggle_works_without_javascript(new_context):
    _library()
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/resources/")
    _filter_by_topic(page, "Pocket money")
