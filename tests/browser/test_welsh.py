"""A visitor chooses Cymraeg on the home page and stays in Welsh all the way: the library, a
guide, events, the calendar, signing up, onboarding, the dashboard, booking and the profile.
Every page is lang="cy", shows none of the portal's English (the catalogue's phrases) and
passes axe-core; the booking confirmation arrives in Welsh.

The words the test clicks are looked up in the Welsh catalogue, not written here, so the
test follows the translation and still fails if a page shows the English.
"""

import datetime
import re

from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.models import User
from core.models import Notification
from tests.browser.conftest import browser_db, local_path
from tests.browser.test_accessibility import _axe_problems
from tests.core.test_welsh_pages import PRODUCT_NAMES, english_in
from tests.factories import EventFactory, ResourceFactory


def cy(text: str, context: str | None = None) -> str:
    with translation.override("cy"):
        welsh = translation.pgettext(context, text) if context else translation.gettext(text)
    assert welsh != text, f"no Welsh for {text!r}"
    return welsh


def _is_welsh(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.split("/", 3)[3].startswith("cy/"), page.url
    english = english_in(page.content(), PRODUCT_NAMES)
    assert english == [], f"{page.url} shows English: {english[:5]}"
    problems = _axe_problems(page)
    assert problems == [], f"{page.url}\n" + "\n".join(problems)


@browser_db
def test_a_visitor_chooses_welsh_and_every_page_they_reach_is_welsh(page, live_server):
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=18, minute=30, second=0, microsecond=0)
    event = EventFactory(
        title="Managing contact with parents",
        title_cy="Rheoli cyswllt â rhieni",
        summary_cy="Gweithdy cyfeillgar i ofalwyr sy'n berthnasau.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    resource = ResourceFactory(
        title="Starting school in kinship care",
        title_cy="Dechrau'r ysgol mewn gofal gan berthnasau",
        summary_cy="Beth i'w ddweud wrth yr ysgol newydd.",
        body_cy="Gofynnwch am gyfarfod gyda'r athro dynodedig.",
    )
    main = page.locator("main")

    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page).to_have_url(re.compile(r"/cy/$"))
    _is_welsh(page)

    # The library and a guide, through the Welsh navigation.
    page.get_by_role("link", name=cy("Advice and guides")).first.click()
    expect(page).to_have_url(re.compile(r"/cy/resources/$"))
    _is_welsh(page)
    main.get_by_role("link", name=resource.title_cy).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(resource.title_cy)
    _is_welsh(page)

    # Events and the calendar.
    page.get_by_role("link", name=cy("Events")).first.click()
    _is_welsh(page)
    main.get_by_role("link", name=cy("See events as a calendar")).click()
    expect(page).to_have_url(re.compile(r"/cy/events/calendar/"))
    _is_welsh(page)

    # Sign up: the page asks which language, and Welsh is already chosen.
    page.get_by_role("link", name=cy("Create an account")).click()
    _is_welsh(page)
    expect(main.get_by_label("Cymraeg")).to_be_checked()
    main.get_by_label(cy("Email address")).fill("nain.gwen@example.com")
    main.get_by_label(cy("Create a password")).fill("a-long-safe-passphrase")
    main.get_by_label(cy("Confirm your password")).fill("a-long-safe-passphrase")
    main.get_by_role("button", name=cy("Create account")).click()
    _is_welsh(page)
    confirm = re.search(r"https?://\S+/cy/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    assert confirm, "the confirmation link leads to the Welsh page"
    page.goto(local_path(confirm.group(0)))
    _is_welsh(page)
    main.get_by_role("button", name=cy("Confirm email address")).click()

    # Onboarding, in Welsh.
    expect(page).to_have_url(re.compile(r"/cy/profile/start/$"))
    _is_welsh(page)
    main.get_by_label(cy("First name")).fill("Gwen")
    main.get_by_label(cy("Last name")).fill("Price")
    main.get_by_label(cy("Which council area do you live in?")).select_option(label="Cardiff")
    main.get_by_role(
        "group", name=cy("How are you related to the child you look after?")
    ).get_by_label(cy("Grandparent")).check()
    main.get_by_label(cy("Special guardianship order")).check()
    main.get_by_role("button", name=cy("Save and continue")).click()
    expect(page).to_have_url(re.compile(r"/cy/dashboard/$"))
    _is_welsh(page)
    assert User.objects.get(email="nain.gwen@example.com").language == "cy"

    # Book the event.
    page.goto(f"/cy{event.get_absolute_url()}")
    _is_welsh(page)
    main.get_by_role("button", name=cy("Book a place")).click()
    expect(main).to_contain_text(cy("Your place is booked"))
    _is_welsh(page)

    # The confirmation is in Welsh too, and the ledger says so.
    [confirmation] = [m for m in mail.outbox if event.title_cy in m.subject]
    assert f"/cy{event.get_absolute_url()}" in confirmation.body
    with translation.override("cy"):
        when = date_format(timezone.localtime(start), "j F")
    assert when in confirmation.body  # the day and the Welsh month
    assert (
        Notification.objects.get(
            kind=Notification.Kind.BOOKING_CONFIRMED, recipient__email="nain.gwen@example.com"
        ).language
        == "cy"
    )

    # The profile.
    page.get_by_role("link", name=cy("Your profile")).first.click()
    expect(page).to_have_url(re.compile(r"/cy/profile/$"))
    _is_welsh(page)
