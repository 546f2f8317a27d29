"""Certificates of attendance: a PDF naming the person, the event, its dates, how long it
lasted and who ran it, in the person's language; only they can download it, and it is
e-mailed to them once when they are marked present."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from core.models import Notification
from events.models import EventSession
from professionals import services
from professionals.certificates import certificate_pdf
from tests.conftest import give_mfa
from tests.factories import CarerProfileFactory, EventFactory, StaffMembershipFactory
from tests.professionals.factories import (
    ProfessionalFactory,
    ProfessionalsEventFactory,
    attended,
)

pytestmark = pytest.mark.django_db

LONDON = datetime.timezone(datetime.timedelta(0))  # March is GMT in London


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


@pytest.fixture
def professional():
    return ProfessionalFactory(user__first_name="Gwenllïan", user__last_name="ap Rhŷs").user


def march_event(**fields):
    starts = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
    return ProfessionalsEventFactory(
        **{
            "title": "Supporting kinship children at school",
            "title_cy": "Cefnogi plant sy'n byw gyda pherthnasau yn yr ysgol",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2, minutes=30),
            **fields,
        }
    )


def test_the_certificate_names_the_person_event_date_duration_and_organiser(professional):
    booking = attended(professional, march_event())
    text = pdf_text(certificate_pdf(booking))
    assert "Certificate of attendance" in text
    assert "Gwenllïan ap Rhŷs" in text
    assert "Supporting kinship children at school" in text
    assert "Date: Tuesday 3 March 2026" in text
    assert "Duration: 2 hours 30 minutes" in text
    assert "Organised by: Leeds Virtual School" in text
    assert "Kinship Portal" in text


def test_a_welsh_certificate_is_in_welsh_with_welsh_month_names(professional):
    professional.language = "cy"
    professional.save()
    booking = attended(professional, march_event())
    with translation.override("cy"):
        text = pdf_text(certificate_pdf(booking))
    assert "Mawrth 2026" in text  # Django's own Welsh month name for March
    assert "March" not in text
    assert "Cefnogi plant sy'n byw gyda pherthnasau yn yr ysgol" in text  # the Welsh title
    assert "Gwenllïan ap Rhŷs" in text
    assert "Porth Gofal gan Berthnasau" in text


def test_a_course_lasts_as_long_as_its_sessions_together(professional):
    event = march_event(ends_at=datetime.datetime(2026, 3, 17, 12, 0, tzinfo=LONDON))
    for day in (3, 10, 17):
        start = datetime.datetime(2026, 3, day, 10, 0, tzinfo=LONDON)
        EventSession.objects.create(
            event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30)
        )
    booking = attended(professional, event)
    text = pdf_text(certificate_pdf(booking))
    assert "Duration: 4 hours 30 minutes" in text
    assert "Dates: Tuesday 3 March 2026, Tuesday 10 March 2026 and Tuesday 17 March 2026" in text


def test_only_the_person_can_download_their_certificate(client, professional):
    booking = attended(professional, march_event())
    url = reverse("professionals:certificate", args=[booking.pk])

    assert client.get(url).status_code == 302  # a visitor is asked to sign in

    client.force_login(professional)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Gwenllïan ap Rhŷs" in pdf_text(response.content)

    another_professional = ProfessionalFactory().user
    carer = CarerProfileFactory().user
    officer = StaffMembershipFactory().user
    give_mfa(officer)
    for someone in (another_professional, carer, officer):
        client.force_login(someone)
        assert client.get(url).status_code == 404, someone


def test_no_certificate_without_being_marked_present(client, professional):
    absent = attended(professional, attended=False)
    unrecorded = attended(professional, attended=None)
    carers_workshop = attended(professional, EventFactory(audiences=["carers"]))
    client.force_login(professional)
    for booking in (absent, unrecorded, carers_workshop):
        url = reverse("professionals:certificate", args=[booking.pk])
        assert client.get(url).status_code == 404


def test_the_certificate_is_emailed_once_with_the_pdf(
    professional, django_capture_on_commit_callbacks
):
    event = march_event()
    booking = attended(professional, event, attended=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(booking=booking, attended=True)
    with django_capture_on_commit_callbacks(execute=True):  # corrected, then marked again
        services.attendance_mark(booking=booking, attended=False)
        services.attendance_mark(booking=booking, attended=True)
    [message] = mail.outbox
    assert message.to == [professional.email]
    assert message.subject == (
        "Your certificate of attendance: Supporting kinship children at school"
    )
    assert "Duration: 2 hours 30 minutes" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"certificate-{event.slug}.pdf", "application/pdf")
    assert "Gwenllïan ap Rhŷs" in pdf_text(content)
    assert Notification.objects.get(kind="certificate").status == Notification.Status.SENT


def test_a_welsh_speaker_gets_the_email_and_certificate_in_welsh(
    professional, django_capture_on_commit_callbacks
):
    professional.language = "cy"
    professional.save()
    booking = attended(professional, march_event(), attended=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(booking=booking, attended=True)
    [message] = mail.outbox
    assert "Cefnogi plant sy'n byw gyda pherthnasau yn yr ysgol" in message.subject
    assert "Mawrth 2026" in message.body
    assert "Mawrth 2026" in pdf_text(message.attachments[0][1])


def test_no_email_if_the_mark_is_taken_back_before_it_goes(
    professional, django_capture_on_commit_callbacks
):
    booking = attended(professional, march_event(), attended=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.attendance_mark(booking=booking, attended=True)
    services.attendance_mark(booking=booking, attended=False)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Notification.objects.get(kind="certificate").status == Notification.Status.SKIPPED


def test_no_certificate_email_for_a_carers_workshop(django_capture_on_commit_callbacks):
    carer = CarerProfileFactory().user
    starts = timezone.now() - timezone.timedelta(days=2)
    event = EventFactory(starts_at=starts, ends_at=starts + timezone.timedelta(hours=1))
    booking = attended(carer, event, attended=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(booking=booking, attended=True)
    assert mail.outbox == []
