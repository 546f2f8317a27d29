"""Issue 19's promise, through the real pages: a carer verifies her mobile, books, and
GOV.UK Notify (the fake) gets exactly one text and one e-mail for the confirmation, even
when the task runs twice."""

import re

import pytest
from django.urls import reverse

from core import tasks
from core.models import Notification
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_carer_verifies_her_mobile_books_and_gets_one_text_and_one_email(
    carer_client, carer, fake_notify_email, django_capture_on_commit_callbacks
):
    carer_client.post(reverse("carers:texts"), {"mobile_number": "07700 900 982", "consent": "on"})
    [code_text] = fake_notify_email.texts
    code = re.search(r"\b(\d{6})\b", code_text["personalisation"]["body"]).group(1)
    carer_client.post(reverse("carers:texts_verify"), {"code": code})
    kinds = ["booking_confirmed", "booking_promoted", "event_reminder", "event_cancelled"]
    carer_client.post(reverse("carers:texts_choices"), dict.fromkeys(kinds, "both"))

    event = EventFactory(title="Cuppa and chat")
    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert response.status_code == 302

    rows = Notification.objects.filter(kind="booking_confirmed", recipient=carer)
    assert sorted(rows.values_list("channel", "status")) == [("email", "sent"), ("sms", "sent")]
    for row in rows:  # the task runs again: nothing is pending, nothing goes twice
        assert tasks.send_notification.run(row.pk) == "not pending"
    texts = fake_notify_email.texts[1:]  # after the code
    assert len(texts) == 1 and len(fake_notify_email.emails) == 1
    assert texts[0]["phone_number"] == "+447700900982"
    assert "Cuppa and chat" in texts[0]["personalisation"]["body"]
    assert fake_notify_email.emails[0]["email_address"] == carer.email

    # Notify later says the number can never be reached: texts stop, and she is told.
    sms = rows.get(channel="sms")
    body = fake_notify_email.receipt(sms.provider_id, "permanent-failure")
    response = carer_client.post(
        reverse("core:notify_callback"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {fake_notify_email.callback_token}"},
    )
    assert response.status_code == 204
    from core.registry import channels_for

    assert channels_for(type(carer).objects.get(pk=carer.pk), "booking_confirmed") == {"email"}
    page = carer_client.get(reverse("portal:dashboard")).content.decode()
    assert "stopped sending texts" in page
