"""End-to-end journeys in a real browser: carers, Virtual School staff and content admins."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from events.models import Booking, Event
from resources.models import Resource
from schools.models import KinshipPupil, LiaisonRecord, TermlyReview
from schools.services import advice as advice_services
from tests.browser.conftest import browser_db, local_path, sign_in_as, totp_code
from tests.conftest import give_mfa
from tests.factories import (
    PASSWORD,
    CarerProfileFactory,
    EventFactory,
    ResourceFactory,
    StaffMembershipFactory,
    UserFactory,
)


def _confirmation_path(message) -> str:
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, message.body
    return local_path(match.group(0))


@browser_db
def test_carer_signs_up_onboards_saves_advice_and_books_an_event(page, live_server):
    resource = ResourceFactory(
        title="Starting school in kinship care",
        summary="What to tell the new school about the child you look after.",
        body="Ask for a meeting with the designated teacher.",
    )
    event = EventFactory(title="Managing contact with parents")
    main = page.locator("main")

    # Sign up, then confirm the address from the e-mail.
    page.goto("/accounts/signup/")
    main.get_by_label("Email address").fill("Nana.Joan@Example.com")
    main.get_by_label("Create a password").fill("a-long-safe-passphrase")
    main.get_by_label("Confirm your password").fill("a-long-safe-passphrase")
    main.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nana.joan@example.com"]

    page.goto(_confirmation_path(mail.outbox[0]))
    main.get_by_role("button", name="Confirm email address").click()

    # Onboarding comes before the dashboard.
    expect(page).to_have_url(re.compile(r"/profile/start/$"))
    main.get_by_label("First name").fill("Joan")
    main.get_by_label("Last name").fill("Mensah")
    main.get_by_label("Which council area do you live in?").select_option(label="Leeds")
    main.get_by_role("group", name="How are you related").get_by_label("Grandparent").check()
    main.get_by_label("Special guardianship order").check()
    main.get_by_label("Education and school").check()
    main.get_by_role("group", name="How often").get_by_label("Monthly").check()
    main.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Joan")
    profile = User.objects.get(email="nana.joan@example.com").carer_profile
    assert profile.local_authority.name == "Leeds"
    assert profile.relationship == "grandparent"
    assert profile.digest_frequency == "monthly"

    # Find a guide in the library, open it and save it.
    page.goto("/resources/")
    main.get_by_label("Search advice and guides").fill("designated teacher")
    main.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q=designated\+teacher"))
    main.get_by_role("link", name=resource.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(resource.title)
    main.get_by_role("button", name="Save for later").click()
    expect(main).to_contain_text("has been saved")
    expect(main.get_by_role("button", name="Remove from saved")).to_be_visible()

    page.goto("/dashboard/")
    saved = main.get_by_role("heading", name="Saved advice").locator(
        "xpath=following-sibling::*[1]"
    )
    expect(saved.get_by_role("link", name=resource.title)).to_be_visible()

    # Book an event.
    page.goto("/events/")
    main.get_by_role("link", name=event.title).click()
    main.get_by_role("button", name="Book a place").click()
    expect(main).to_contain_text("Your place is booked")
    expect(main).to_contain_text("You have 1 place booked")
    expect(main.get_by_role("link", name=event.join_url)).to_be_visible()
    assert any(event.title in m.subject for m in mail.outbox)

    page.goto("/dashboard/")
    events_list = main.get_by_role("heading", name="Your events").locator(
        "xpath=following-sibling::*[1]"
    )
    expect(events_list.get_by_role("link", name=event.title)).to_be_visible()
    expect(events_list).to_contain_text("Booked: 1 place")

    # Download the event for a calendar.
    events_list.get_by_role("link", name=event.title).click()
    with page.expect_download() as download_info:
        main.get_by_role("link", name="Add to your calendar (.ics file)").click()
    download = download_info.value
    assert download.suggested_filename == f"{event.slug}.ics"
    with open(download.path(), encoding="utf-8") as ics:
        content = ics.read()
    assert content.startswith("BEGIN:VCALENDAR")
    assert event.title in content

    # Cancel the place.
    main.get_by_role("link", name="Cancel my place").click()
    main.get_by_role("button", name="Yes, cancel my place").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.slug}/$"))
    expect(main).to_contain_text("Your place has been cancelled")
    expect(main.get_by_role("button", name="Book a place")).to_be_visible()
    assert not Booking.objects.filter(
        event=event, user__email="nana.joan@example.com", status=Booking.Status.CONFIRMED
    ).exists()


@browser_db
def test_a_cancellation_gives_the_place_to_the_waiting_list(new_context, live_server):
    event = EventFactory(title="Talking to children about their story", capacity=1)
    carer_a = CarerProfileFactory().user
    carer_b = CarerProfileFactory().user
    page_a = new_context().new_page()
    page_b = new_context().new_page()
    sign_in_as(page_a.context, carer_a, live_server)
    sign_in_as(page_b.context, carer_b, live_server)
    main_a, main_b = page_a.locator("main"), page_b.locator("main")

    page_a.goto(event.get_absolute_url())
    main_a.get_by_role("button", name="Book a place").click()
    expect(main_a).to_contain_text("You have 1 place booked")

    page_b.goto(event.get_absolute_url())
    expect(main_b).to_contain_text("This event is full")
    main_b.get_by_role("button", name="Join the waiting list").click()
    expect(main_b).to_contain_text("You are on the waiting list")
    expect(main_b).to_contain_text("number 1 on the waiting list")

    mail.outbox.clear()
    main_a.get_by_role("link", name="Cancel my place").click()
    main_a.get_by_role("button", name="Yes, cancel my place").click()
    expect(main_a).to_contain_text("Your place has been cancelled")
    # The place went straight to B, so the event is full again.
    expect(main_a.get_by_role("button", name="Join the waiting list")).to_be_visible()

    page_b.reload()
    expect(main_b).to_contain_text("You have 1 place booked")
    promoted = [m for m in mail.outbox if m.to == [carer_b.email]]
    assert len(promoted) == 1
    assert promoted[0].subject.startswith("A place has come up")
    assert Booking.objects.get(event=event, user=carer_b).status == Booking.Status.CONFIRMED


def _sign_in_with_mfa(page, user) -> None:
    page.goto("/accounts/login/")
    main = page.locator("main")
    main.get_by_label("Email address").fill(user.email)
    main.get_by_label("Password").fill(PASSWORD)
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    main.get_by_label("Enter the 6-digit code").fill(totp_code())
    main.get_by_role("button", name="Continue").click()


@browser_db
def test_virtual_school_officer_records_a_pupil_and_answers_a_carer(new_context, live_server):
    membership = StaffMembershipFactory(user__first_name="Priya", user__last_name="Shah")
    officer = membership.user
    give_mfa(officer)
    carer = CarerProfileFactory(user__first_name="Joan", user__last_name="Mensah").user
    advice = advice_services.advice_request_create(
        carer=carer, topic="attendance", message="Jayden keeps missing Mondays. What can we do?"
    )
    page = new_context().new_page()
    main = page.locator("main")

    _sign_in_with_mfa(page, officer)
    expect(page).to_have_url(re.compile(r"/school/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(membership.virtual_school.name)

    # Add a pupil.
    main.get_by_role("link", name="Pupils").click()
    main.get_by_role("link", name="Add a pupil").first.click()
    main.get_by_label("First name").fill("Jayden")
    main.get_by_label("Last name").fill("Mensah")
    birth = main.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("14")
    birth.get_by_label("Month").fill("3")
    birth.get_by_label("Year").fill("2016")
    main.get_by_label("Special guardianship order").check()
    main.get_by_label("Previously looked after").check()
    main.get_by_role("button", name="Add pupil").click()
    expect(main).to_contain_text("Jayden Mensah added")
    pupil = KinshipPupil.objects.get(virtual_school=membership.virtual_school, first_name="Jayden")
    assert pupil.date_of_birth == datetime.date(2016, 3, 14)
    assert pupil.previously_looked_after

    # Record a termly review.
    page.goto(f"/school/pupils/{pupil.pk}/")
    main.get_by_role("link", name="Add a termly review").click()
    main.get_by_role("group", name="Term").get_by_label("Spring").check()
    main.get_by_label("Attendance this term (%)").fill("88.5")
    main.get_by_label("Sessions missed").fill("14")
    main.get_by_label("Suspensions this term").fill("0")
    main.get_by_label("Reading").select_option(label="At expected")
    main.get_by_label("Progress notes (optional)").fill("Settling well after the move.")
    main.get_by_role("button", name="Add review").click()
    expect(main).to_contain_text("Review added")
    review = TermlyReview.objects.get(pupil=pupil)
    assert review.term == "spring"
    assert str(review.attendance_percent) == "88.5"

    # Log a liaison contact about the pupil.
    page.goto(f"/school/pupils/{pupil.pk}/")
    main.get_by_role("link", name="Log a liaison contact").click()
    main.get_by_label("Phone call").check()
    today = timezone.localdate()
    contact = main.get_by_role("group", name="Date of contact")
    contact.get_by_label("Day").fill(str(today.day))
    contact.get_by_label("Month").fill(str(today.month))
    contact.get_by_label("Year").fill(str(today.year))
    main.get_by_label("Summary").fill("Spoke to the designated teacher about Monday absences.")
    main.get_by_role("button", name="Save contact").click()
    expect(main).to_contain_text("Contact logged")
    record = LiaisonRecord.objects.get(virtual_school=membership.virtual_school)
    assert record.pupil == pupil
    assert record.contact_type == "call"

    # Answer the carer's advice request.
    page.goto("/school/")
    main.get_by_role("link", name="Advice inbox").click()
    main.get_by_role("link", name="Joan Mensah").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    expect(main).to_contain_text("Jayden keeps missing Mondays")
    main.get_by_label("Reply to the carer").fill("We will call the school this week.")
    mail.outbox.clear()
    main.get_by_role("button", name="Send reply").click()
    expect(main).to_contain_text("We will call the school this week.")
    assert [m.to for m in mail.outbox] == [[carer.email]]

    # The carer sees the reply in their thread.
    carer_page = new_context().new_page()
    sign_in_as(carer_page.context, carer, live_server)
    carer_page.goto("/advice/")
    carer_page.locator("main").get_by_role("link", name="Attendance").click()
    expect(carer_page).to_have_url(re.compile(rf"/advice/{advice.pk}/$"))
    thread = carer_page.locator("main ol")
    expect(thread).to_contain_text("Jayden keeps missing Mondays")
    expect(thread).to_contain_text("We will call the school this week.")
    expect(thread.get_by_role("heading", name=membership.virtual_school.name)).to_be_visible()


def _fill_title_and_slug(page, title: str, slug: str) -> None:
    """The admin fills the slug from the title as you type; then choose a shorter one."""
    page.locator("#id_title").fill(title)
    page.locator("#id_title").press("Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.locator("#id_slug").fill(slug)


@browser_db
def test_content_admin_publishes_a_resource_and_an_event(new_context, live_server):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin_user)
    page = new_context().new_page()

    _sign_in_with_mfa(page, admin_user)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # A resource.
    page.goto("/admin/resources/resource/add/")
    _fill_title_and_slug(page, "Claiming Guardian's Allowance", "guardians-allowance")
    page.locator("#id_summary").fill(
        "A weekly payment if you are raising a child whose parents died."
    )
    page.locator("#id_body").fill(
        "You can claim **Guardian's Allowance** as well as Child Benefit."
    )
    page.locator("#id_kind").select_option("guide")
    page.get_by_label("Kinship carers").check()
    page.locator("#id_status").select_option(label="Published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    resource = Resource.objects.get(slug="guardians-allowance")
    assert resource.status == "published"

    # An event.
    starts = timezone.localtime() + datetime.timedelta(days=14)
    page.goto("/admin/events/event/add/")
    _fill_title_and_slug(page, "Money matters for kinship carers", "money-matters")
    page.locator("#id_summary").fill("Benefits, allowances and tax credits explained.")
    page.locator("#id_status").select_option(label="Published")
    page.locator("#id_starts_at_0").fill(starts.strftime("%d/%m/%Y"))
    page.locator("#id_starts_at_1").fill("10:00:00")
    page.locator("#id_ends_at_0").fill(starts.strftime("%d/%m/%Y"))
    page.locator("#id_ends_at_1").fill("11:30:00")
    page.locator("#id_join_url").fill("https://meet.example.org/money-matters")
    page.locator("#id_capacity").fill("20")
    page.get_by_label("Kinship carers").check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    event = Event.objects.get(slug="money-matters")
    assert event.status == "published"
    assert timezone.localtime(event.starts_at).hour == 10

    # Both are live for everyone.
    visitor = new_context().new_page()
    visitor.goto("/resources/")
    visitor.locator("main").get_by_role("link", name="Claiming Guardian's Allowance").click()
    expect(visitor.locator("main")).to_contain_text("as well as Child Benefit")
    visitor.goto("/events/")
    visitor.locator("main").get_by_role("link", name="Money matters for kinship carers").click()
    expect(visitor.locator("main")).to_contain_text("20 places left")


def _tab_to(page, text: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element's text is `text` (no mouse)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if focused == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


@browser_db
def test_booking_and_cancelling_with_the_keyboard_alone(page, live_server):
    event = EventFactory(title="Understanding Pupil Premium Plus")
    carer = CarerProfileFactory().user
    sign_in_as(page.context, carer, live_server)
    main = page.locator("main")

    page.goto(event.get_absolute_url())
    _tab_to(page, "Book a place")
    page.keyboard.press("Enter")
    expect(main).to_contain_text("You have 1 place booked")
    assert Booking.objects.get(event=event, user=carer).status == Booking.Status.CONFIRMED

    _tab_to(page, "Cancel my place")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("cancel your place")
    _tab_to(page, "Yes, cancel my place")
    page.keyboard.press("Space")
    expect(main).to_contain_text("Your place has been cancelled")
    assert Booking.objects.get(event=event, user=carer).status == Booking.Status.CANCELLED


@browser_db
def test_content_admin_emails_the_people_with_a_place_and_each_gets_it_once(
    new_context, live_server
):
    from events import services

    event = EventFactory(title="Money matters for kinship carers", capacity=2)
    placed = [CarerProfileFactory(user__email=f"placed{n}@example.org").user for n in (1, 2)]
    waiting = CarerProfileFactory(user__email="waiting@example.org").user
    for person in [*placed, waiting]:
        services.booking_create(event=event, user=person)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin_user)
    page = new_context().new_page()
    sign_in_as(page.context, admin_user, live_server)
    main = page.locator("#content-main")

    page.goto(f"/admin/events/event/{event.pk}/attendees/")
    main.get_by_role("link", name="Email attendees").click()
    main.get_by_label("People with a confirmed place (2)").check()
    main.get_by_label("Subject").fill("Room change")
    main.get_by_label("Message").fill("We have moved to the big hall.")
    mail.outbox.clear()
    main.get_by_role("button", name="Continue").click()
    expect(main).to_contain_text("Check your message before you send it")
    main.get_by_role("button", name="Send to 2 people").dblclick()  # an impatient double click

    expect(page.locator(".messagelist")).to_contain_text("Your message is being sent to 2 people")
    expect(main.locator("#messages-sent")).to_contain_text("Room change")
    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in placed]
    assert all("We have moved to the big hall." in m.body for m in mail.outbox)
