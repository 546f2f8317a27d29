"""Reads of advice requests: the staff inbox and home page, and a carer's own requests.
Each returns only the Virtual School's (or the carer's) requests, with what the page shows
already joined."""

from django.db.models import Count, Q, QuerySet

from schools.models import AdviceMessage, AdviceRequest

Status = AdviceRequest.Status


def open_advice_requests(virtual_school, limit: int = 50) -> list[AdviceRequest]:
    """Open requests, longest waiting first: read in the order of advice_inbox_waiting_idx,
    so only the first `limit` are touched however many are waiting."""
    return list(
        AdviceRequest.objects.filter(
            virtual_school=virtual_school, status=AdviceRequest.Status.OPEN
        )
        .select_related("carer", "assigned_to")
        .order_by("created_at", "pk")[:limit]
    )


def advice_inbox(virtual_school, status: str) -> QuerySet[AdviceRequest]:
    """One tab of the staff inbox: `status` is a Status value or "all"."""
    requests = AdviceRequest.objects.filter(virtual_school=virtual_school).select_related(
        "carer", "child", "assigned_to"
    )
    if status == Status.OPEN:  # longest waiting first
        return requests.filter(status=status).order_by("created_at", "pk")
    if status != "all":
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


def advice_inbox_counts(virtual_school) -> dict[str, int]:
    """How many requests there are in each status, and "all": one query."""
    return AdviceRequest.objects.filter(virtual_school=virtual_school).aggregate(
        all=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in Status.values},
    )


def advice_for_staff(virtual_school) -> QuerySet[AdviceRequest]:
    """The Virtual School's requests as its staff see one: with the carer (and their council),
    the child and who is assigned."""
    return AdviceRequest.objects.filter(virtual_school=virtual_school).select_related(
        "carer__carer_profile__local_authority", "child", "assigned_to", "virtual_school"
    )


def advice_for_carer(carer) -> QuerySet[AdviceRequest]:
    """The carer's own requests, newest first, with their Virtual School and child."""
    return (
        AdviceRequest.objects.filter(carer=carer)
        .select_related("virtual_school", "child")
        .order_by("-created_at", "-pk")
    )


def advice_thread(advice: AdviceRequest) -> QuerySet[AdviceMessage]:
    """The messages on a request, oldest first, with who wrote each."""
    return advice.messages.select_related("author").order_by("created_at", "pk")
