"""An officer without two-factor authentication asks for the pupils page, signs in, sets up
the app, sees the recovery codes once and ends on the pupils page (issue 21, item 5)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, totp_code
from tests.factories import PASSWORD, StaffMembershipFactory


@browser_db
@pytest.mark.usefixtures("audit_log_emptied_before_flush")  # the pupils page is audited
def test_officer_sets_up_the_app_and_lands_on_the_page_they_asked_for(page):
    officer = StaffMembershipFactory().user  # no authenticator app yet
    main = page.locator("main")
    heading = page.get_by_role("heading", level=1)

    page.goto("/school/pupils/")
    main.get_by_label("Email address").fill(officer.email)
    main.get_by_label("Password").fill(PASSWORD)
    main.get_by_role("button", name="Sign in").click()

    # Straight to set-up: no second password prompt.
    expect(heading).to_have_text("Set up your authenticator app")
    main.get_by_text("I cannot scan the QR code").click()
    secret = main.locator("#authenticator-secret").inner_text().strip()
    main.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_code(secret))
    main.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(heading).to_have_text("Save your recovery codes")
    codes = main.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^\w{6,}$"))
    main.get_by_role("button", name="I have saved these").click()

    expect(page).to_have_url(re.compile(r"/school/pupils/$"))
    expect(heading).to_have_text("Pupils")

    # Back a page: the codes are not shown again without confirming it's them.
    page.go_back()
    expect(heading).to_have_text("Confirm it’s you")
    expect(main.get_by_role("list", name="Unused recovery codes")).to_have_count(0)
