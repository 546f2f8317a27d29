"""Advice requests: a carer asks their Virtual School, staff reply, assign and close."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import year_group_for
from core.models import Notification
from core.notify import notify
from schools.models import AdviceMessage, AdviceRequest, AuditEntry, KinshipPupil, StaffMembership
from schools.services import SchoolError
from schools.services.audit import audit_record
from schools.services.records import pupil_create


@transaction.atomic
def advice_request_create(
    *, carer, topic: str, message: str, child=None, may_contact_school: bool = False
):
    """A carer asks their Virtual School (the one for the council area in their profile)."""
    profile = getattr(carer, "carer_profile", None)
    virtual_school = getattr(getattr(profile, "local_authority", None), "virtual_school", None)
    if virtual_school is None:
        raise SchoolError(_("The Virtual School for your council area is not on the portal yet"))
    if child is not None and child.carer_id != profile.pk:
        raise SchoolError(_("Choose one of the children in your profile"), field="child")
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
    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == AdviceRequest.Status.CLOSED:
        raise SchoolError(_("This request is closed"))
    from_staff = author.pk != request.carer_id
    message = AdviceMessage.objects.create(
        request=request,
        author=author,
        author_label=(author.get_full_name() or author.email) if from_staff else "",
        from_staff=from_staff,
        body=body.strip(),
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
        raise SchoolError(_("Choose someone in your team"))
    request.assigned_to = assignee
    request.save(update_fields=["assigned_to"])
    return request


@transaction.atomic
def advice_close(*, request):
    request.status = AdviceRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request


# The child's pupil record ------------------------------------------------------------------


def _locked(request: AdviceRequest, actor) -> tuple[AdviceRequest, object]:
    """The request, locked, and the actor's Virtual School, once it is sure they are the
    request's (the views only ever find their own; this holds for every caller)."""
    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("pupil")
        .get(pk=request.pk)
    )
    membership = getattr(actor, "school_membership", None)
    if membership is None or membership.virtual_school_id != locked.virtual_school_id:
        raise SchoolError(_("You can only link your own Virtual School's requests"))
    return locked, membership.virtual_school


def _refuse_if_linked(request: AdviceRequest) -> None:
    # Two people linking at once: the second is told, and nothing of theirs is saved.
    if request.pupil is not None:
        raise SchoolError(
            _("This request is already linked to %(pupil)s. Unlink it first if that is wrong.")
            % {"pupil": request.pupil}
        )


def _set_pupil(
    request: AdviceRequest, pupil, *, audited: KinshipPupil, summary, virtual_school, actor
):
    """Link the request to a pupil (or unlink it, with None), audited on the pupil's record."""
    request.pupil = pupil
    request.save(update_fields=["pupil"])
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=audited,
        summary=summary,
    )
    return request


def _link(request: AdviceRequest, pupil: KinshipPupil, *, virtual_school, actor):
    return _set_pupil(
        request,
        pupil,
        audited=pupil,
        summary=f"Linked advice request {request.pk} to {pupil}",
        virtual_school=virtual_school,
        actor=actor,
    )


@transaction.atomic
def advice_request_link_pupil(*, request: AdviceRequest, pupil: KinshipPupil, actor):
    """Record that the request is about one of the Virtual School's pupils."""
    locked, virtual_school = _locked(request, actor)
    _refuse_if_linked(locked)
    if pupil.virtual_school_id != virtual_school.pk:
        raise SchoolError(_("Choose a pupil from the list"), field="pupil")
    return _link(locked, pupil, virtual_school=virtual_school, actor=actor)


@transaction.atomic
def advice_request_add_pupil(*, request: AdviceRequest, actor, **fields) -> KinshipPupil:
    """Add the child the request is about as a kinship pupil (pupil_create, with all its
    checks) and link the request to them: both, or neither."""
    locked, virtual_school = _locked(request, actor)
    _refuse_if_linked(locked)
    born, year_group = fields.get("date_of_birth"), fields.get("year_group_override")
    if born and year_group and year_group == year_group_for(born, timezone.localdate()).value:
        # The year group the carer gave is the one their age gives: record no override, so
        # the pupil still moves up a year each September.
        fields["year_group_override"] = ""
    pupil = pupil_create(virtual_school=virtual_school, actor=actor, **fields)
    _link(locked, pupil, virtual_school=virtual_school, actor=actor)
    return pupil


@transaction.atomic
def advice_request_unlink_pupil(*, request: AdviceRequest, actor) -> AdviceRequest:
    """Undo a link made by mistake. The pupil's record itself is not changed."""
    locked, virtual_school = _locked(request, actor)
    pupil = locked.pupil
    if pupil is None:
        raise SchoolError(_("This request is not linked to a pupil"))
    return _set_pupil(
        locked,
        None,
        audited=pupil,
        summary=f"Unlinked advice request {locked.pk} from {pupil}",
        virtual_school=virtual_school,
        actor=actor,
    )


@transaction.atomic
def advice_carer_left(*, carer) -> int:
    """The carer is closing their account. Their questions stay in the Virtual School's inbox
    (the authority's record of advice given), without who asked once the account is gone; open
    ones are closed with a note staff can see. Returns how many were still open."""
    closed = 0
    today = timezone.localdate()
    for request in AdviceRequest.objects.select_for_update().filter(carer=carer):
        if request.status == AdviceRequest.Status.CLOSED:
            continue
        AdviceMessage.objects.create(
            request=request,
            is_note=True,
            body=f"The carer closed their account on {today:%-d %B %Y}. They can no longer "
            "see this thread or get a reply, so it has been closed. It stays here as your "
            "record of the advice asked for and given.",
        )
        advice_close(request=request)
        closed += 1
    return closed
