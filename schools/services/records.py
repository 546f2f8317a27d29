import csv
import dataclasses
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from schools.models import (
    AuditEntry,
    KinshipPupil,
    LiaisonRecord,
    LocalAuthority,
    School,
    StaffMembership,
    TermlyReview,
)


class SchoolError(Exception):
    """A Virtual School operation is not allowed; the message says why, for the person.

    `field` names the form field the message belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@transaction.atomic
def staff_membership_remove(*, membership: StaffMembership, removed_by) -> None:
    """Remove a member of staff from their Virtual School team. They lose access at once."""
    membership = StaffMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == removed_by.pk:
        raise SchoolError("You cannot remove yourself. Ask another head or a content admin.")
    if membership.is_head:
        other_heads = StaffMembership.objects.filter(
            virtual_school=membership.virtual_school, role=StaffMembership.Role.HEAD
        ).exclude(pk=membership.pk)
        if not other_heads.exists():
            raise SchoolError("A Virtual School must keep at least one head.")
    # /school/ checks the membership on every request, so access ends at once.
    membership.delete()


DUPLICATE_PUPIL = "A pupil with this name and date of birth, or this UPN, is already recorded"
DUPLICATE_REVIEW = "There is already a review for this term. Change that review instead."
DUPLICATE_URN = "A school with this URN is already on your list"


def _save_unique(obj, message: str) -> None:
    """Save, turning a unique-constraint clash (two people saving the same thing at once,
    after the friendly check above passed for both) into the same message for the person."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise SchoolError(message) from None


# Audit -------------------------------------------------------------------------------------


def audit_record(
    *, actor, virtual_school, action: str, obj=None, object_type: str = "", summary: str
) -> AuditEntry:
    """Write one audit entry. Services call this for every view, change, export and import."""
    return AuditEntry.objects.create(
        virtual_school=virtual_school,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(actor.get_full_name() or actor.email)
        if getattr(actor, "pk", None)
        else "System",
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else ""),
        object_id=getattr(obj, "pk", None),
        summary=summary[:300],
    )


# UPNs --------------------------------------------------------------------------------------


def validate_upn(value: str) -> str:
    """A UPN in its stored form, or ValidationError saying what is wrong.

    python-stdnum checks the format and the check letter; the LA number is checked
    against the portal's own authorities, because stdnum's list predates the authorities
    created since 2019.
    """
    from stdnum.gb import upn as stdnum_upn

    number = stdnum_upn.compact(value or "")
    if not number:
        return ""
    if len(number) != 13:
        raise ValidationError("A UPN has 13 characters, like A801200005001", code="upn_length")
    if (
        not number[1:-1].isdigit()
        or number[-1] not in stdnum_upn._alphabet
        or not number[0].isalpha()
    ):
        raise ValidationError(
            "A UPN is a letter, 11 digits and a final digit or letter, like A801200005001",
            code="upn_format",
        )
    if stdnum_upn.calc_check_digit(number[1:]) != number[0]:
        raise ValidationError(
            "Check the UPN: the first letter does not match the rest", code="upn_check"
        )
    if not LocalAuthority.objects.filter(dfe_la_number=number[1:4]).exists():
        raise ValidationError(
            f"Check the UPN: {number[1:4]} is not the number of a local authority in England",
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
]


def _check_school(school, virtual_school) -> None:
    if school is not None and school.virtual_school_id != virtual_school.pk:
        raise SchoolError("Choose a school from your Virtual School's list")


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
    labels = ", ".join(KinshipPupil._meta.get_field(n).verbose_name for n in changed) or "nothing"
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=pupil,
        summary=f"Changed {labels} for {pupil}",
    )
    return pupil


def pupil_viewed(*, pupil: KinshipPupil, actor) -> None:
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.VIEW,
        obj=pupil,
        summary=f"Viewed {pupil}",
    )


@transaction.atomic
def pupil_link_child(*, pupil: KinshipPupil, child, actor) -> KinshipPupil:
    """Link the carer's record of the child: only while the carer consents, and only in this authority."""
    from carers.models import Child

    child = Child.objects.select_for_update().select_related("carer").get(pk=child.pk)
    if not child.shares_with_virtual_school:
        raise SchoolError("The carer has not agreed to share this child's details")
    if child.carer.local_authority_id != pupil.virtual_school.local_authority_id:
        raise SchoolError("This child's carer lives in another council area")
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
def pupil_unlink_child(*, child, actor) -> int:
    """Consent withdrawn: the carer's child record is unlinked from every pupil record at once."""
    unlinked = 0
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
            summary=f"Carer withdrew consent: unlinked their record from {pupil}",
        )
        unlinked += 1
    return unlinked


# Reviews, liaison and schools --------------------------------------------------------------


@transaction.atomic
def review_save(
    *, pupil: KinshipPupil, actor, review: TermlyReview | None = None, **fields
) -> TermlyReview:
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
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=pupil,
        summary=f"{'Added' if creating else 'Changed'} the {review.get_term_display().lower()} "
        f"{review.academic_year} review for {pupil}",
    )
    return review


