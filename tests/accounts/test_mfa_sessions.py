"""Staff pages need a session that passed two-factor authentication in this sign-in, not just an
account that has an authenticator app. Setting one up or removing it ends the account's other
sessions. (Security review, 30 November 2026, finding 1.)"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from accounts.services import invitation_create
from tests.accounts.test_staff_access import _current_code, _sign_in
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory, UserFactory, VirtualSchoolFactory

# allauth announces a new authenticator when the transaction commits, as in production.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_log_emptied_before_flush"),
]

CHILDREN = [reverse("schools:pupils"), reverse("schools:pupils_export")]


def _set_up_app(client: Client) -> None:
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302


def _sent_to_sign_in(response, path: str) -> bool:
    return response.status_code == 302 and response["Location"] == (
        f"{reverse('account_login')}?next={path}"
    )


def test_a_password_only_session_does_not_reach_children_once_the_app_is_set_up_elsewhere():
    officer = StaffMembershipFactory().user
    browser_a, browser_b = Client(), Client()
    _sign_in(browser_a, officer)  # no app yet: signed in, sent to set one up
    assert browser_a.get(CHILDREN[0])["Location"].startswith(reverse("mfa_activate_totp"))

    _sign_in(browser_b, officer)
    _set_up_app(browser_b)
    assert browser_b.get(CHILDREN[0]).status_code == 200  # set it up here: this session passed

    for path in CHILDREN:
        response = browser_a.get(path)
        assert _sent_to_sign_in(response, path), f"{path} answered {response.status_code}"
    assert "_auth_user_id" not in browser_a.session  # browser A is signed out altogether


def test_a_session_that_never_entered_a_code_is_asked_to_sign_in_again():
    """Even if nothing ended it, a session signed in with the password alone stays out."""
    officer = StaffMembershipFactory().user
    browser = Client()
    _sign_in(browser, officer)
    give_mfa(officer)  # the app exists, but this session never entered its code
    for path in CHILDREN:
        response = browser.get(path)
        assert _sent_to_sign_in(response, path), f"{path} answered {response.status_code}"
    page = browser.get(reverse("account_login")).content.decode()
    assert "Sign in again with your password and the code from your authenticator app" in page


def test_a_carers_old_session_does_not_become_a_staff_session_when_they_join_the_team():
    person = UserFactory(email="both@example.org")
    old_phone, laptop = Client(), Client()
    _sign_in(old_phone, person)  # a carer: the password is all they need
    _sign_in(laptop, person)
    invitation = invitation_create(
        email=person.email, role="officer", invited_by=None, virtual_school=VirtualSchoolFactory()
    )
    response = laptop.post(
        reverse("accounts:invitation_accept", args=[invitation.token]), {"accept_signed_in": "1"}
    )
    assert response["Location"] == reverse("mfa_activate_totp")
    _set_up_app(laptop)
    assert laptop.get(CHILDREN[0]).status_code == 200

    for path in CHILDREN:
        response = old_phone.get(path)
        assert response.status_code == 302, f"{path} answered {response.status_code}"
    assert "_auth_user_id" not in old_phone.session


def test_removing_the_app_ends_the_other_sessions():
    officer = StaffMembershipFactory().user
    give_mfa(officer)
    desk, home = Client(), Client()
    desk.force_login(officer)
    home.force_login(officer)
    assert home.get(reverse("schools:home")).status_code == 200

    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    from allauth.mfa.base.internal.flows import delete_and_cleanup

    request = desk.get(reverse("mfa_index")).wsgi_request
    delete_and_cleanup(request, totp)

    response = home.get(reverse("schools:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in home.session  # signed out at home
