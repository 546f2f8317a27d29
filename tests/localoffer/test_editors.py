"""The council keeps its own offer: a head makes someone in the team a local offer editor,
editors change only their own council's offer, and every change is in its history."""

import pytest
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitation_accept, invitation_create
from localoffer import services
from localoffer.models import LocalOffer, LocalOfferChange, LocalOfferSection
from schools.models import AuditEntry, StaffMembership
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority
from tests.localoffer.factories import KENT, LEEDS, LocalOfferFactory, SectionFactory, full_offer

pytestmark = pytest.mark.django_db


def _staff(gss: str, *, role: str = "officer", editor: bool = True) -> StaffMembership:
    school = VirtualSchoolFactory(local_authority=local_authority(gss))
    membership = StaffMembershipFactory(virtual_school=school, role=role, edits_local_offer=editor)
    give_mfa(membership.user)
    return membership


def _section_url(offer, kind="financial", name="section"):
    return reverse(f"localoffer_editor:{name}", args=[offer.slug, kind])


FINANCIAL = {
    "body": "We pay a **kinship allowance** to special guardians.",
    "body_cy": "",
    "link_url": "www.leeds.gov.uk/kinship-allowance.pdf",
    "link_text": "Kinship allowance policy (PDF)",
    "link_text_cy": "",
}


# Who may edit -----------------------------------------------------------------------------


def test_a_head_makes_an_officer_a_local_offer_editor_and_it_is_audited(client):
    head = _staff(LEEDS, role="head", editor=False)
    officer = StaffMembershipFactory(virtual_school=head.virtual_school, role="officer")
    client.force_login(head.user)
    url = reverse("schools:staff_local_offer", args=[officer.pk])
    page = client.get(url).content.decode()
    assert "change your council&#x27;s kinship local offer?" in page
    response = client.post(url, {"edits_local_offer": "yes"}, follow=True)
    assert "can now change your council&#x27;s kinship local offer" in response.content.decode()
    officer.refresh_from_db()
    assert officer.edits_local_offer is True
    entry = AuditEntry.objects.get(
        virtual_school=head.virtual_school, object_type="StaffMembership"
    )
    assert "local offer editor" in entry.summary
    team = client.get(reverse("schools:staff")).content.decode()
    assert "Local offer editor" in team


def test_choosing_nothing_says_what_to_do(client):
    head = _staff(LEEDS, role="head", editor=False)
    client.force_login(head.user)
    response = client.post(reverse("schools:staff_local_offer", args=[head.pk]), {})
    assert "Choose yes or no" in response.content.decode()


def test_an_officer_cannot_make_editors(client):
    officer = _staff(LEEDS, role="officer", editor=True)
    client.force_login(officer.user)
    url = reverse("schools:staff_local_offer", args=[officer.pk])
    assert client.post(url, {"edits_local_offer": "no"}).status_code == 403
    officer.refresh_from_db()
    assert officer.edits_local_offer is True


def test_an_invited_editor_arrives_as_one():
    head = _staff(LEEDS, role="head", editor=False)
    invitation = invitation_create(
        email="offer.editor@leeds.example",
        role=Invitation.Role.SCHOOL_READ_ONLY,
        virtual_school=head.virtual_school,
        invited_by=head.user,
        edits_local_offer=True,
    )
    user = invitation_accept(
        invitation=invitation, first_name="Ola", last_name="Editor", password="a long pass phrase"
    )
    assert user.staff_membership.edits_local_offer is True
    assert user.staff_membership.role == "read_only"


def test_the_invite_form_offers_local_offer_editing(client):
    head = _staff(LEEDS, role="head", editor=False)
    client.force_login(head.user)
    client.post(
        reverse("schools:staff_invite"),
        {"email": "new@leeds.example", "role": "officer", "edits_local_offer": "on"},
    )
    assert Invitation.objects.get(email="new@leeds.example").edits_local_offer is True


def test_staff_who_are_not_editors_are_refused(client):
    officer = _staff(LEEDS, editor=False)
    offer = full_offer(LEEDS)
    client.force_login(officer.user)
    assert client.get(reverse("localoffer_editor:home")).status_code == 403
    assert client.post(_section_url(offer), FINANCIAL).status_code == 403
    home = client.get(reverse("schools:home")).content.decode()
    assert reverse("localoffer_editor:home") not in home


# Editing --------------------------------------------------------------------------------