@transaction.atomic
def liaison_save(
    *, virtual_school, actor, record: LiaisonRecord | None = None, **fields
) -> LiaisonRecord:
    _check_school(fields.get("school"), virtual_school)
    pupil = fields.get("pupil")
    if pupil is not None and pupil.virtual_school_id != virtual_school.pk:
        raise SchoolError("Choose a pupil from your Virtual School")
    creating = record is None
    record = record or LiaisonRecord(virtual_school=virtual_school, created_by=actor)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    if pupil is not None:
        audit_record(
            actor=actor,
            virtual_school=virtual_school,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=pupil,
            summary=f"{'Logged' if creating else 'Changed'} a {record.get_contact_type_display().lower()} about {pupil}",
        )
    return record


@transaction.atomic
def liaison_follow_up_done(*, record: LiaisonRecord, actor) -> LiaisonRecord:
    record.follow_up_done = True
    record.save(update_fields=["follow_up_done"])
    return record


@transaction.atomic
def school_save(*, virtual_school, school: School | None = None, **fields) -> School:
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
    return school


def pupils_exported(*, virtual_school, actor, count: int, what: str) -> None:
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.EXPORT,
        object_type="KinshipPupil",
        summary=f"Exported {what} ({count} rows)",
    )


# CSV import --------------------------------------------------------------------------------

IMPORT_COLUMNS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "school_urn",
    "arrangement",
    "previously_looked_after",
    "send_status",
    "social_worker_involved",
]
IMPORT_MAX_ROWS = 2000
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclasses.dataclass
class ImportRow:
    number: int  # the spreadsheet row, counting the header as row 1
    raw: dict
    values: dict = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)


def _choice(value: str, choices, what: str) -> str:
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in (code.lower(), label.lower()):
            return code
    raise ValueError(f"{what} “{value}” is not one we know")


def _date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    raise ValueError(f"Date of birth “{value}” must be like 2015-03-27 or 27/03/2015")


def _yes_no(value: str, what: str) -> bool:
    wanted = value.strip().lower()
    if wanted in _YES:
        return True
    if wanted in _NO:
        return False
    raise ValueError(f"{what} must be yes or no")


def pupil_import_parse(*, virtual_school, text: str) -> tuple[list[ImportRow], list[str]]:
    """Read a spreadsheet saved as CSV. Returns every row with its errors, and errors about the file."""
    from django.utils import timezone

    from core.choices import Arrangement

    # newline="": line breaks inside quoted cells, and old Mac files that end lines with \r alone.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        records = list(reader)
    except csv.Error:  # a cell longer than the csv module allows, for example
        return [], ["The file could not be read: save it as ‘CSV UTF-8’ and try again"]
    missing = [c for c in IMPORT_COLUMNS if c not in headers]
    if missing:
        return [], [
            f"The file needs these columns: {', '.join(IMPORT_COLUMNS)}. Missing: {', '.join(missing)}"
        ]
    schools = {
        s.urn: s for s in School.objects.filter(virtual_school=virtual_school).exclude(urn="")
    }
    la_numbers = set(
        LocalAuthority.objects.exclude(dfe_la_number=None).values_list("dfe_la_number", flat=True)
    )
    rows: list[ImportRow] = []
    today = timezone.localdate()
    for number, raw in enumerate(records, start=2):
        # Cells beyond the last column come as a list under the key None: they are ignored.
        raw = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(raw.values()):
            continue
        row = ImportRow(number=number, raw=raw)
        rows.append(row)
        if len(rows) > IMPORT_MAX_ROWS:
            return rows, [f"Import at most {IMPORT_MAX_ROWS} pupils at a time"]
        for field in ("first_name", "last_name"):
            label = field.replace("_", " ").capitalize()
            if not raw[field]:
                row.errors.append(f"{label} is missing")
            elif len(raw[field]) > 80:
                row.errors.append(f"{label} must be 80 characters or fewer")
            else:
                row.values[field] = raw[field]
        checks = [
            ("date_of_birth", lambda v: _date(v)),
            ("arrangement", lambda v: _choice(v, Arrangement.choices, "Arrangement")),
            (
                "send_status",
                lambda v: _choice(v or "none", KinshipPupil.Send.choices, "SEND status"),
            ),
            ("previously_looked_after", lambda v: _yes_no(v, "Previously looked after")),
            ("social_worker_involved", lambda v: _yes_no(v, "Social worker involved")),
        ]
        for field, parse in checks:
            try:
                row.values[field] = parse(raw[field])
            except ValueError as error:
                row.errors.append(str(error))
        dob = row.values.get("date_of_birth")
        if dob and not (today.replace(year=today.year - 25) <= dob <= today):
            row.errors.append("Date of birth must be in the last 25 years")
        try:
            upn = validate_upn(raw["upn"]) if raw["upn"] else ""
            if upn and upn[1:4] not in la_numbers:
                raise ValidationError("unknown LA")
            row.values["upn"] = upn
        except ValidationError as error:
            row.errors.append(error.messages[0])
        urn = raw["school_urn"]
        if urn and urn not in schools:
            row.errors.append(f"No school with URN {urn} is on your list: add the school first")
        row.values["school"] = schools.get(urn)
    _mark_duplicates(rows, virtual_school)
    return rows, []


