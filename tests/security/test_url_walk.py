"""Walk every URL pattern of the project as four people and compare with an explicit table.

Each row of TABLE says what a plain GET of one URL answers for a visitor, a carer, another
carer and a head of another authority's Virtual School (with MFA). The objects in the URLs
belong to the carer and to Leeds. A URL pattern with no row fails
test_every_url_has_an_expected_outcome, so a new page cannot go live without someone
deciding who may see it.

Every page has an English address and a Welsh one (/cy/…): the walk is made in both
languages, and in Welsh every redirect must lead to a Welsh page.

Django admin's URLs are generated for every registered model, so they share one rule
(ADMIN): the admin is refused to everyone here, none of whom is a content admin.
"""

import dataclasses
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.models import User
from accounts.services import invitation_create
from carers.notifications import unsubscribe_token
from core.i18n import url_in
from events import services as event_services
from events.services import series as series_services
from events.tokens import CALENDAR_SALT, FEEDBACK_SALT, cancel_token
from schools.services import advice as advice_services
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    ChildFactory,
    EventFactory,
    ResourceFactory,
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
    workspace_records,
)
from tests.localoffer.factories import LEEDS, LocalOfferFactory, SupportGroupFactory, full_offer

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "carer", "other_carer", "other_staff")
KENT = "E10000016"

# Words that appear only in the carer's and Leeds's records. Nobody else may see them anywhere.
SECRETS = {
    "child": "Wilhelmina",
    "school": "Quarrymoor Primary",
    "question": "Worried about how often my grandson misses school",
    "pupil": "Quennell",
    "liaison": "Spoke to the designated teacher at Quarrymoor",
}


@dataclasses.dataclass(frozen=True)
class Redirect:
    """A 302 to the path `to`, with any query string (like ?next=)."""

    to: str
    follows_language: bool = True  # in the Welsh walk, expect the Welsh twin of `to`

    def __str__(self) -> str:
        return f"302 to {self.to}"


OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = Redirect("/accounts/login/")  # a visitor is asked to sign in
SCHOOL = Redirect("/school/")  # Virtual School staff are sent to their workspace
DASHBOARD = Redirect("/dashboard/")
TRAINING = Redirect("/training/")
ADMIN_LOGIN = Redirect("/admin/login/")
REAUTH = Redirect("/accounts/reauthenticate/")  # enter your password again
REAUTH_MFA = Redirect("/accounts/2fa/reauthenticate/")  # staff confirm with their app
CHANGE_PW = Redirect("/accounts/password/change/")
HOME = Redirect("/")
TO_WELSH = Redirect("/cy/", follows_language=False)  # whichever page it was clicked on

# Path parameters: the URL's parameter -> the key of its value in the `world` fixture.
NONE: dict[str, str] = {}
CHILD = {"pk": "child"}
EVENT = {"slug": "event"}
RESOURCE = {"slug": "resource"}
ADVICE = {"pk": "advice"}
PUPIL = {"pk": "pupil"}

