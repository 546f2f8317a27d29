"""Joining an online event, in a real browser: the link is for people with a confirmed place
only (on the page, in the event's .ics and in the private feed), and the "Join the event"
button appears 15 minutes before the start."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, sign_in_as
from tests.factories import CarerProfileFactory, EventFactory

JOIN_URL = "https://meet.example.org/kinship-money-matters-7731"


def _calendar_text(context, url: str) -> str:
    response = context.request.get(url)
    assert response.ok, f"{url} answered {response.status}"
    return response.text()


@browser_db
def test_the_join_link_is_for_bookers_only_and_the_button_opens_15_minutes_before(
    new_context, live_server
):
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=17)
    event = EventFactory(
        title="Money matters: an online evening",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=1,
        join_url=JOIN_URL,
    )
    page_url = live_server.url + event.get_absolute_url()
    ics_url = live_server.url + reverse("events:ics", args=[event.slug])

    booker = CarerProfileFactory(user__email="joan.join@example.com")
    waiting = CarerProfileFactory(user__email="ken.waiting@example.com")
    contexts = {}
    for profile in (booker, waiting):
        contexts[profile] = new_context()
        sign_in_as(contexts[profile], profile.user, live_server)
    visitor = new_context()

    # Joan takes the only place; Ken joins the waiting list.
    joan = contexts[booker].new_page()
    joan.goto(page_url)
    joan.locator("main").get_by_role("button", name="Book a place").click()
    expect(joan.locator("main")).to_contain_text("You have 1 place booked")
    ken = contexts[waiting].new_page()
    ken.goto(page_url)
    ken.locator("main").get_by_role("button", name="Join the waiting list").click()
    expect(ken.locator("main")).to_contain_text("waiting list")

    # 17 minutes before: Joan sees the link and when the button will appear, not the button.
    joan.goto(page_url)
    main = joan.locator("main")
    expect(main.get_by_role("link", name=JOIN_URL)).to_be_visible()
    expect(main).to_contain_text("The “Join the event” button will appear here from")
    expect(main.get_by_role("button", name="Join the event")).to_have_count(0)
    # Her own calendar file and her private feed carry it.
    assert JOIN_URL in _calendar_text(contexts[booker], ics_url)
    feed = reverse("events:feed", args=[booker.calendar_token])
    assert JOIN_URL in _calendar_text(visitor, live_server.url + feed)  # the app has no cookie

    # Nobody else ever gets it: not a visitor, not someone on the waiting list.
    for context, who in ((visitor, "a visitor"), (contexts[waiting], "Ken, waiting")):
        page = context.new_page()
        page.goto(page_url)
        assert JOIN_URL not in page.content(), f"{who} saw the join link on the page"
        assert JOIN_URL not in _calendar_text(context, ics_url), f"{who} got it in the .ics"
    ken_feed = live_server.url + reverse("events:feed", args=[waiting.calendar_token])
    assert JOIN_URL not in _calendar_text(visitor, ken_feed)

    # 14 minutes before the start, the button is there for Joan and leads to the meeting.
    with time_machine.travel(starts - datetime.timedelta(minutes=14), tick=True):
        joan.goto(page_url)
        button = main.get_by_role("button", name="Join the event")
        expect(button).to_be_visible()
        assert button.get_attribute("href") == JOIN_URL
        joan.goto(live_server.url + reverse("portal:dashboard"))
        expect(joan.locator("main").get_by_role("button", name="Join the event")).to_be_visible()

        page = visitor.new_page()
        page.goto(page_url)
        assert JOIN_URL not in page.content()
        expect(page.get_by_role("button", name="Join the event")).to_have_count(0)
