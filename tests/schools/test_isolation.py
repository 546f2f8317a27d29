"""Each authority sees only its own records: every object URL of another authority is a 404,
for every kind of staff, while the same URLs with its own records answer each role exactly
(the page, or 403 where the role may not use it); every list and export shows the authority's
own rows and none of another's; carers and visitors never reach /school/ at all."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carers import services as carer_services
from schools.models import (
    AdviceRequest,
    AuditEntry,
    KinshipPupil,
    LiaisonRecord,
    School,
    TermlyReview,
)
from schools.services import SchoolError
from schools.services import advice as advice_services
from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    StaffMembershipFactory,
    VirtualSchoolFactory,
    local_authority,
    workspace_records,
)
from tests.schools.test_records import page_text

pytestmark = pytest.mark.django_db

# Which model each <int:pk> route of the workspace looks up.
OBJECT_ROUTES = {
    "pupil_detail": "pupil",
    "pupil_edit": "pupil",
    "pupil_link": "pupil",
    "review_add": "pupil",
    "review_edit": "review",
    "liaison_edit": "liaison",
    "liaison_done": "liaison",
    "school_edit": "school",
    "staff_remove": "membership",
    "staff_local_offer": "membership",
    "advice_detail": "advice",
    "advice_pupil_add": "advice",
    "advice_pupil_link": "advice",
}
HEAD_ONLY = {"staff_remove", "staff_local_offer"}
ROLES = ("officer", "head", "read_only")
OK, FORBIDDEN = 200, 403

# What a GET of their OWN authority's record answers, for each role: the page, or 403 where the
# role may not use that page at all (a head's page to an officer; a page that changes records to
# read-only staff). Never a 404 or a redirect: each of these pages shows or asks something.
# fmt: off
OWN_GET = {
    # route                officer    head  read only
    "pupil_detail":       (OK,        OK,   OK),
    "pupil_edit":         (OK,        OK,   FORBIDDEN),
    "pupil_link":         (OK,        OK,   FORBIDDEN),
    "review_add":         (OK,        OK,   FORBIDDEN),
    "review_edit":        (OK,        OK,   FORBIDDEN),
    "liaison_edit":       (OK,        OK,   FORBIDDEN),
    "liaison_done":       (OK,        OK,   FORBIDDEN),  # GET asks to confirm; POST marks it
    "school_edit":        (OK,        OK,   FORBIDDEN),
    "staff_remove":       (FORBIDDEN, OK,   FORBIDDEN),  # GET asks to confirm; POST removes
    "staff_local_offer":  (FORBIDDEN, OK,   FORBIDDEN),
    "advice_detail":      (OK,        OK,   OK),
    "advice_pupil_add":   (OK,        OK,   FORBIDDEN),  # a request not linked to a pupil yet
    "advice_pupil_link":  (OK,        OK,   FORBIDDEN),
}
# fmt: on

# What each kind of record's pages show of it: a page that answers 200 is about that record.
NAMED_BY = {
    "pupil": lambda r: str(r["pupil"]),
    "review": lambda r: str(r["pupil"]),
    "liaison": lambda r: r["liaison"].summary,
    "school": lambda r: r["school"].name,
    "membership": lambda r: r["officer"].get_full_name(),
    "advice": lambda r: r["advice"].carer.get_full_name(),
}


def _is_about(name: str, kind: str, records: dict, response) -> bool:
    if name == "advice_pupil_add":  # a form that names nobody: it leads back to its request
        back = reverse("schools:advice_detail", args=[records["advice"].pk])
        return f'<a href="{back}" class="govuk-back-link">' in response.content.decode()
    return NAMED_BY[kind](records) in page_text(response)


def _resolvers(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield pattern
            yield from _resolvers(pattern.url_patterns)


def _school_routes() -> list[URLPattern]:
    """The workspace's URLs, wherever they are mounted (inside the /cy/ language patterns)."""
    [school] = [p for p in _resolvers(get_resolver().url_patterns) if p.namespace == "schools"]
    return list(school.url_patterns)


def _authority(gss: str) -> dict:
    """A Virtual School with one of every record, and an officer and a head with MFA."""
    vs = VirtualSchoolFactory(local_authority=local_authority(gss))
    officer = StaffMembershipFactory(virtual_school=vs, role="officer")
    head = StaffMembershipFactory(virtual_school=vs, role="head")
    reader = StaffMembershipFactory(virtual_school=vs, role="read_only")
    for member in (officer, head, reader):
        give_mfa(member.user)
    # Every record names its authority's GSS code, so a page showing it can be told apart.
    school, pupil, review, liaison = workspace_records(
        virtual_school=vs,
        actor=officer.user,
        school_name=f"School in {gss}",
        pupil_last_name=gss,
        liaison_summary=f"Spoke to DT in {gss}",
    )
    carer = CarerProfileFactory(
        local_authority=vs.local_authority, user__first_name="Carer", user__last_name=gss
    ).user
    advice = advice_services.advice_request_create(
        carer=carer, topic="attendance", message="Help please"
    )
    return {
        "vs": vs,
        "officer": officer.user,
        "head": head.user,
        "read_only": reader.user,
        "school": school,
        "pupil": pupil,
        "review": review,
        "liaison": liaison,
        "advice": advice,
        "membership": officer,
    }