# fmt: off
TABLE = [
    # url name                          path parameters             visitor      carer        other carer  other staff
    # Public pages
    ("portal:home",                       NONE,                       OK,          OK,          OK,          OK),
    ("portal:privacy",                    NONE,                       OK,          OK,          OK,          OK),
    ("portal:accessibility",              NONE,                       OK,          OK,          OK,          OK),
    ("portal:cookies",                    NONE,                       OK,          OK,          OK,          OK),
    ("core:healthz",                    NONE,                       OK,          OK,          OK,          OK),  # database and broker both answer
    ("core:language",                   {"language": "welsh"},      TO_WELSH,    TO_WELSH,    TO_WELSH,    TO_WELSH),  # the switcher
    ("core:notify_callback",            NONE,                       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # Notify POSTs receipts
    ("core:robots_txt",                 NONE,                       OK,          OK,          OK,          OK),
    ("core:favicon",                    NONE,                       OK,          OK,          OK,          OK),
    ("resources:list",                  NONE,                       OK,          OK,          OK,          OK),
    ("resources:help_checker",          NONE,                       OK,          OK,          OK,          OK),
    ("resources:detail",                RESOURCE,                   OK,          OK,          OK,          OK),
    ("resources:download",              RESOURCE,                   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),  # no file
    ("resources:feedback",              RESOURCE,                   NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # POST only
    ("resources:save",                  RESOURCE,                   LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # POST only
    ("localoffer:choose",               NONE,                       OK,          OK,          OK,          OK),
    ("localoffer:detail",               {"slug": "offer"},          OK,          OK,          OK,          OK),
    ("localoffer:detail",               {"slug": "draft_offer"},    NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("localoffer:groups",               NONE,                       OK,          OK,          OK,          OK),
    ("events:list",                     NONE,                       OK,          OK,          OK,          OK),
    ("events:calendar",                 NONE,                       OK,          OK,          OK,          OK),
    ("events:detail",                   EVENT,                      OK,          OK,          OK,          OK),
    ("events:ics",                      EVENT,                      OK,          OK,          OK,          OK),
    ("events:detail",                   {"slug": "draft_event"},    NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("events:short",                    {"pk": "event_pk"},         *[Redirect("/events/walk-event/")] * 4),  # texts' short address
    ("events:short",                    {"pk": "draft_event_pk"},   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # Signed or unguessable links from e-mails: the link is the permission
    ("events:cancel_by_link",           {"token": "cancel_token"},  OK,          OK,          OK,          OK),
    ("events:cancel_by_link",           {"token": "forged_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("events:feedback",                 {"token": "feedback_token"}, OK,         OK,          OK,          OK),
    ("events:feedback",                 {"token": "cancel_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),  # wrong salt
    ("events:booking_calendar",         {"token": "calendar_token"}, OK,         OK,          OK,          OK),
    ("events:booking_calendar",         {"token": "cancel_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),  # wrong salt
    ("events:feed",                     {"token": "feed_token"},    OK,          OK,          OK,          OK),
    ("events:feed",                     {"token": "forged_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("carers:unsubscribe",              {"token": "unsubscribe"},   OK,          OK,          OK,          OK),
    ("carers:unsubscribe",              {"token": "forged_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("accounts:invitation_accept",      {"token": "invitation"},    OK,          OK,          OK,          OK),
    ("accounts:invitation_accept",      {"token": "forged_token"},  NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # Carers: sign in first; another carer's child, booking or advice request is a 404
    ("portal:dashboard",                NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("accounts:language",               NONE,                       LOGIN,       OK,          OK,          OK),
    ("carers:profile",                  NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:onboarding",               NONE,                       LOGIN,       DASHBOARD,   DASHBOARD,   SCHOOL),  # done already
    ("carers:profile_edit",             NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:child_add",                NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:child_edit",               CHILD,                      LOGIN,       OK,          NOT_FOUND,   SCHOOL),
    ("carers:child_delete",             CHILD,                      LOGIN,       OK,          NOT_FOUND,   SCHOOL),
    ("carers:child_sharing",            CHILD,                      LOGIN,       OK,          NOT_FOUND,   SCHOOL),
    ("carers:export",                   NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:export_download",          NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:delete",                   NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:sign_out_elsewhere",       NONE,                       LOGIN,       NOT_ALLOWED, NOT_ALLOWED, SCHOOL),  # POST only
    # Text messages: the walk runs without Notify, so each page says texts are not available.
    ("carers:texts",                    NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:texts_verify",             NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:texts_resend",             NONE,                       LOGIN,       NOT_ALLOWED, NOT_ALLOWED, SCHOOL),  # POST only
    ("carers:texts_choices",            NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("carers:texts_stop",               NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    # Virtual School staff book professionals' events with their own accounts
    ("events:book",                     EVENT,                      LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # POST only
    # Every date of a series (staff book as professionals, as on events:book)
    ("events:book_series",              EVENT,                      LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),  # POST only
    ("events:series_booked",            {"slug": "series_event"},   LOGIN,       OK,          OK,          OK),  # each person's own place on each date
    ("events:series_booked",            EVENT,                      LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND),  # not one of a series
    ("events:cancel",                   EVENT,                      LOGIN,       OK,          NOT_FOUND,   NOT_FOUND),  # the carer's booking
    ("events:change_places",            EVENT,                      LOGIN,       OK,          NOT_FOUND,   NOT_FOUND),  # the carer's booking
    ("events:feed_reset",               NONE,                       LOGIN,       NOT_ALLOWED, NOT_ALLOWED, SCHOOL),  # POST only
    # Training: everyone who books has a training page; a certificate is its owner's alone
    ("professionals:signup",            NONE,                       OK,          DASHBOARD,   DASHBOARD,   SCHOOL),
    ("professionals:home",              NONE,                       LOGIN,       OK,          OK,          OK),
    ("professionals:record_csv",        NONE,                       LOGIN,       OK,          OK,          OK),
    ("professionals:details",           NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),  # professionals only
    ("professionals:certificate",       {"pk": "certificate"},      LOGIN,       OK,          NOT_FOUND,   NOT_FOUND),
    # A professional's own account pages (tests/professionals/test_account.py walks them as one)
    ("professionals:emails",            NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),
    ("professionals:export",            NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),
    ("professionals:export_download",   NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),
    ("professionals:export_csv",        NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),
    ("professionals:delete",            NONE,                       LOGIN,       TRAINING,    TRAINING,    TRAINING),
    ("advice:list",                     NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("advice:new",                      NONE,                       LOGIN,       OK,          OK,          SCHOOL),
    ("advice:detail",                   ADVICE,                     LOGIN,       OK,          NOT_FOUND,   SCHOOL),
    # Virtual School workspace: carers are refused; Leeds's records are a 404 to Kent's head
    ("schools:home",                    NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:staff",                   NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:staff_invite",            NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:staff_remove",            {"pk": "membership"},       LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:staff_local_offer",       {"pk": "membership"},       LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    # The council's local offer editors (Kent's head is one): Leeds's offer is a 404 to Kent
    ("localoffer_editor:home",          NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   Redirect("/school/local-offer/kent/")),
    ("localoffer_editor:manage",        {"slug": "draft_offer"},    LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),  # her own
    ("localoffer_editor:manage",        {"slug": "offer"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("localoffer_editor:details",       {"slug": "offer"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("localoffer_editor:status",        {"slug": "offer"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("localoffer_editor:history",       {"slug": "offer"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("localoffer_editor:history",       {"slug": "draft_offer"},    LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),  # her own
    ("localoffer_editor:section",       {"slug": "offer", "kind": "section_kind"}, LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("localoffer_editor:section",       {"slug": "draft_offer", "kind": "section_kind"}, LOGIN, FORBIDDEN, FORBIDDEN, OK),  # her own
    ("localoffer_editor:section_remove", {"slug": "offer", "kind": "section_kind"}, LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("schools:pupils",                  NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:pupil_add",               NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:pupil_import",            NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:pupils_export",           NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:pupil_detail",            PUPIL,                      LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:pupil_edit",              PUPIL,                      LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:pupil_link",              PUPIL,                      LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:review_add",              PUPIL,                      LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:review_edit",             {"pk": "review"},           LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:liaison",                 NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:liaison_add",             NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:liaison_edit",            {"pk": "liaison"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:liaison_done",            {"pk": "liaison"},          LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:schools",                 NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:school_add",              NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:school_edit",             {"pk": "school"},           LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:reports",                 NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:reports_export",          NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:audit",                   NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:advice_inbox",            NONE,                       LOGIN,       FORBIDDEN,   FORBIDDEN,   OK),
    ("schools:advice_detail",           ADVICE,                     LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:advice_pupil_add",        ADVICE,                     LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    ("schools:advice_pupil_link",       ADVICE,                     LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND),
    # allauth: sign-up, sign-in, e-mail, passwords, MFA. Signed-in people are sent on; pages
    # for an account ask a visitor to sign in; MFA changes ask for the password again first.
    ("account_signup",                  NONE,                       OK,          DASHBOARD,   DASHBOARD,   SCHOOL),
    ("account_login",                   NONE,                       OK,          DASHBOARD,   DASHBOARD,   SCHOOL),
    ("account_logout",                  NONE,                       HOME,        OK,          OK,          OK),
    ("account_reauthenticate",          NONE,                       LOGIN,       OK,          OK,          REAUTH_MFA),  # staff: app, not password
    # Confirming it's you with a code sent by e-mail is switched off (ACCOUNT_REAUTHENTICATION_METHODS)
    ("account_request_reauthentication_code", NONE,                 LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("account_confirm_reauthentication_code", NONE,                 LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("account_confirm_login_code",      NONE,                       LOGIN,       DASHBOARD,   DASHBOARD,   SCHOOL),
    ("account_inactive",                NONE,                       OK,          OK,          OK,          OK),
    ("account_email",                   NONE,                       LOGIN,       OK,          OK,          OK),
    ("account_email_verification_sent", NONE,                       OK,          OK,          OK,          OK),
    ("account_confirm_email",           {"key": "email_key"},       OK,          OK,          OK,          OK),  # "link not valid"
    ("account_change_password",         NONE,                       LOGIN,       OK,          OK,          OK),
    ("account_set_password",            NONE,                       LOGIN,       CHANGE_PW,   CHANGE_PW,   CHANGE_PW),  # they have one
    ("account_reset_password",          NONE,                       OK,          OK,          OK,          OK),
    ("account_reset_password_done",     NONE,                       OK,          OK,          OK,          OK),
    ("account_reset_password_from_key", {"uidb36": "uidb36", "key": "reset_key"}, OK, OK,     OK,          OK),  # "link not valid"
    ("account_reset_password_from_key_done", NONE,                  OK,          OK,          OK,          OK),
    ("mfa_index",                       NONE,                       LOGIN,       OK,          OK,          OK),
    ("mfa_authenticate",                NONE,                       LOGIN,       DASHBOARD,   DASHBOARD,   SCHOOL),  # nothing pending
    ("mfa_reauthenticate",              NONE,                       LOGIN,       REAUTH,      REAUTH,      OK),  # carers have no MFA
    ("mfa_activate_totp",               NONE,                       LOGIN,       REAUTH,      REAUTH,      REAUTH_MFA),  # staff confirm with their app
    ("accounts:mfa_activate_totp",      NONE,                       LOGIN,       REAUTH,      REAUTH,      REAUTH_MFA),  # the same address, the portal's view (keeps next)
    ("mfa_generate_recovery_codes",     NONE,                       LOGIN,       REAUTH,      REAUTH,      REAUTH_MFA),  # staff confirm with their app
    # Nothing to switch off or show until the person has an authenticator app or recovery codes
    ("mfa_deactivate_totp",             NONE,                       LOGIN,       NOT_FOUND,   NOT_FOUND,   REAUTH_MFA),  # staff confirm with their app
    ("mfa_view_recovery_codes",         NONE,                       LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("mfa_download_recovery_codes",     NONE,                       LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # New codes are shown without confirming only straight after set-up; otherwise allauth's page
    ("accounts:new_recovery_codes",     NONE,                       LOGIN,       *[Redirect("/accounts/2fa/recovery-codes/")] * 3),
]
# fmt: on

# Every admin URL, whatever the model: nobody here is a content admin, so nobody gets in.
ADMIN = dict.fromkeys(ROLES, ADMIN_LOGIN)
ADMIN_EXCEPTIONS = {
    # Admins sign in through allauth; someone signed in who is not a content admin is refused.
    "admin:login": {
        "visitor": LOGIN,
        "carer": FORBIDDEN,
        "other_carer": FORBIDDEN,
        "other_staff": FORBIDDEN,
    },
    "admin:logout": dict.fromkeys(ROLES, Redirect("/admin/")),  # then to the sign-in page
}
# Admin path parameters: which object they name does not matter to someone refused.
ADMIN_PARAMS = {
    "object_id": "event",
    "event_id": "event",
    "id": "user",
    "content_type_id": "content_type",
    "app_label": "app_label",
    "url": "admin_url",
}


@dataclasses.dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or for an unnamed admin URL its pattern
    pattern: str
    params: tuple[str, ...]
    namespace: str


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            params = tuple(
                sorted(
                    set(re.findall(r"<(?:\w+:)?(\w+)>", route))
                    | set(re.findall(r"\(\?P<(\w+)>", route))
                )
            )
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield Route(key=key, pattern=route, params=params, namespace=namespace)


ROUTES = list(_walk(get_resolver().url_patterns))
PROJECT_ROUTES = [r for r in ROUTES if r.namespace != "admin"]
ADMIN_ROUTES = [r for r in ROUTES if r.namespace == "admin"]


def _rows():
    for name, params, *outcomes in TABLE:
        yield name, params, dict(zip(ROLES, outcomes, strict=True))


def test_every_url_has_an_expected_outcome():
    in_table = {name for name, _, _ in _rows()}
    routes = {r.key for r in PROJECT_ROUTES}
    assert routes - in_table == set(), "URLs with no row in TABLE: add one"
    assert in_table - routes == set(), "rows in TABLE for URLs that no longer exist"
    assert len(routes) == len(PROJECT_ROUTES), "two URL patterns share a name"
    for name, params, _ in _rows():
        [route] = [r for r in PROJECT_ROUTES if r.key == name]
        assert set(params) == set(route.params), f"{name} takes {route.params}"
    assert ADMIN_ROUTES, "the admin is mounted"


def _matches(expected, response, language="en-gb") -> bool:
    if isinstance(expected, Redirect):
        to = url_in(language, expected.to) if expected.follows_language else expected.to
        return response.status_code == 302 and urlsplit(response["Location"]).path == to
    return response.status_code == expected


def _describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


def _secrets_in(response) -> list[str]:
    if response.streaming or response.status_code != 200:
        return []
    body = response.content.decode(errors="replace")
    return [what for what, text in SECRETS.items() if text in body]


def _authority(gss: str):
    virtual_school = VirtualSchoolFactory(local_authority=local_authority(gss))
    head = StaffMembershipFactory(virtual_school=virtual_school, role="head")
    give_mfa(head.user)
    return virtual_school, head


def _attended_training(carer):
    """The carer came to last week's course for carers and professionals: a certificate."""
    from django.utils import timezone

    from events.models import Booking

    starts = timezone.now() - timezone.timedelta(days=7)
    course = EventFactory(
        kind="training",
        audiences=["carers", "professionals"],
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=2),
    )
    return Booking.objects.create(event=course, user=carer, status="confirmed", attended=True)


@pytest.fixture
def world():
    """Leeds's records, a carer in Leeds with a child, a booking and a question, another carer,
    and Kent's head of Virtual School. Returns the people and the values for path parameters."""
    from django.contrib.contenttypes.models import ContentType
    from django.core import signing

    leeds, leeds_head = _authority("E08000035")
    _, kent_head = _authority(KENT)
    kent_head.edits_local_offer = True  # she keeps Kent's local offer
    kent_head.save()
    officer = StaffMembershipFactory(virtual_school=leeds, role="officer")
    give_mfa(officer.user)
    profile = CarerProfileFactory(local_authority=leeds.local_authority)
    carer = profile.user
    other_carer = CarerProfileFactory(local_authority=leeds.local_authority).user
    child = ChildFactory(carer=profile, first_name=SECRETS["child"], school_name=SECRETS["school"])
    event = EventFactory(slug="walk-event")
    draft_event = EventFactory(status="draft")
    series_event = EventFactory()
    series_services.event_repeat(event=series_event, frequency="weekly", count=2)
    resource = ResourceFactory()
    offer = full_offer(LEEDS)
    draft_offer = LocalOfferFactory(local_authority=local_authority(KENT), status="draft")
    SupportGroupFactory(local_authority=offer.local_authority)
    booking = event_services.booking_create(event=event, user=carer)
    certificate = _attended_training(carer)
    advice = advice_services.advice_request_create(
        carer=carer, topic="attendance", message=SECRETS["question"]
    )
    school, pupil, review, liaison = workspace_records(
        virtual_school=leeds,
        actor=officer.user,
        school_name=SECRETS["school"],
        pupil_last_name=SECRETS["pupil"],
        liaison_summary=SECRETS["liaison"],
    )
    invitation = invitation_create(
        email="new.officer@example.org",
        role="officer",
        virtual_school=leeds,
        invited_by=leeds_head.user,
    )
    values = {
        "child": child.pk,
        "event": event.slug,
        "draft_event": draft_event.slug,
        "event_pk": event.pk,
        "draft_event_pk": draft_event.pk,
        "series_event": series_event.slug,
        "resource": resource.slug,
        "offer": offer.slug,
        "draft_offer": draft_offer.slug,
        "section_kind": "financial",
        "advice": advice.pk,
        "pupil": pupil.pk,
        "review": review.pk,
        "liaison": liaison.pk,
        "school": school.pk,
        "membership": officer.pk,
        "certificate": certificate.pk,
        "cancel_token": cancel_token(booking),
        "feedback_token": signing.dumps(
            {"booking": booking.pk, "user": carer.pk}, salt=FEEDBACK_SALT
        ),
        "forged_token": "not-a-real-token",
        "calendar_token": signing.dumps(
            {"booking": booking.pk, "user": carer.pk}, salt=CALENDAR_SALT
        ),
        "welsh": "cy",
        "feed_token": profile.calendar_token,
        "unsubscribe": unsubscribe_token(carer),
        "invitation": invitation.token,
        "email_key": "not-a-real-key",
        "uidb36": "1",
        "reset_key": "set-password",
        # admin
        "user": carer.pk,
        "content_type": ContentType.objects.get_for_model(type(event)).pk,
        "app_label": "events",
        "admin_url": "no-such-page/",
    }
    people = {
        "visitor": None,
        "carer": carer,
        "other_carer": other_carer,
        "other_staff": kent_head.user,
        "leeds_officer": officer.user,
    }
    return people, values


def _url(route_name: str, params: dict, values: dict) -> str:
    return reverse(route_name, kwargs={param: values[key] for param, key in params.items()})


def _admin_url(route: Route, values: dict) -> str:
    path = route.pattern.lstrip("^").rstrip("$")
    for param in route.params:
        value = str(values[ADMIN_PARAMS[param]])
        path = re.sub(rf"<(?:\w+:)?{param}>|\(\?P<{param}>[^)]*\)", value, path)
    if path.startswith("admin/^"):  # the app index: a regex inside the include
        path = "admin/" + path.removeprefix("admin/^")
    return "/" + path.rstrip("$")


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_as_the_table_says(role, language, world):
    people, values = world
    client = Client(raise_request_exception=False)
    if people[role] is not None:
        client.force_login(people[role])
    wrong, seen = [], set()
    for name, params, outcomes in _rows():
        with translation.override(language):
            url = _url(name, params, values)
        if language == "cy" and not name.startswith("core:"):  # one address in any language
            assert url.startswith("/cy/"), url
        response = client.get(url)
        if name == "core:language":  # the switcher remembered Welsh: forget it, walk on
            client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
            User.objects.update(language=settings.LANGUAGE_CODE)
        if not _matches(outcomes[role], response, language):
            wrong.append(f"{name} {url}: expected {outcomes[role]}, got {_describe(response)}")
        if role == "carer":
            seen |= set(_secrets_in(response))
        else:
            wrong += [f"{name} {url} shows the {what}" for what in _secrets_in(response)]
    for route in ADMIN_ROUTES:
        url = _admin_url(route, values)
        url = f"/cy{url}" if language == "cy" else url
        expected = ADMIN_EXCEPTIONS.get(route.key, ADMIN)[role]
        response = client.get(url)
        if not _matches(expected, response, language):
            wrong.append(f"{route.key} {url}: expected {expected}, got {_describe(response)}")
    assert wrong == [], "\n".join(wrong)
    if role == "carer":  # the search for secrets can find them
        assert {"child", "school", "question"} <= seen


def test_leeds_staff_see_the_records_the_others_may_not(world):
    """The secrets are on the pages Kent's head was refused, so not finding them means something."""
    people, values = world
    client = Client()
    client.force_login(people["leeds_officer"])
    page = client.get(reverse("schools:pupil_detail", args=[values["pupil"]]))
    assert set(_secrets_in(page)) >= {"pupil", "school", "liaison"}
    advice = client.get(reverse("schools:advice_detail", args=[values["advice"]]))
    assert "question" in _secrets_in(advice)


def test_the_admin_answers_a_content_admin(world):
    """So "refused" above means refused, not broken."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200
    assert client.get(reverse("admin:localoffer_localoffer_coverage")).status_code == 200