def test_an_editor_starts_a_draft_and_it_is_in_the_history(client):
    editor = _staff(KENT)
    client.force_login(editor.user)
    start = client.get(reverse("localoffer_editor:home"))
    assert "Kent has no kinship local offer on the portal yet" in start.content.decode()
    response = client.post(reverse("localoffer_editor:home"), follow=True)
    offer = LocalOffer.objects.get(local_authority__gss_code=KENT)
    assert offer.status == LocalOffer.Status.DRAFT
    assert response.redirect_chain[-1][0] == offer.get_editor_url()
    [change] = offer.changes.all()
    assert change.action == "created" and change.changed_by == editor.user
    # A draft is not public.
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_an_editor_changes_the_financial_section_and_carers_see_it(client):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    form = client.get(_section_url(offer)).content.decode()
    assert "About financial." in form  # the current text, ready to change
    response = client.post(_section_url(offer), FINANCIAL, follow=True)
    assert "Financial support saved." in response.content.decode()
    section = offer.sections.get(kind="financial")
    assert section.link_url == "https://www.leeds.gov.uk/kinship-allowance.pdf"
    public = client.get(offer.get_absolute_url()).content.decode()
    assert "<strong>kinship allowance</strong>" in public
    assert "Kinship allowance policy (PDF)" in public
    change = offer.changes.get(part="financial")
    assert change.action == "changed"
    body = next(c for c in change.changes if c["field"] == "body")
    assert body == {"field": "body", "before": "About financial.", "after": FINANCIAL["body"]}
    assert AuditEntry.objects.filter(
        virtual_school=editor.virtual_school, object_type="LocalOffer", action="update"
    ).exists()
    history = client.get(reverse("localoffer_editor:history", args=[offer.slug])).content.decode()
    assert "Changed: Financial support" in history
    assert "About financial." in history and "kinship allowance" in history
    assert editor.user.get_full_name() in history


