"""Pupils, termly reviews, liaison records and the Virtual School's list of schools.

Each change of a pupil's record writes an audit entry.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.gb import upn as stdnum_upn

from carers.models import Child
from schools.models import (
    AuditEntry,
    KinshipPupil,
    LiaisonRecord,
    LocalAuthority,
    School,
    TermlyReview,
)
from schools.services import SchoolError
from schools.services.audit import audit_record

DUPLICATE_PUPIL = _("A pupil with this name and date of birth, or this UPN, is already recorded")
DUPLICATE_REVIEW = _("There is already a review for this term. Change that review instead.")
DUPLICATE_URN = _("A school with this URN is already on your list")


def _save_unique(obj, message: str) -> None:
    """Save, turning a unique-constraint clash (two people saving the same thing at once,
    after the friendly check above passed for both) into the same message for the person."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise SchoolError(message) from None


# UPNs --------------------------------------------------------------------------------------


def validate_upn(value: str) -> str:
    """A UPN in its stored form, or ValidationError saying what is wrong.

    python-stdnum checks the format and the check letter; the LA number is checked
    against the portal's own authorities, because stdnum's list predates the authorities
    created since 2019.
    """
    number = stdnum_upn.compact(value or "")
    if not number:
        return ""
    if len(number) != 13:
        raise ValidationError(
            gettext("A UPN has 13 characters, like B801200005001"), code="upn_length"
        )
    if (
        not number[1:-1].isdigit()
        or number[-1] not in stdnum_upn._alphabet
        or not number[0].isalpha()
    ):
        raise ValidationError(
            gettext("A UPN is a letter, 11 digits and a final digit or letter, like B801200005001"),
            code="upn_format",
        )
    if stdnum_upn.calc_check_digit(number[1:]) != number[0]:
        raise ValidationError(
            gettext("Check the UPN: the first letter does not match the rest"), code="upn_check"
        )
    if not LocalAuthority.objects.filter(dfe_la_number=number[1:4]).exists():
        raise ValidationError(
            gettext("Check the UPN: %(number)s is not the number of a local authority in England")
            % {"number": number[1:4]},
            code="upn_la",
        )
    return number


# Pupils ------------------------------------------------------------------------------------

PUPIL_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "school",
    "year_group_override",
    "arrangement",
    "previously_looked_after",
    "send_status",
    "social_worker_involved",
    "notes",
    "left_on",
    "left_reason",
    "legal_hold",
]


def _check_school(school, virtual_school) -> None:
    if school is not None and school.virtual_school_id != virtual_school.pk:
        raise SchoolError(gettext("Choose a school from your Virtual School's list"))


def pupil_duplicates(
    *, virtual_school, first_name: str, last_name: str, date_of_birth, upn: str, exclude_pk=None
):
    """Existing pupils with the same name and date of birth, or the same UPN."""
    match = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if upn:
        match |= Q(upn=upn)
    return KinshipPupil.objects.filter(match, virtual_school=virtual_school).exclude(pk=exclude_pk)


@transaction.atomic
def pupil_create(*, virtual_school, actor, **fields) -> KinshipPupil:
    _check_school(fields.get("school"), virtual_school)
    fields["upn"] = validate_upn(fields.get("upn", ""))
    if pupil_duplicates(
        virtual_school=virtual_school,
        first_name=fields["first_name"],
        last_name=fields["last_name"],
        date_of_birth=fields["date_of_birth"],
        upn=fields["upn"],
    ).exists():
        raise SchoolError(DUPLICATE_PUPIL)
    pupil = KinshipPupil(virtual_school=virtual_school, **fields)
    _save_unique(pupil, DUPLICATE_PUPIL)
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.CREATE,
        obj=pupil,
        summary=f"Added pupil {pupil}",
    )
    return pupil


@transaction.atomic
def pupil_update(*, pupil: KinshipPupil, actor, **fields) -> KinshipPupil:
    _check_school(fields.get("school"), pupil.virtual_school)
    if "upn" in fields:
        fields["upn"] = validate_upn(fields["upn"])
    changed = [name for name, value in fields.items() if getattr(pupil, name) != value]
    for name, value in fields.items():
        setattr(pupil, name, value)
    if pupil_duplicates(
        virtual_school=pupil.virtual_school,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        exclude_pk=pupil.pk,
    ).exists():
        raise SchoolError(DUPLICATE_PUPIL)
    _save_unique(pupil, DUPLICATE_PUPIL)
    with translation.override(None):  # the audit log is kept in English, whoever reads it
        labels = (
            ", ".join(str(KinshipPupil._meta.get_field(n).verbose_name) for n in changed)
            or "nothing"
        )
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=pupil,
        summary=f"Changed {labels} for {pupil}",
    )
    return pupil


@transaction.atomic
def pupil_link_child(*, pupil: KinshipPupil, child, actor) -> KinshipPupil:
    """Link the carer's record of the child: only while the carer consents, and only in this authority."""
    child = Child.objects.select_for_update().select_related("carer").get(pk=child.pk)
    if not child.shares_with_virtual_school:
        raise SchoolError(gettext("The carer has not agreed to share this child's details"))
    if child.carer.local_authority_id != pupil.virtual_school.local_authority_id:
        raise SchoolError(gettext("This child's carer lives in another council area"))
    pupil.child = child
    pupil.save(update_fields=["child", "updated_at"])
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=pupil,
        summary=f"Linked {pupil} to the carer's record of {child.first_name}",
    )
    return pupil


