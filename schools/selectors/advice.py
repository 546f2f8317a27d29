"""Reads of advice requests: the staff inbox and home page, and a carer's own requests.
Each returns only the Virtual School's (or the carer's) requests, with what the page shows
already joined."""

import dataclasses

from django.db.models import Count, Q, QuerySet

from schools.filters import PupilFilter
from schools.models import AdviceMessage, AdviceRequest, KinshipPupil, School

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
        "carer__carer_profile__local_authority", "child", "assigned_to", "virtual_school", "pupil"
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


# Adding the child as a pupil, or finding their record ----------------------------------------


@dataclasses.dataclass(frozen=True)
class PupilPrefill:
    """What the add-pupil form starts with, from the request."""

    initial: dict
    # The school the carer named, when it is not (exactly one) on the Virtual School's list.
    school_not_listed: str = ""


def advice_pupil_prefill(advice: AdviceRequest) -> PupilPrefill:
    """Only what the carer agreed to share by choosing the child when they asked: the ask
    form tells them the Virtual School "will see their first name, school year and school"
    (schools.forms.advice.AdviceRequestForm). No child chosen, nothing shared."""
    child = advice.child
    if child is None:
        return PupilPrefill(initial={})
    initial = {"first_name": child.first_name}
    if child.school_year:
        initial["year_group_override"] = child.school_year
    school_name = child.school_name.strip()
    if not school_name:
        return PupilPrefill(initial=initial)
    schools = list(
        School.objects.filter(
            virtual_school_id=advice.virtual_school_id, name__iexact=school_name
        ).values_list("pk", flat=True)[:2]
    )
    if len(schools) != 1:
        return PupilPrefill(initial=initial, school_not_listed=school_name)
    return PupilPrefill(initial=initial | {"school": schools[0]})


PUPIL_SEARCH_LIMIT = 20


def pupils_to_link(virtual_school, search: str) -> list[KinshipPupil]:
    """The first pupils whose name or UPN matches, current and past, found the way the pupil
    list finds them: at most PUPIL_SEARCH_LIMIT + 1 rows (one more says there are more)."""
    if not search.strip():
        return []
    pupils = PupilFilter(
        {"q": search, "left": "also"},
        queryset=KinshipPupil.objects.filter(virtual_school=virtual_school).select_related(
            "school"
        ),
        virtual_school=virtual_school,
    )
    return list(pupils.qs.order_by("last_name", "first_name", "pk")[: PUPIL_SEARCH_LIMIT + 1])
