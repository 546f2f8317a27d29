"""Staff and content admins must set up MFA before /school/ or /admin/; carers never reach /school/."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode

from accounts.middleware import LAST_SEEN_KEY
from tests.factories import StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/school/", "/school/staff/", "/admin/", "/admin/accounts/invitation/"]
)
def test_staff_without_mfa_are_sent_to_mfa_setup(client, path):
    staff = StaffMembershipFactory(role="head").user
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302
    # Set-up carries the page they asked for, to end there (test_mfa_set_up.py).
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?{urlencode({'next': path})}"


def _sign_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_mfa_setup_page_itself_is_reachable(client):
    staff = StaffMembershipFactory().user
    _sign_in(client, staff)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200


def test_staff_with_mfa_reach_their_workspace(client, officer):
    client.force_login(officer)
    response = client.get("/school/")
    assert response.status_code == 200
    assert officer.staff_membership.virtual_school.name in response.content.decode()


def test_content_admin_with_mfa_reaches_admin(client, content_admin):
    client.force_login(content_admin)
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_carers_never_reach_school_pages(carer_client):
    assert carer_client.get("/school/").status_code == 403
    assert carer_client.get("/school/staff/").status_code == 403


def test_visitors_are_asked_to_sign_in_for_school_pages(client):
    response = client.get("/school/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_carers_cannot_reach_admin(carer_client):
    response = carer_client.get("/admin/", follow=True)
    assert response.status_code == 403


@override_settings(STAFF_SESSION_IDLE_SECONDS=60 * 30)
def test_staff_sessions_end_after_inactivity(client, officer):
    client.force_login(officer)
    assert client.get("/school/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/school/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_carer_sessions_do_not_idle_out(carer_client):
    session = carer_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 10 * 3600
    session.save()
    assert carer_client.get(reverse("portal:dashboard")).status_code == 200


def test_staff_sign_in_lands_on_their_workspace(client, django_capture_on_commit_callbacks):
    staff = StaffMembershipFactory().user  # no MFA yet, so no code is asked for
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:home")


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_failed_sign_ins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(3):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused until the limit has passed.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert "You have tried to sign in too many times" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_a_plain_message_and_no_session(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The email address or password is not right. Check them and try again." in html
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip"})
def test_signup_is_rate_limited(client):
    for i in range(2):
        client.post(
            reverse("account_signup"), {"email": f"bad{i}", "password1": "x", "password2": "x"}
        )
    response = client.post(
        reverse("account_signup"), {"email": "bad", "password1": "x", "password2": "x"}
    )
    assert response.status_code == 429


@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "2/m/ip"})
def test_password_reset_is_rate_limited(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = client.post(reverse("account_reset_password"), {"email": user.email})
            assert response.status_code == 302
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 429
    # Nobody can flood someone's inbox with reset links.
    assert len([m for m in mailoutbox if user.email in m.to]) == 2


def _current_code(secret: str) -> str:
    import time as _time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(_time.time()) // app_settings.TOTP_PERIOD))


def test_staff_with_mfa_must_enter_a_code_to_sign_in(client, officer):
    response = client.post(
        reverse("account_login"), {"login": officer.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in until the code is right

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code("JBSWY3DPEHPK3PXP")})
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:home")
    assert client.get("/school/").status_code == 200


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # allauth's signals run at commit
@pytest.mark.usefixtures("audit_log_emptied_before_flush")
def test_activating_totp_gives_recovery_codes(client):
    from allauth.mfa.models import Authenticator

    staff = StaffMembershipFactory().user
    _sign_in(client, staff)
    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert page.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=staff).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/school/").status_code == 200
