"""Setting up two-factor authentication ends where the person was going: no second password
prompt just after signing in, the new recovery codes shown once with "I have saved these",
then the page they asked for (or their home, by role). Issue 21, item 5."""

import time
from urllib.parse import urlencode

import pytest
from allauth.account import app_settings as account_settings
from django.test import Client
from django.urls import reverse

from accounts.roles import content_admin_group_sync
from tests.accounts.test_staff_access import _current_code
from tests.factories import PASSWORD, CarerProfileFactory, StaffMembershipFactory, UserFactory

SET_UP = reverse("mfa_activate_totp")
NEW_CODES = reverse("accounts:new_recovery_codes")
PUPILS = reverse("schools:pupils")


@pytest.fixture
def clock(time_machine):
    """Stopped at the start of a TOTP window, to be moved on by hand."""
    time_machine.move_to((int(time.time()) // 30 + 1) * 30 + 1, tick=False)
    return time_machine


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}"


def _sign_in(client: Client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _turn_on_app(client: Client, url: str = SET_UP):
    """Open the set-up page and enter the code the app shows; the answer to the code."""
    page = client.get(url)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    return client.post(url, {"code": _current_code(secret)})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth's signals at commit
@pytest.mark.usefixtures("audit_log_emptied_before_flush")
def test_set_up_shows_the_codes_once_then_the_page_the_officer_asked_for(client):
    officer = StaffMembershipFactory().user
    sign_in = client.get(PUPILS)["Location"]
    assert sign_in == f"{reverse('account_login')}?next={PUPILS}"
    response = client.post(sign_in, {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == PUPILS
    response = client.get(PUPILS)  # no app yet: set one up first, keeping the page asked for
    assert response["Location"] == _with_next(SET_UP, PUPILS)

    page = client.get(response["Location"])
    assert f'action="{SET_UP}?next={PUPILS}"' in page.content.decode()
    mistyped = client.post(_with_next(SET_UP, PUPILS), {"code": "000000"})
    assert mistyped.status_code == 200  # the error beside the field, and still going on
    assert f'action="{SET_UP}?next={PUPILS}"' in mistyped.content.decode()
    response = _turn_on_app(client, _with_next(SET_UP, PUPILS))
    assert response["Location"] == _with_next(NEW_CODES, PUPILS)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Save your recovery codes" in html
    assert html.count("<li>") >= 10  # the codes, in full
    assert "****" not in html
    assert f'<input type="hidden" name="next" value="{PUPILS}">' in html
    assert "I have saved these" in html

    response = client.post(NEW_CODES, {"next": PUPILS})
    assert response["Location"] == PUPILS
    assert client.get(PUPILS).status_code == 200

    # Not shown again here: allauth's page shows them, after the person confirms it's them.
    response = client.get(NEW_CODES)
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(response["Location"])["Location"].startswith(reverse("mfa_reauthenticate"))


@pytest.mark.django_db
@pytest.mark.parametrize("elsewhere", ["https://evil.example/school/", "//evil.example/school/"])
def test_a_next_on_another_site_is_ignored(client, elsewhere):
    officer = StaffMembershipFactory().user
    _sign_in(client, officer)
    response = _turn_on_app(client, _with_next(SET_UP, elsewhere))
    assert response["Location"] == _with_next(NEW_CODES, "/school/")
    assert client.post(NEW_CODES, {"next": elsewhere})["Location"] == "/school/"


def _officer():
    return StaffMembershipFactory().user


def _head():
    return StaffMembershipFactory(role="head").user


def _content_admin():
    user = UserFactory(is_staff=True)
    user.groups.add(content_admin_group_sync())
    return user


def _carer():
    return CarerProfileFactory().user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "home"),
    [(_officer, "/school/"), (_head, "/school/"), (_content_admin, "/admin/"), (_carer, None)],
)
def test_without_a_next_set_up_ends_on_the_persons_home(client, person, home):
    home = home or reverse("portal:dashboard")
    _sign_in(client, person())
    response = _turn_on_app(client)
    assert response["Location"] == _with_next(NEW_CODES, home)
    assert client.post(NEW_CODES)["Location"] == home


@pytest.mark.django_db
def test_no_password_prompt_a_minute_after_signing_in(client, clock):
    _sign_in(client, StaffMembershipFactory().user)
    clock.shift(60)
    page = client.get(_with_next(SET_UP, PUPILS))
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()


@pytest.mark.django_db
def test_a_password_prompt_when_the_sign_in_is_older_than_the_window(client, clock):
    _sign_in(client, StaffMembershipFactory().user)
    clock.shift(account_settings.REAUTHENTICATION_TIMEOUT + 1)
    wanted = _with_next(SET_UP, PUPILS)
    response = client.get(wanted)
    assert response["Location"] == _with_next(reverse("account_reauthenticate"), wanted)
    assert "Enter your password" in client.get(response["Location"]).content.decode()

    response = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": wanted}
    )
    assert response["Location"] == wanted  # and set-up still ends on the pupils page
    assert client.get(wanted).status_code == 200


@pytest.mark.django_db
def test_the_new_codes_are_not_shown_without_confirming_once_the_window_has_passed(client, clock):
    _sign_in(client, StaffMembershipFactory().user)
    response = _turn_on_app(client, _with_next(SET_UP, PUPILS))
    clock.shift(account_settings.REAUTHENTICATION_TIMEOUT + 1)
    response = client.get(response["Location"])
    assert response["Location"] == reverse("mfa_view_recovery_codes")