@pytest.fixture
def two_authorities():
    return _authority("E08000035"), _authority("E10000016")  # Leeds, Kent


def test_every_object_route_is_covered():
    routes = {p.name for p in _school_routes() if "pk" in str(p.pattern)}
    assert routes == set(OBJECT_ROUTES), "a new object URL needs adding to this isolation test"
    assert set(OWN_GET) == routes, "...and what each role gets from it on its own records"


@pytest.mark.parametrize("who", ["officer", "head"])
def test_another_authoritys_objects_are_a_404(client, two_authorities, who):
    leeds, kent = two_authorities
    client.force_login(kent[who])
    checked = 0
    for name, kind in OBJECT_ROUTES.items():
        url = reverse(f"schools:{name}", args=[leeds[kind].pk])
        # An officer is refused a head-only page before any record is looked up: 403 tells
        # them nothing about Leeds. Everything else of Leeds's is simply not found.
        expected = 403 if (who == "officer" and name in HEAD_ONLY) else 404
        assert client.get(url).status_code == expected, url
        assert (
            client.post(url, {"action": "close", "body": "x", "summary": "x"}).status_code
            == expected
        ), url
        checked += 1
    assert checked == len(OBJECT_ROUTES)
    # Nothing of Leeds was changed by Kent's attempts.
    assert AdviceRequest.objects.get(pk=leeds["advice"].pk).status == "open"
    assert LiaisonRecord.objects.get(pk=leeds["liaison"].pk).follow_up_done is False
    assert KinshipPupil.objects.filter(virtual_school=leeds["vs"]).count() == 1
    assert AdviceRequest.objects.get(pk=leeds["advice"].pk).pupil is None


@pytest.mark.parametrize("who", ROLES)
def test_each_role_gets_exactly_its_pages_of_its_own_authoritys_records(
    client, two_authorities, who
):
    """The positive control of the test above: the same URLs with Kent's own records answer
    each role exactly as OWN_GET says, and every page that opens is about that record."""
    leeds, kent = two_authorities
    client.force_login(kent[who])
    column = ROLES.index(who)
    answers, responses = {}, {}
    for name, kind in OBJECT_ROUTES.items():
        responses[name] = client.get(reverse(f"schools:{name}", args=[kent[kind].pk]))
        answers[name] = responses[name].status_code
    assert answers == {name: statuses[column] for name, statuses in OWN_GET.items()}
    for name, kind in OBJECT_ROUTES.items():
        if answers[name] == OK:
            assert _is_about(name, kind, kent, responses[name]), name
            assert "E08000035" not in page_text(responses[name]), name  # nothing of Leeds's


def test_an_advice_request_links_only_to_its_own_authoritys_pupils(client, two_authorities):
    """Kent's officer cannot link Leeds's request to anything, nor their own to Leeds's pupil."""
    leeds, kent = two_authorities
    client.force_login(kent["officer"])
    leeds_link = reverse("schools:advice_pupil_link", args=[leeds["advice"].pk])
    assert client.post(leeds_link, {"pupil": kent["pupil"].pk}).status_code == 404
    assert client.get(leeds_link, {"q": "Ada"}).status_code == 404
    own_link = reverse("schools:advice_pupil_link", args=[kent["advice"].pk])
    # Searching by Leeds's pupil's surname finds nobody; choosing them anyway is refused.
    assert (
        f'value="{leeds["pupil"].pk}"'
        not in client.get(own_link, {"q": "E08000035"}).content.decode()
    )
    refused = client.post(own_link, {"q": "Ada", "pupil": leeds["pupil"].pk})
    assert refused.status_code == 200 and "Choose a pupil from the list" in refused.content.decode()
    assert not AdviceRequest.objects.filter(pupil__isnull=False).exists()
    with pytest.raises(SchoolError):
        advice_services.advice_request_link_pupil(
            request=kent["advice"], pupil=leeds["pupil"], actor=kent["officer"]
        )
    with pytest.raises(SchoolError):
        advice_services.advice_request_link_pupil(
            request=leeds["advice"], pupil=kent["pupil"], actor=kent["officer"]
        )
    assert not AdviceRequest.objects.filter(pupil__isnull=False).exists()


