"""What carers look for and do not find, end to end: a visitor's search that finds nothing
appears in the content admin's report; the admin adds a synonym from there, and the same
search then finds the guide."""

import re

from playwright.sync_api import expect

from accounts.roles import content_admin_group_sync
from tests.browser.conftest import browser_db
from tests.browser.test_journeys import _sign_in_with_mfa
from tests.conftest import give_mfa
from tests.factories import ResourceFactory, UserFactory


@browser_db
def test_a_search_that_found_nothing_reaches_the_report_and_a_synonym_fixes_it(
    new_context, live_server
):
    ResourceFactory(title="Short breaks for kinship carers", body="Time for yourself.")

    visitor = new_context().new_page()
    visitor.goto("/resources/")
    main = visitor.locator("main")
    main.get_by_label("Search advice and guides").fill("Staycation ideas")
    main.get_by_role("button", name="Search", exact=True).click()
    expect(main.get_by_role("heading", name=re.compile("0 results"))).to_be_visible()

    curator = UserFactory(is_staff=True)
    curator.groups.add(content_admin_group_sync())
    give_mfa(curator)
    admin = new_context().new_page()
    _sign_in_with_mfa(admin, curator)
    admin.goto("/admin/resources/searchcount/")
    admin.get_by_role("link", name="Searches that found nothing").click()
    report = admin.locator("#search-report")
    row = report.get_by_role("row").filter(has_text="staycation ideas")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Add a synonym").click()
    expect(admin.locator("#id_term")).to_have_value("staycation ideas")
    admin.locator("#id_term").fill("staycation")
    admin.locator("#id_means").fill("short breaks")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")

    visitor.goto("/resources/?q=staycation+ideas")
    expect(main.get_by_role("link", name="Short breaks for kinship carers")).to_be_visible()