def _mark_duplicates(rows: list[ImportRow], virtual_school) -> None:
    seen_people: dict[tuple, int] = {}
    seen_upns: dict[str, int] = {}
    existing = KinshipPupil.objects.filter(virtual_school=virtual_school)
    known_people = {
        (f.lower(), la.lower(), d)
        for f, la, d in existing.values_list("first_name", "last_name", "date_of_birth")
    }
    known_upns = set(existing.exclude(upn="").values_list("upn", flat=True))
    for row in rows:
        v = row.values
        person = (
            v.get("first_name", "").lower(),
            v.get("last_name", "").lower(),
            v.get("date_of_birth"),
        )
        upn = v.get("upn", "")
        if all(person) and person in seen_people:
            row.errors.append(f"Same name and date of birth as row {seen_people[person]}")
        elif all(person) and person in known_people:
            row.errors.append("A pupil with this name and date of birth is already recorded")
        if upn and upn in seen_upns:
            row.errors.append(f"Same UPN as row {seen_upns[upn]}")
        elif upn and upn in known_upns:
            row.errors.append("A pupil with this UPN is already recorded")
        if all(person):
            seen_people.setdefault(person, row.number)
        if upn:
            seen_upns.setdefault(upn, row.number)


@transaction.atomic
def pupil_import(*, virtual_school, actor, text: str) -> int:
    """Add every pupil in the file, or none: any error in any row stops the whole import."""
    rows, file_errors = pupil_import_parse(virtual_school=virtual_school, text=text)
    if file_errors or not rows or any(row.errors for row in rows):
        raise SchoolError(
            "Nothing was imported: correct the rows with errors and upload the file again"
        )
    KinshipPupil.objects.bulk_create(
        [KinshipPupil(virtual_school=virtual_school, **row.values) for row in rows]
    )
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.IMPORT,
        object_type="KinshipPupil",
        summary=f"Imported {len(rows)} pupils from a spreadsheet",
    )
    return len(rows)


# Advice requests ---------------------------------------------------------------------------


@transaction.atomic
def advice_request_create(
    *, carer, topic: str, message: str, child=None, may_contact_school: bool = False
):
    """A carer asks their Virtual School (the one for the council area in their profile)."""
    from schools.models import AdviceMessage, AdviceRequest

    profile = getattr(carer, "carer_profile", None)
    virtual_school = getattr(getattr(profile, "local_authority", None), "virtual_school", None)
    if virtual_school is None:
        raise SchoolError("The Virtual School for your council area is not on the portal yet")
    if child is not None and child.carer_id != profile.pk:
        raise SchoolError("Choose one of the children in your profile", field="child")
    request = AdviceRequest.objects.create(
        virtual_school=virtual_school,
        carer=carer,
        topic=topic,
        child=child,
        may_contact_school=may_contact_school,
    )
    AdviceMessage.objects.create(
        request=request, author=carer, from_staff=False, body=message.strip()
    )
    return request


@transaction.atomic
def advice_reply(*, request, author, body: str):
    """Add to the thread. A reply from staff answers the request and emails the carer."""
    from django.utils import timezone

    from core.models import Notification
    from core.notify import notify
    from schools.models import AdviceMessage, AdviceRequest

    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == AdviceRequest.Status.CLOSED:
        raise SchoolError("This request is closed")
    from_staff = author.pk != request.carer_id
    message = AdviceMessage.objects.create(
        request=request, author=author, from_staff=from_staff, body=body.strip()
    )
    if from_staff:
        request.status = AdviceRequest.Status.ANSWERED
        request.first_reply_at = request.first_reply_at or timezone.now()
        if request.assigned_to_id is None:
            request.assigned_to = author
        notify(
            kind=Notification.Kind.ADVICE_REPLY,
            recipient=request.carer,
            key=f"advice-message:{message.pk}",
        )
    else:
        request.status = AdviceRequest.Status.OPEN
    request.save(update_fields=["status", "first_reply_at", "assigned_to"])
    return message


@transaction.atomic
def advice_assign(*, request, assignee):
    if (
        assignee is not None
        and not StaffMembership.objects.filter(
            user=assignee, virtual_school_id=request.virtual_school_id
        ).exists()
    ):
        raise SchoolError("Choose someone in your team")
    request.assigned_to = assignee
    request.save(update_fields=["assigned_to"])
    return request


@transaction.atomic
def advice_close(*, request):
    from django.utils import timezone

    from schools.models import AdviceRequest

    request.status = AdviceRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request


def staff_summaries_claim_due(*, today=None) -> int:
    """Claim today's morning summary for every member of staff who has something waiting."""
    from django.utils import timezone

    from core.models import Notification
    from core.notify import notify
    from core.registry import staff_summary_sections

    today = today or timezone.localdate()
    claimed = 0
    for membership in StaffMembership.objects.select_related("user", "virtual_school"):
        if staff_summary_sections(membership) and notify(
            kind=Notification.Kind.STAFF_SUMMARY,
            recipient=membership.user,
            key=f"summary:{today:%Y-%m-%d}",
        ):
            claimed += 1
    return claimed