# Each list of the workspace: what each role gets, and what on it shows the authority's own
# records (its pupil, school, liaison contact, carer's request, officer), so a list that shows
# nothing at all fails as surely as one that shows another authority's rows.
# fmt: off
LIST_PAGES = {
    # route                    officer    head  read only  what shows Kent's own records
    "schools:home":           (OK,        OK,   OK,        ["Ada E10000016", "From Carer E10000016", "Spoke to DT in E10000016"]),
    "schools:pupils":         (OK,        OK,   OK,        ["1 pupil", "Ada E10000016 Year 7 School in E10000016"]),
    "schools:liaison":        (OK,        OK,   OK,        ["1 record", "School in E10000016 Ada E10000016 Spoke to DT in E10000016"]),
    "schools:schools":        (OK,        OK,   OK,        ["School in E10000016 Not recorded Primary Kent"]),
    "schools:advice_inbox":   (OK,        OK,   OK,        ["All (1)", "Carer E10000016 Attendance"]),
    "schools:reports":        (OK,        OK,   OK,        ["Special guardianship order 1 Total 1", "(1 of 1 pupils with a review)"]),
    "schools:audit":          (FORBIDDEN, OK,   FORBIDDEN, ["Added pupil Ada E10000016", "Added School in E10000016"]),
    "schools:staff":          (OK,        OK,   OK,        ["{officer_email} Officer"]),
}
EXPORTS = {
    "schools:pupils_export":  (OK,        OK,   FORBIDDEN, ["Ada,E10000016,2015-05-01,"]),
    "schools:reports_export": (OK,        OK,   OK,        ["Kinship pupils recorded,1", "Pupils by arrangement,Special guardianship order,1"]),
}
# fmt: on


def test_every_list_page_is_covered():
    """Every workspace page without an object in its address is in LIST_PAGES or EXPORTS, or is
    a form to add something (its own tests)."""
    forms = {"schools:staff_invite", "schools:pupil_add", "schools:pupil_import"}
    forms |= {"schools:liaison_add", "schools:school_add"}
    pages = {f"schools:{p.name}" for p in _school_routes() if "pk" not in str(p.pattern)}
    assert pages == set(LIST_PAGES) | set(EXPORTS) | forms


@pytest.mark.parametrize("who", ROLES)
def test_lists_and_exports_show_their_own_records_and_only_theirs(client, two_authorities, who):
    leeds, kent = two_authorities
    client.force_login(kent[who])
    column = ROLES.index(who)
    answers = {}
    for name, (*_, own_rows) in LIST_PAGES.items():
        response = client.get(reverse(name))
        answers[name] = response.status_code
        if response.status_code != OK:
            continue
        text = page_text(response)
        for own in own_rows:
            assert own.format(officer_email=kent["officer"].email) in text, (name, own)
        assert "E08000035" not in text, name  # Leeds's pupil, school, liaison and carer
        assert leeds["officer"].email not in text, name
    exported = 0
    for name, (*_, own_rows) in EXPORTS.items():
        response = client.get(reverse(name))
        answers[name] = response.status_code
        if response.status_code != OK:
            continue
        exported += 1
        content = b"".join(response.streaming_content) if response.streaming else response.content
        for own in own_rows:
            assert own.encode() in content, (name, own)
        assert b"E08000035" not in content, name
    expected = {name: row[column] for name, row in (LIST_PAGES | EXPORTS).items()}
    assert answers == expected
    assert AuditEntry.objects.filter(virtual_school=kent["vs"], action="export").count() == exported
    assert not AuditEntry.objects.filter(virtual_school=leeds["vs"], action="export").exists()


def test_reports_filtered_by_another_authoritys_school_show_nothing_of_it(client, two_authorities):
    leeds, kent = two_authorities
    client.force_login(kent["head"])
    leeds_school = {"school": leeds["school"].pk}
    response = client.get(reverse("schools:reports"), leeds_school)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose school from the list" in body and "Correct the filters" in body
    assert "School in E08000035" not in body and "Total" not in body
    # The export downloads nothing: back to the page and its message, and no export audited.
    export = client.get(reverse("schools:reports_export"), leeds_school)
    assert export.status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()
    # Their own school filters as it should.
    own = client.get(reverse("schools:reports"), {"school": kent["school"].pk})
    assert "Figures for pupils at School in E10000016" in own.content.decode()


@pytest.mark.parametrize("route", [p.name for p in _school_routes()])
def test_carers_and_visitors_never_reach_school_pages(client, carer, route):
    pattern = next(p for p in _school_routes() if p.name == route)
    args = [1] if "pk" in str(pattern.pattern) else []
    url = reverse(f"schools:{route}", args=args)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    client.force_login(carer)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_audit_log_is_append_only(two_authorities):
    leeds, _ = two_authorities
    entry = AuditEntry.objects.filter(virtual_school=leeds["vs"]).first()
    entry.summary = "tampered"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()