@transaction.atomic
def pupil_unlink_child(*, child, actor, why: str = "Carer withdrew consent") -> list[KinshipPupil]:
    """Consent withdrawn, or the carer moved council: the carer's child record is unlinked from
    every pupil record at once. Returns the pupil records it was linked to."""
    unlinked = []
    for pupil in (
        KinshipPupil.objects.select_for_update()
        .filter(child=child)
        .select_related("virtual_school")
    ):
        pupil.child = None
        pupil.save(update_fields=["child", "updated_at"])
        audit_record(
            actor=actor,
            virtual_school=pupil.virtual_school,
            action=AuditEntry.Action.UNLINK,
            obj=pupil,
            summary=f"{why}: unlinked their record from {pupil}",
        )
        unlinked.append(pupil)
    return unlinked


# Termly reviews ----------------------------------------------------------------------------

# A pupil's latest review is the one of the highest academic year, and within it the latest
# term. Term codes sort in school-year order (autumn < spring < summer), so this ordering is
# that rule; the unique (pupil, academic_year, term) index answers it without a sort.
LATEST_FIRST = ("-academic_year", "-term")


def refresh_latest_reviews(*, pupils: QuerySet[KinshipPupil]) -> int:
    """Point each of `pupils` at its latest review (or at none) and copy its attendance:
    one UPDATE however many pupils.

    review_save and review_delete call it for their pupil; anything that writes reviews
    another way (a bulk insert) must call it for the pupils it wrote. Returns the number
    of pupils."""
    latest = TermlyReview.objects.filter(pupil=OuterRef("pk")).order_by(*LATEST_FIRST)
    return pupils.order_by().update(
        latest_review=Subquery(latest.values("pk")[:1]),
        latest_attendance=Subquery(latest.values("attendance_percent")[:1]),
    )


def _lock_reviews_of(pupil: KinshipPupil) -> None:
    """One change of this pupil's reviews at a time, until the transaction ends: the second
    waits, then sees the first's review when it works out the latest."""
    list(KinshipPupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk"))


def _refresh_latest_review(pupil: KinshipPupil) -> None:
    refresh_latest_reviews(pupils=KinshipPupil.objects.filter(pk=pupil.pk))
    pupil.refresh_from_db(fields=["latest_review", "latest_attendance"])


@transaction.atomic
def review_save(
    *, pupil: KinshipPupil, actor, review: TermlyReview | None = None, **fields
) -> TermlyReview:
    _lock_reviews_of(pupil)
    creating = review is None
    review = review or TermlyReview(pupil=pupil, created_by=actor)
    for name, value in fields.items():
        setattr(review, name, value)
    if (
        TermlyReview.objects.filter(
            pupil=pupil, academic_year=review.academic_year, term=review.term
        )
        .exclude(pk=review.pk)
        .exists()
    ):
        raise SchoolError(DUPLICATE_REVIEW)
    _save_unique(review, DUPLICATE_REVIEW)
    _refresh_latest_review(pupil)  # a new review, a changed term or year, or attendance
    with translation.override(None):  # the audit log is kept in English
        term = review.get_term_display().lower()
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=pupil,
        summary=f"{'Added' if creating else 'Changed'} the {term} "
        f"{review.academic_year} review for {pupil}",
    )
    return review


@transaction.atomic
def review_delete(*, review: TermlyReview, actor) -> None:
    """Delete a review entered by mistake; the pupil's latest review is worked out again."""
    pupil = review.pupil
    _lock_reviews_of(pupil)
    with translation.override(None):  # the audit log is kept in English
        summary = (
            f"Deleted the {review.get_term_display().lower()} "
            f"{review.academic_year} review for {pupil}"
        )
    review.delete()
    _refresh_latest_review(pupil)
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.DELETE,
        obj=pupil,
        summary=summary,
    )


# Liaison and schools -----------------------------------------------------------------------


@transaction.atomic
def liaison_save(
    *, virtual_school, actor, record: LiaisonRecord | None = None, **fields
) -> LiaisonRecord:
    _check_school(fields.get("school"), virtual_school)
    pupil = fields.get("pupil")
    if pupil is not None and pupil.virtual_school_id != virtual_school.pk:
        raise SchoolError(gettext("Choose a pupil from your Virtual School"))
    creating = record is None
    record = record or LiaisonRecord(virtual_school=virtual_school, created_by=actor)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    if pupil is not None:
        with translation.override(None):  # the audit log is kept in English
            contact = record.get_contact_type_display().lower()
        audit_record(
            actor=actor,
            virtual_school=virtual_school,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=pupil,
            summary=f"{'Logged' if creating else 'Changed'} a {contact} about {pupil}",
        )
    return record


@transaction.atomic
def liaison_follow_up_done(*, record: LiaisonRecord, actor) -> LiaisonRecord:
    record.follow_up_done = True
    record.save(update_fields=["follow_up_done"])
    with translation.override(None):  # the audit log is kept in English
        contact = record.get_contact_type_display().lower()
    audit_record(
        actor=actor,
        virtual_school=record.virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=record,
        summary=f"Marked the follow-up done: {contact} of {record.contact_date:%d %B %Y}",
    )
    return record


@transaction.atomic
def school_save(*, virtual_school, school: School | None = None, actor=None, **fields) -> School:
    creating = school is None
    school = school or School(virtual_school=virtual_school)
    for name, value in fields.items():
        setattr(school, name, value)
    if (
        school.urn
        and School.objects.filter(virtual_school=virtual_school, urn=school.urn)
        .exclude(pk=school.pk)
        .exists()
    ):
        raise SchoolError(DUPLICATE_URN)
    _save_unique(school, DUPLICATE_URN)
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=school,
        summary=f"{'Added' if creating else 'Changed'} {school.name}",
    )
    return school
