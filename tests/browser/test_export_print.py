"""A carer prints their data: the button works where JavaScript runs, the page says how to
print where it does not, and the printed page is the data without the site's navigation."""

from playwright.sync_api import expect

from tests.browser.conftest import browser_db, sign_in_as
from tests.factories import CarerProfileFactory, ChildFactory


def _carer():
    profile = CarerProfileFactory()
    ChildFactory(carer=profile, first_name="Jayden")
    return profile.user


@browser_db
def test_print_this_page_opens_the_browsers_print(new_context, live_server):
    context = new_context()
    sign_in_as(context, _carer(), live_server)
    page = context.new_page()
    page.goto("/profile/export/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("() => window.printed") == 1


@browser_db
def test_without_javascript_the_page_says_how_to_print(new_context, live_server):
    context = new_context(java_script_enabled=False)
    sign_in_as(context, _carer(), live_server)
    page = context.new_page()
    page.goto("/profile/export/")
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.get_by_text("press Ctrl and P")).to_be_visible()
    expect(page.get_by_role("link", name="Download as a file (JSON)")).to_be_visible()


@browser_db
def test_the_printed_page_is_the_data_alone(new_context, live_server):
    context = new_context()
    sign_in_as(context, _carer(), live_server)
    page = context.new_page()
    page.goto("/profile/export/")
    page.emulate_media(media="print")
    for hidden in [
        page.get_by_role("navigation", name="Menu"),
        page.get_by_role("contentinfo"),
        page.get_by_role("button", name="Exit this page"),
        page.get_by_role("link", name="Back to your profile"),
        page.get_by_role("button", name="Print this page"),
        page.get_by_role("link", name="Download as a file (JSON)"),
        page.get_by_role("navigation", name="Contents"),
    ]:
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_role("heading", name="Jayden")).to_be_visible()