def test_the_database_refuses_to_change_the_audit_log(two_authorities):
    """On PostgreSQL and on the embedded SQLite alike (triggers on both)."""
    from django.db import DatabaseError, transaction

    leeds, _ = two_authorities
    entries = AuditEntry.objects.filter(virtual_school=leeds["vs"])
    with pytest.raises(DatabaseError), transaction.atomic():
        entries.update(summary="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        entries.delete()
    # Forgetting the account is allowed only on its own: not with any other change.
    with pytest.raises(DatabaseError), transaction.atomic():
        entries.update(actor=None, actor_label="Someone else")
    assert not entries.filter(summary="tampered").exists()


def test_consent_withdrawn_unlinks_the_child_at_once(two_authorities):
    leeds, _ = two_authorities
    profile = CarerProfileFactory(local_authority=leeds["vs"].local_authority)
    child = carer_services.child_create(
        profile=profile,
        first_name="Ada",
        year_of_birth=2015,
        school_year="",
        share_with_virtual_school=True,
    )
    record_services.pupil_link_child(pupil=leeds["pupil"], child=child, actor=leeds["officer"])
    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).child == child
    carer_services.child_consent_withdraw(child=child, by=profile.user)
    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).child is None
    assert AuditEntry.objects.filter(
        virtual_school=leeds["vs"], action="unlink", object_id=leeds["pupil"].pk
    ).exists()


def test_linking_needs_consent_and_the_same_authority(two_authorities):
    leeds, kent = two_authorities
    no_consent = carer_services.child_create(
        profile=CarerProfileFactory(local_authority=leeds["vs"].local_authority),
        first_name="Bo",
        year_of_birth=2014,
        school_year="",
    )
    with pytest.raises(SchoolError, match="not agreed"):
        record_services.pupil_link_child(
            pupil=leeds["pupil"], child=no_consent, actor=leeds["officer"]
        )
    elsewhere = carer_services.child_create(
        profile=CarerProfileFactory(local_authority=kent["vs"].local_authority),
        first_name="Cy",
        year_of_birth=2014,
        school_year="",
        share_with_virtual_school=True,
    )
    with pytest.raises(SchoolError, match="another council"):
        record_services.pupil_link_child(
            pupil=leeds["pupil"], child=elsewhere, actor=leeds["officer"]
        )


def test_services_refuse_another_authoritys_school_or_pupil(two_authorities):
    leeds, kent = two_authorities
    with pytest.raises(SchoolError):
        record_services.liaison_save(
            virtual_school=kent["vs"],
            actor=kent["officer"],
            pupil=leeds["pupil"],
            contact_type="call",
            contact_date=datetime.date(2026, 11, 2),
            summary="x",
        )
    with pytest.raises(SchoolError):
        record_services.pupil_update(
            pupil=kent["pupil"], actor=kent["officer"], school=leeds["school"]
        )
    assert TermlyReview.objects.count() == 2 and School.objects.count() == 2


# The council's local offer editors: every page of theirs names the offer in its address.


def _editor_routes() -> list[URLPattern]:
    [editor] = [
        p for p in _resolvers(get_resolver().url_patterns) if p.namespace == "localoffer_editor"
    ]
    return list(editor.url_patterns)


def test_another_councils_offer_is_a_404_to_its_editors(client, two_authorities):
    from localoffer.models import LocalOfferChange
    from tests.localoffer.factories import full_offer

    leeds, kent = two_authorities
    leeds_offer, kent_offer = full_offer("E08000035"), full_offer("E10000016")
    StaffMembership = type(kent["membership"])
    StaffMembership.objects.filter(user=kent["officer"]).update(edits_local_offer=True)
    client.force_login(kent["officer"])
    checked = 0
    for pattern in _editor_routes():
        if "slug" not in str(pattern.pattern):
            continue
        kwargs = {"slug": leeds_offer.slug}
        if "kind" in str(pattern.pattern):
            kwargs["kind"] = "financial"
        url = reverse(f"localoffer_editor:{pattern.name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "x", "status": "draft"}).status_code == 404, url
        own = reverse(
            f"localoffer_editor:{pattern.name}", kwargs={**kwargs, "slug": kent_offer.slug}
        )
        assert client.get(own).status_code == 200, own
        checked += 1
    assert checked == 6
    leeds_offer.refresh_from_db()
    assert leeds_offer.status == "published"
    assert leeds_offer.sections.get(kind="financial").body == "About financial."
    assert not LocalOfferChange.objects.filter(offer=leeds_offer).exists()