def test_scripts_an_editor_types_never_reach_carers(client):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    client.post(
        _section_url(offer, "legal"),
        {**FINANCIAL, "body": "Free advice <script>alert(1)</script> on Tuesdays."},
    )
    public = client.get(offer.get_absolute_url()).content.decode()
    assert "Free advice" in public and "<script>alert(1)" not in public


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**FINANCIAL, "body": ""}, "body", "Enter what your council offers in this section"),
        ({**FINANCIAL, "link_text": ""}, "link_text", "Enter the link text"),
        ({**FINANCIAL, "link_url": ""}, "link_url", "Enter the web address the link goes to"),
        (
            {**FINANCIAL, "link_url": "not a web address"},
            "link_url",
            "Enter a web address in the correct format",
        ),
    ],
)
def test_a_section_with_a_mistake_is_not_saved_and_says_why(client, data, field, message):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    response = client.post(_section_url(offer), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="{field}-error"' in page or f'id="id_{field}-error"' in page
    assert message in page
    assert offer.sections.get(kind="financial").body == "About financial."
    assert not offer.changes.exists()


def test_review_dates_must_be_in_order(client):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    url = reverse("localoffer_editor:details", args=[offer.slug])
    dates = {
        "last_reviewed_on_day": "1",
        "last_reviewed_on_month": "11",
        "last_reviewed_on_year": "2026",
        "review_due_on_day": "1",
        "review_due_on_month": "10",
        "review_due_on_year": "2026",
    }
    response = client.post(url, {"intro": "Hello", **dates})
    assert "The review due date must be after the date last reviewed" in response.content.decode()
    assert not offer.changes.exists()
    response = client.post(
        url, {"intro": "Hello", "intro_cy": offer.intro_cy, **dates, "review_due_on_year": "2027"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert str(offer.review_due_on) == "2027-10-01"
    [change] = offer.changes.all()
    assert {c["field"] for c in change.changes} == {"intro", "last_reviewed_on", "review_due_on"}


def test_publishing_needs_a_section_and_unpublishing_hides_the_offer(client):
    editor = _staff(KENT)
    offer = services.offer_start(local_authority=editor.virtual_school.local_authority, by=None)
    client.force_login(editor.user)
    status_url = reverse("localoffer_editor:status", args=[offer.slug])
    refused = client.post(status_url, {"status": "published"})
    assert "Write at least one section before you publish the offer" in refused.content.decode()
    client.post(_section_url(offer, "contacts"), {**FINANCIAL, "body": "Call 03000 41 41 41."})
    client.post(status_url, {"status": "published"})
    assert client.get(offer.get_absolute_url()).status_code == 200
    client.post(status_url, {"status": "draft"})
    assert client.get(offer.get_absolute_url()).status_code == 404
    actions = list(offer.changes.order_by("pk").values_list("action", flat=True))
    assert actions == ["created", "added", "published", "unpublished"]


def test_removing_a_section_keeps_its_text_in_the_history(client):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    client.post(_section_url(offer, "legal", "section_remove"))
    assert not offer.sections.filter(kind="legal").exists()
    change = offer.changes.get(part="legal")
    assert change.action == "removed"
    assert change.changes[0]["before"] == "About legal."
    assert "About legal." not in client.get(offer.get_absolute_url()).content.decode()


def test_a_published_offer_keeps_at_least_one_section(client):
    editor = _staff(LEEDS)
    offer = LocalOfferFactory(local_authority=local_authority(LEEDS))
    SectionFactory(offer=offer, kind="contacts")
    client.force_login(editor.user)
    response = client.post(_section_url(offer, "contacts", "section_remove"), follow=True)
    assert "must keep at least one section" in response.content.decode()
    assert offer.sections.filter(kind="contacts").exists()
    assert not offer.changes.exists()


def test_an_unknown_section_is_not_found(client):
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    client.force_login(editor.user)
    assert client.get(_section_url(offer, "holidays")).status_code == 404


# Only their own council ----------------------------------------------------------------------


def test_a_kent_editor_cannot_touch_leeds(client):
    kent = _staff(KENT)
    leeds_offer = full_offer(LEEDS)
    client.force_login(kent.user)
    urls = [
        reverse("localoffer_editor:manage", args=[leeds_offer.slug]),
        reverse("localoffer_editor:details", args=[leeds_offer.slug]),
        reverse("localoffer_editor:status", args=[leeds_offer.slug]),
        reverse("localoffer_editor:history", args=[leeds_offer.slug]),
        _section_url(leeds_offer),
        _section_url(leeds_offer, "legal", "section_remove"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**FINANCIAL, "status": "draft"}).status_code == 404, url
    leeds_offer.refresh_from_db()
    assert leeds_offer.status == "published"
    assert leeds_offer.sections.count() == 9
    assert leeds_offer.sections.get(kind="financial").body == "About financial."
    assert not LocalOfferChange.objects.exists()


# Content admins ---------------------------------------------------------------------------


def test_a_content_admins_change_is_in_the_councils_history(client, content_admin):
    editor = _staff(LEEDS)
    offer = LocalOfferFactory(local_authority=local_authority(LEEDS), intro="Old words.")
    section = SectionFactory(offer=offer, kind="legal", body="Old legal.")
    client.force_login(content_admin)
    data = {
        "local_authority": offer.local_authority_id,
        "slug": offer.slug,
        "intro": "New words.",
        "status": "published",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-id": section.pk,
        "sections-0-offer": offer.pk,
        "sections-0-kind": "legal",
        "sections-0-body": "New legal.",
    }
    response = client.post(reverse("admin:localoffer_localoffer_change", args=[offer.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    parts = dict(offer.changes.values_list("part", "action"))
    assert parts == {"details": "changed", "legal": "changed"}
    assert set(offer.changes.values_list("changed_by", flat=True)) == {content_admin.pk}
    client.force_login(editor.user)
    history = client.get(reverse("localoffer_editor:history", args=[offer.slug])).content.decode()
    assert "Old legal." in history and "New legal." in history
    # Saving again with nothing changed adds nothing.
    client.force_login(content_admin)
    client.post(reverse("admin:localoffer_localoffer_change", args=[offer.pk]), data)
    assert offer.changes.count() == 2


def test_the_history_cannot_be_rewritten():
    offer = full_offer(LEEDS)
    services.section_save(offer=offer, kind="legal", by=None, body="Changed.")
    change = offer.changes.get()
    change.action = "removed"
    with pytest.raises(ValueError, match="cannot be changed"):
        change.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        change.delete()


def test_section_save_refuses_unknown_fields_and_kinds():
    offer = full_offer(LEEDS)
    with pytest.raises(ValueError):
        services.section_save(offer=offer, kind="holidays", by=None, body="x")
    with pytest.raises(TypeError):
        services.section_save(offer=offer, kind="legal", by=None, position=1)
    assert not LocalOfferSection.objects.filter(offer=offer, body="x").exists()


def test_the_history_keeps_the_name_when_the_account_goes():
    editor = _staff(LEEDS)
    offer = full_offer(LEEDS)
    services.section_save(offer=offer, kind="legal", by=editor.user, body="Changed.")
    name = editor.user.get_full_name()
    editor.user.delete()
    change = offer.changes.get()
    assert change.changed_by is None and change.changed_by_label == name
