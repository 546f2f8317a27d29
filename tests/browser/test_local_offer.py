"""The kinship local offer end to end: a council's editor keeps it (with MFA) and carers and
visitors find it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import browser_db, sign_in_as
from tests.browser.test_journeys import _sign_in_with_mfa
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    StaffMembershipFactory,
    VirtualSchoolFactory,
    local_authority,
)
from tests.localoffer.factories import KENT, LEEDS, SupportGroupFactory, full_offer


def _editor(gss: str, **user):
    school = VirtualSchoolFactory(local_authority=local_authority(gss))
    membership = StaffMembershipFactory(
        virtual_school=school, role="officer", edits_local_offer=True, **user
    )
    give_mfa(membership.user)
    return membership.user


@browser_db
def test_a_leeds_editor_updates_financial_support_and_carers_see_it(new_context, live_server):
    offer = full_offer(LEEDS)
    editor = _editor(LEEDS, user__first_name="Amina", user__last_name="Rahman")
    page = new_context().new_page()
    main = page.locator("main")

    _sign_in_with_mfa(page, editor)
    expect(page).to_have_url(re.compile(r"/school/$"))
    page.get_by_role("link", name="Local offer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your council's kinship local offer")
    main.get_by_role("link", name="Change financial support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial support")
    text = main.get_by_label("What your council offers")
    expect(text).to_have_value("About financial.")
    text.fill("Special guardians get a **weekly allowance** of up to £230.")
    main.get_by_label("Link to a page or document (optional)").fill("www.leeds.gov.uk/sgo.pdf")
    main.get_by_role("button", name="Save section").click()
    # A link without its text: the message is beside the field and nothing is saved yet.
    expect(main.locator(".govuk-error-summary")).to_contain_text("Enter the link text")
    main.get_by_label("Link text (optional)", exact=True).fill("Allowance policy (PDF)")
    main.get_by_role("button", name="Save section").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Financial support saved.")

    page.goto(offer.get_absolute_url())
    section = main.locator("section[aria-labelledby=financial]")
    expect(section).to_contain_text("weekly allowance of up to £230")
    expect(section.get_by_role("link", name="Allowance policy (PDF)")).to_have_attribute(
        "href", "https://www.leeds.gov.uk/sgo.pdf"
    )

    page.go_back()
    page.goto(offer.get_editor_url())
    main.get_by_role("link", name="See every change").click()
    change = (
        main.locator("div")
        .filter(has=page.get_by_role("heading", name="Changed: Financial support"))
        .first
    )
    expect(change).to_contain_text("By Amina Rahman")
    change.get_by_text("What changed: Text", exact=True).click()
    expect(change).to_contain_text("About financial.")
    expect(change).to_contain_text("weekly allowance")


@browser_db
def test_a_kent_editor_cannot_edit_leeds(new_context, live_server):
    leeds = full_offer(LEEDS)
    kent_editor = _editor(KENT)
    page = new_context().new_page()

    _sign_in_with_mfa(page, kent_editor)
    expect(page).to_have_url(re.compile(r"/school/$"))
    response = page.goto(f"/school/local-offer/{leeds.slug}/sections/financial/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    # Her own council's link starts Kent's offer, not Leeds's.
    page.goto("/school/local-offer/")
    expect(page.locator("main")).to_contain_text(
        "Kent has no kinship local offer on the portal yet"
    )


@browser_db
def test_a_visitor_finds_online_groups_for_grandparents(new_context, live_server):
    SupportGroupFactory(name="Grandparents online", format="online", themes=["grandparents"])
    SupportGroupFactory(
        name="Grandparents in the hall", format="in_person", themes=["grandparents"]
    )
    SupportGroupFactory(name="Dads online", format="online", themes=["male_carers"])
    page = new_context().new_page()
    main = page.locator("main")

    page.goto("/local-offer/groups/")
    expect(main.get_by_role("heading", name="3 support groups")).to_be_visible()
    main.get_by_role("group", name="Online or in person").get_by_label("Online", exact=True).check()
    main.get_by_role("group", name="Who it is for").get_by_label("Grandparents").check()
    main.get_by_role("button", name="Apply filters").click()
    expect(main.get_by_role("heading", name="1 support group")).to_be_visible()
    expect(main.get_by_role("heading", name="Grandparents online")).to_be_visible()
    expect(main.get_by_role("heading", name="Dads online")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"format=online.*theme=grandparents"))


@browser_db
def test_a_leeds_carer_sees_leeds_offer_on_her_dashboard_and_in_the_help_checker(
    new_context, live_server
):
    full_offer(LEEDS)
    full_offer(KENT)
    carer = CarerProfileFactory(local_authority=local_authority(LEEDS)).user
    context = new_context()
    sign_in_as(context, carer, live_server)
    page = context.new_page()
    main = page.locator("main")

    page.goto("/dashboard/")
    offer = main.locator("section[aria-labelledby=local-offer]")
    expect(offer.get_by_role("heading", name="Your council's kinship local offer")).to_be_visible()
    expect(offer).to_contain_text("The support Leeds gives kinship carers")
    offer.get_by_role("link", name="Financial support").click()
    expect(page).to_have_url(re.compile(r"/local-offer/leeds/#financial$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leeds")

    page.goto("/resources/help-checker/")
    main.get_by_label("Special guardianship order").check()
    main.get_by_role("group", name=re.compile("ever looked after")).get_by_label("Yes").check()
    main.get_by_label("Key stage 2 (age 7 to 11)").check()
    # Her council is chosen for her.
    expect(main.get_by_label("Which council area do you live in?")).to_have_value(
        str(carer.carer_profile.local_authority_id)
    )
    main.get_by_role("button", name="Show help I may get").click()
    result = main.locator("section[aria-labelledby=local-offer]")
    expect(
        result.get_by_role("heading", name="Your council's kinship local offer: Leeds")
    ).to_be_visible()
    expect(result).to_contain_text("About contacts.")
    expect(result.get_by_role("link", name="Read the Leeds kinship local offer")).to_be_visible()
    expect(main).not_to_contain_text("Search your council's website")
    expect(main).not_to_contain_text("Kent")
