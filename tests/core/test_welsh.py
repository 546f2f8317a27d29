"""Cymraeg: choosing Welsh, keeping the choice, and getting pages, content, search and
messages in it."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.models import Notification
from events import services as event_services
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    EventFactory,
    ResourceFactory,
    StaffMembershipFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def welsh(text: str) -> str:
    with translation.override("cy"):
        return translation.gettext(text)


def test_every_page_offers_the_other_language_in_its_own_words(client):
    english = client.get("/resources/").content.decode()
    assert '<html lang="en-GB"' in english
    switch = re.search(
        r'<a class="govuk-link" href="([^"]+)" hreflang="cy" lang="cy"[^>]*>Cymraeg</a>', english
    )
    assert switch and switch.group(1) == "/language/cy/?next=%2Fresources%2F"
    assert '<link rel="alternate" hreflang="cy" href="http://testserver/cy/resources/">' in english
    assert '<link rel="alternate" hreflang="en-GB" href="http://testserver/resources/">' in english
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/resources/">' in english
    )

    cymraeg = client.get("/cy/resources/").content.decode()
    assert '<html lang="cy"' in cymraeg
    assert re.search(r'hreflang="en-GB" lang="en-GB"[^>]*>English</a>', cymraeg)
    assert '<span aria-current="true" lang="cy">Cymraeg</span>' in cymraeg
    assert (
        welsh("Skip to main content") in cymraeg
        and welsh("Skip to main content") != "Skip to main content"
    )


def test_a_visitor_who_chooses_welsh_keeps_it_from_page_to_page(client):
    response = client.get("/language/cy/?next=/events/calendar/%3Fmonth%3D2026-12")
    assert response.status_code == 302
    assert response["Location"] == "/cy/events/calendar/?month=2026-12"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy" and cookie["httponly"] and cookie["samesite"] == "Lax"

    # An English link (an old bookmark, a link someone sent) leads to the Welsh page.
    followed = client.get("/resources/?q=school")
    assert followed.status_code == 302 and followed["Location"] == "/cy/resources/?q=school"
    assert client.get("/cy/resources/?q=school").status_code == 200

    # And back to English.
    client.get("/language/en-gb/?next=/cy/resources/")
    page = client.get("/resources/")
    assert page.status_code == 200 and '<html lang="en-GB"' in page.content.decode()


def test_the_switcher_only_sends_people_to_the_portal(client):
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/language/cy/", {"next": evil})
        assert response["Location"] == "/cy/"


def test_a_signed_in_persons_choice_is_on_their_account_on_every_device(carer):
    phone, laptop = Client(), Client()
    phone.force_login(carer)
    phone.get("/language/cy/?next=/dashboard/")
    carer.refresh_from_db()
    assert carer.language == "cy"

    laptop.force_login(carer)
    response = laptop.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/cy/dashboard/"
    assert '<html lang="cy"' in laptop.get("/cy/dashboard/").content.decode()


def test_a_welsh_address_is_welsh_even_for_someone_who_chose_english(carer_client):
    page = carer_client.get("/cy/dashboard/")
    assert page.status_code == 200 and '<html lang="cy"' in page.content.decode()


def test_welsh_staff_pages_need_two_factor_authentication_like_english_ones(client):
    """/cy/school/ is the same workspace as /school/: the staff-area checks read the path
    without its language prefix."""
    membership = StaffMembershipFactory()
    client.force_login(membership.user)  # no authenticator yet
    response = client.get("/cy/school/")
    assert response.status_code == 302
    # ... and back to the Welsh page asked for once it is set up.
    assert response["Location"] == "/cy/accounts/2fa/totp/activate/?next=%2Fcy%2Fschool%2F"

    # Set up since this session signed in, so this session never passed it: sign in again.
    give_mfa(membership.user)
    response = client.get("/cy/school/pupils/")
    assert response.status_code == 302 and response["Location"].startswith("/cy/accounts/login/")


def test_welsh_staff_pages_have_no_exit_button_and_carer_pages_have_one(officer, client):
    client.force_login(officer)
    assert 'data-module="govuk-exit-this-page"' not in client.get("/cy/school/").content.decode()
    visitor = Client().get("/cy/resources/").content.decode()
    assert 'data-module="govuk-exit-this-page"' in visitor
    assert "https://www.bbc.co.uk/tywydd" in visitor


def test_dates_read_in_welsh(client):
    start = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    english = client.get(event.get_absolute_url()).content.decode()
    cymraeg = client.get(f"/cy{event.get_absolute_url()}").content.decode()
    assert "December" in english and "Thursday" in english
    assert "Rhagfyr" in cymraeg and "Iau" in cymraeg
    assert "December" not in cymraeg and "Thursday" not in cymraeg


def test_the_booking_confirmation_is_in_the_carers_language_and_the_ledger_says_which(
    django_capture_on_commit_callbacks,
):
    start = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    cymraes = CarerProfileFactory(user__language="cy").user
    english = CarerProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        event_services.booking_create(event=event, user=cymraes)
        event_services.booking_create(event=event, user=english)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    in_welsh, in_english = by_recipient[cymraes.email], by_recipient[english.email]
    assert "Rhagfyr" in in_welsh.body and "December" not in in_welsh.body
    assert f"/cy{event.get_absolute_url()}" in in_welsh.body
    assert in_welsh.subject != in_english.subject
    assert "December" in in_english.body
    ledger = dict(
        Notification.objects.filter(kind=Notification.Kind.BOOKING_CONFIRMED).values_list(
            "recipient__email", "language"
        )
    )
    assert ledger == {cymraes.email: "cy", english.email: settings.LANGUAGE_CODE}


def test_welsh_content_is_shown_on_welsh_pages(client):
    resource = ResourceFactory(
        title="Special guardianship explained",
        title_cy="Esbonio gwarcheidiaeth arbennig",
        body="What it means.",
        body_cy="**Beth** mae'n ei olygu.",
    )
    url = resource.get_absolute_url()
    page = client.get(f"/cy{url}").content.decode()
    assert "Esbonio gwarcheidiaeth arbennig" in page
    assert (
        "<strong>Beth</strong> mae&#x27;n ei olygu." in page
        or "<strong>Beth</strong> mae'n ei olygu." in page
    )
    assert "What it means." not in page
    assert welsh("This page is not in Welsh yet.") not in page

    english = client.get(url).content.decode()
    assert "Special guardianship explained" in english and "Esbonio" not in english


def test_content_not_yet_in_welsh_says_so_in_welsh_and_shows_the_english(client):
    resource = ResourceFactory(title="Money and allowances", body="Ask your council.")
    page = client.get(f"/cy{resource.get_absolute_url()}").content.decode()
    notice = welsh("This page is not in Welsh yet.")
    assert notice != "This page is not in Welsh yet." and notice in page
    assert re.search(r'<h1[^>]*lang="en-GB"[^>]*>\s*Money and allowances', page)
    assert "Ask your council." in page


def test_welsh_search_finds_welsh_words(client):
    ResourceFactory(
        title="Special guardianship explained",
        title_cy="Esbonio gwarcheidiaeth arbennig",
        summary_cy="Beth yw gorchymyn gwarcheidiaeth arbennig.",
    )
    ResourceFactory(title="Holiday clubs near you")
    found = client.get("/cy/resources/", {"q": "gwarcheidiaeth"}).content.decode()
    assert "Esbonio gwarcheidiaeth arbennig" in found and "Holiday clubs near you" not in found
    # English words still work on a Welsh page (people mix them), and show the Welsh title.
    mixed = client.get("/cy/resources/", {"q": "guardianship"}).content.decode()
    assert "Esbonio gwarcheidiaeth arbennig" in mixed


@pytest.mark.postgres
def test_welsh_search_ignores_accents_on_postgresql(client):
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the unaccent configuration is PostgreSQL's")
    ResourceFactory(title="Fees", title_cy="Ffïoedd a chostau ysgol")
    found = client.get("/cy/resources/", {"q": "ffioedd"}).content.decode()
    assert "Ffïoedd a chostau ysgol" in found


def test_sign_up_asks_for_a_language_and_keeps_it(client, django_capture_on_commit_callbacks):
    form = client.get("/cy/accounts/signup/").content.decode()
    assert 'name="language"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cy/accounts/signup/",
            {
                "email": "nain@example.org",
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
                "language": "cy",
            },
        )
    assert response.status_code == 302
    assert User.objects.get(email="nain@example.org").language == "cy"
    # The confirmation e-mail was written in the language of the page.
    assert mail.outbox and "/cy/" in mail.outbox[-1].body


def test_people_change_their_language_in_their_account(carer_client, carer):
    page = carer_client.get(reverse("accounts:language"))
    assert page.status_code == 200
    response = carer_client.post(reverse("accounts:language"), {"language": "cy"})
    assert response.status_code == 302 and response["Location"].startswith("/cy/")
    carer.refresh_from_db()
    assert carer.language == "cy"
    bad = carer_client.post("/cy" + reverse("accounts:language"), {"language": "fr"})
    assert bad.status_code == 200 and "govuk-error-message" in bad.content.decode()


def test_account_emails_follow_the_account_holders_language(
    client, django_capture_on_commit_callbacks
):
    """A carer who chose Welsh and asks for a new password from an English page gets the
    email in Welsh; an address with no account gets the language of the page."""
    CarerProfileFactory(user__email="taid@example.org", user__language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "taid@example.org"})
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["taid@example.org"].subject != by_address["nobody@example.org"].subject
    assert by_address["taid@example.org"].subject.startswith(settings.SERVICE_NAME_CY)
    assert by_address["nobody@example.org"].subject.startswith(settings.SERVICE_NAME)


def test_form_errors_are_in_welsh_including_djangos_and_allaths_own(client):
    """Messages the portal writes, Django's validators and allauth's checks, on a Welsh page."""
    page = html.unescape(
        client.post(
            "/cy/accounts/signup/",
            {"email": "not-an-address", "password1": "short", "password2": "different"},
        ).content.decode()
    )
    assert '<html lang="cy"' in page
    errors = re.findall(r'<p id="[^"]+-error" class="govuk-error-message">(.*?)</p>', page, re.S)
    assert errors, "the errors are shown beside the fields"
    assert welsh("Enter a valid email address.") in page
    assert "Enter a valid email address." not in page
    short = (
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    )
    with translation.override("cy"):
        too_short = translation.ngettext(*short, 10) % 10
    assert too_short in page and "This password is too short" not in page
    assert welsh("There is a problem") in page


def test_a_missing_page_says_so_in_welsh(client):
    response = client.get("/cy/no-such-page/")
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert '<html lang="cy"' in page and welsh("Page not found") in page
    assert "Page not found" not in page


def test_the_calendar_feed_is_in_the_carers_language_at_either_address(client):
    """A calendar app sends no cookie: the feed follows the language on the account."""
    profile = CarerProfileFactory(user__language="cy")
    event = EventFactory(title="Family time workshop", title_cy="Gweithdy amser teulu")
    event_services.booking_create(event=event, user=profile.user)
    feed = client.get(reverse("events:feed", args=[profile.calendar_token]))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "Gweithdy amser teulu" in body and "Family time workshop" not in body


def test_strings_are_looked_up_only_in_catalogues_that_hold_something():
    """Start-up unlinks Django's empty "en" catalogues from behind English (each string was
    looked up in six of them in turn); what every string reads as is unchanged. Checked in a
    new process: a test that changes LOCALE_PATHS makes Django load the catalogues afresh."""
    import subprocess
    import sys

    script = """
import django
from gettext import GNUTranslations
django.setup()
from django.utils.translation import trans_real
catalogue, empty = trans_real.translation("en-gb"), 0
while catalogue is not None:
    empty += type(catalogue) is GNUTranslations and set(catalogue._catalog) <= {""}
    catalogue = catalogue._fallback
print(empty)
"""
    run = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "0"
    with translation.override("cy"):
        assert translation.gettext("Pupils") == "Disgyblion"
        # Welsh still falls back to English for a string the catalogue lacks
        assert translation.gettext("Not in any catalogue") == "Not in any catalogue"
    with translation.override("en-gb"):
        assert translation.gettext("Pupils") == "Pupils"
        assert translation.ngettext("%(count)s day", "%(count)s days", 2) == "%(count)s days"
