from django.db.models import Prefetch, QuerySet

from accounts.models import User
from carers.models import CarerProfile, Child, ConsentEvent


def children_for(profile: CarerProfile) -> QuerySet[Child]:
    return Child.objects.filter(carer=profile).prefetch_related(
        Prefetch("consent_events", queryset=ConsentEvent.objects.order_by("-recorded_at", "-pk"))
    )


def carer_export(*, user: User) -> dict:
    """Everything the portal holds about one carer, as plain data for a JSON download."""
    from allauth.account.models import EmailAddress

    profile = (
        CarerProfile.objects.select_related("local_authority")
        .prefetch_related("topics")
        .filter(user=user)
        .first()
    )
    data: dict = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "profile": None,
        "children": [],
        "saved_resources": [
            {"title": saved.resource.title, "saved_at": saved.saved_at.isoformat()}
            for saved in user.saved_resources.select_related("resource")
        ],
        "advice_requests": [
            {
                "topic": request.get_topic_display(),
                "status": request.get_status_display(),
                "asked_at": request.created_at.isoformat(),
                "may_contact_school": request.may_contact_school,
                "messages": [
                    {
                        "from": "You" if not m.from_staff else "Virtual School",
                        "at": m.created_at.isoformat(),
                        "text": m.body,
                    }
                    for m in request.messages.all()
                ],
            }
            for request in user.advice_requests.prefetch_related("messages").order_by("created_at")
        ],
        "bookings": [
            {
                "event": booking.event.title,
                "starts_at": booking.event.starts_at.isoformat(),
                "places": booking.places,
                "status": booking.get_status_display(),
                "access_needs": booking.access_needs or None,
                "booked_at": booking.created_at.isoformat(),
            }
            for booking in user.bookings.select_related("event").order_by("created_at")
        ],
    }
    if profile is None:
        return data
    data["profile"] = {
        "local_authority": profile.local_authority.name if profile.local_authority else None,
        "relationship": profile.get_relationship_display() if profile.relationship else None,
        "arrangement": profile.get_arrangement_display() if profile.arrangement else None,
        "topics": [t.name for t in profile.topics.all()],
        "digest_frequency": profile.get_digest_frequency_display(),
        "event_reminders": profile.reminders_enabled,
        "onboarded_at": profile.onboarded_at.isoformat() if profile.onboarded_at else None,
    }
    for child in children_for(profile):
        data["children"].append(
            {
                "first_name": child.first_name,
                "year_of_birth": child.year_of_birth,
                "school_year": child.get_school_year_display() if child.school_year else None,
                "school_name": child.school_name or None,
                "shared_with_virtual_school": child.shares_with_virtual_school,
                "consent_history": [
                    {
                        "action": e.get_action_display(),
                        "recorded_at": e.recorded_at.isoformat(),
                        "statement": e.statement,
                    }
                    for e in child.consent_events.all()
                ],
            }
        )
    return data


def account_deletion_preview(*, user: User) -> dict:
    """What deleting this carer's account will do, for the page that asks them to confirm."""
    from django.utils import timezone

    from events.models import Booking

    return {
        "future_bookings": list(
            Booking.objects.filter(
                user=user,
                status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
                event__starts_at__gt=timezone.now(),
            )
            .select_related("event")
            .order_by("event__starts_at")
        ),
        "questions": user.advice_requests.count(),
        "shared_children": list(
            Child.objects.filter(carer__user=user, pupil_record__isnull=False).values_list(
                "first_name", flat=True
            )
        ),
    }
