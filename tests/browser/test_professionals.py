"""A professional books a course, an admin marks them present on the attendance register,
and the professional downloads a certificate that opens as a PDF naming them."""

import datetime
import io
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from events.models import Booking, Event, EventSession
from tests.browser.conftest import browser_db, sign_in_as
from tests.conftest import give_mfa
from tests.factories import UserFactory
from tests.professionals.factories import ProfessionalFactory, ProfessionalsEventFactory


def _course():
    """A course of two 90-minute sessions a week apart, starting in 10 days."""
    first = (timezone.localtime() + datetime.timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    second = first + datetime.timedelta(days=7)
    event = ProfessionalsEventFactory(
        title="Understanding attachment: a course for designated teachers",
        starts_at=first,
        ends_at=second + datetime.timedelta(minutes=90),
    )
    for start in (first, second):
        EventSession.objects.create(
            event=event, starts_at=start, ends_at=start + datetime.timedelta(minutes=90)
        )
    return event


def _course_has_run(event) -> None:
    """Three weeks go by: both sessions are over."""
    shift = (event.ends_at - timezone.now()) + datetime.timedelta(days=1)
    for session in event.sessions.all():
        EventSession.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - shift, ends_at=session.ends_at - shift
        )
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
    )


@browser_db
def test_a_professional_books_a_course_is_marked_present_and_downloads_a_certificate(
    new_context, live_server
):
    event = _course()
    teacher = ProfessionalFactory(
        user__first_name="Amira", user__last_name="Bello", organisation="Oakwood Primary School"
    ).user

    # The professional books the course.
    professional_page = new_context().new_page()
    sign_in_as(professional_page.context, teacher, live_server)
    professional_page.goto(event.get_absolute_url())
    professional_main = professional_page.locator("main")
    professional_main.get_by_role("button", name="Book a place").click()
    expect(professional_main).to_contain_text("You have 1 place booked")
    professional_page.get_by_role("link", name="Your training").click()
    expect(professional_main.locator("#bookings + ul")).to_contain_text(event.title)
    booking = Booking.objects.get(event=event, user=teacher)
    assert booking.status == Booking.Status.CONFIRMED

    _course_has_run(event)

    # A content admin opens the register from the event and marks them present.
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin_user)
    admin_page = new_context().new_page()
    sign_in_as(admin_page.context, admin_user, live_server)
    admin_page.goto(f"/admin/events/event/{event.pk}/change/")
    admin_page.get_by_role("link", name="Attendance register").click()
    admin_main = admin_page.locator("#content-main")
    row = admin_main.get_by_role("row", name=re.compile("Amira Bello"))
    expect(row).to_contain_text("Designated teacher")
    expect(row).to_contain_text("Oakwood Primary School")
    mail.outbox.clear()
    row.get_by_label("Present").check()
    admin_main.get_by_role("button", name="Save the register").click()
    expect(admin_page.locator(".messagelist")).to_contain_text("Attendance saved for 1 person.")
    booking.refresh_from_db()
    assert booking.attended is True
    [message] = mail.outbox  # the certificate, e-mailed once
    assert message.attachments[0][2] == "application/pdf"

    # The professional finds it on their training record and downloads it.
    professional_page.goto("/training/")
    record = professional_main.locator("table")
    expect(record).to_contain_text(event.title)
    expect(record).to_contain_text("3 hours")  # two sessions of 90 minutes
    with professional_page.expect_download() as download_info:
        record.get_by_role("link", name=re.compile("Download")).click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{event.slug}.pdf"
    with open(download.path(), "rb") as pdf:
        data = pdf.read()
    assert data.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Certificate of attendance" in text
    assert "Amira Bello" in text
    assert event.title in text
    assert "Duration: 3 hours" in text
