"""Advice requests: a carer asks their Virtual School, staff reply, assign and close."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Notification
from core.notify import notify
from schools.models import AdviceMessage, AdviceRequest, StaffMembership
from schools.services import SchoolError


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
