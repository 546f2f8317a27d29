"""No layout shift when the header navigation starts, on a phone.

GOV.UK Frontend's JavaScript folds the service navigation behind "Menu" on small screens.
If the page were first drawn with the whole list, the content would jump up when the script
runs (about 121 px: Lighthouse measured a cumulative layout shift of 0.12-0.13). The folded
state is reserved before the script runs (body.govuk-frontend-supported), so nothing moves.

The page loads over a slow phone connection (Chromium's network emulation), so it is drawn
before the module script arrives, as it is on a real phone; every layout-shift entry is
recorded from the start, then added up once the navigation has started.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, sign_in_as
from tests.conftest import give_mfa
from tests.factories import ResourceFactory, StaffMembershipFactory

RECORD_SHIFTS = """
window.__layoutShift = 0;
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShift += entry.value;
    window.__layoutShifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# Two frames after the navigation has started, so its last shift (if any) is reported.
SHIFT_AFTER_TWO_FRAMES = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() =>
    resolve([window.__layoutShift, window.__layoutShifts]))))"""

SLOW_PHONE_NETWORK = {
    "offline": False,
    "latency": 300,  # ms a request takes before its first byte
    "downloadThroughput": 200 * 1024,  # bytes a second
    "uploadThroughput": 100 * 1024,
}


def _officer():
    membership = StaffMembershipFactory(user__first_name="Priya", user__last_name="Shah")
    give_mfa(membership.user)
    return membership.user


@browser_db
@pytest.mark.usefixtures("audit_log_emptied_before_flush")  # the staff page is audited
@pytest.mark.parametrize("viewport", [(375, 667), (320, 568)], ids=["375px", "320px"])
def test_the_navigation_starts_without_moving_the_page(new_context, live_server, viewport):
    ResourceFactory.create_batch(3)
    size = {"width": viewport[0], "height": viewport[1]}
    visitor, staff = new_context(viewport=size), new_context(viewport=size)
    sign_in_as(staff, _officer(), live_server)
    for who, path in [(visitor, "/"), (visitor, "/resources/"), (staff, "/school/")]:
        page = who.new_page()
        page.add_init_script(RECORD_SHIFTS)
        network = who.new_cdp_session(page)
        network.send("Network.enable")
        network.send("Network.emulateNetworkConditions", SLOW_PHONE_NETWORK)
        page.goto(path, wait_until="load")
        assert page.url.endswith(path), page.url
        # The navigation has started: the list is folded behind "Menu".
        toggle = page.locator(".govuk-service-navigation__toggle")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#navigation")).to_be_hidden()
        shift, shifts = page.evaluate(SHIFT_AFTER_TWO_FRAMES)
        # Nothing moves at all (before the folded state was reserved: 0.17 on the home page).
        assert shift == 0, f"{path} at {viewport[0]} px moved by {shift:.3f} ({shifts})"
        # The menu still opens.
        toggle.click()
        expect(page.locator("#navigation")).to_be_visible()
        page.close()


@browser_db
def test_without_javascript_the_navigation_links_are_all_shown(new_context):
    page = new_context(viewport={"width": 320, "height": 568}, java_script_enabled=False).new_page()
    page.goto("/resources/")
    expect(page.locator("#navigation")).to_be_visible()
    expect(page.get_by_role("link", name="Events", exact=True)).to_be_visible()
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
