import factory
from django.utils import timezone

from professionals.models import ProfessionalProfile
from tests.factories import EventFactory, UserFactory


class ProfessionalFactory(factory.django.DjangoModelFactory):
    """A professional with a verified e-mail address: a designated teacher, unless told."""

    class Meta:
        model = ProfessionalProfile

    user = factory.SubFactory(UserFactory, is_professional=True)
    role = ProfessionalProfile.Role.DESIGNATED_TEACHER
    organisation = factory.Sequence(lambda n: f"Oakwood Primary School {n}")


class ProfessionalsEventFactory(EventFactory):
    """A published online training session for professionals in 10 days: 2 hours 30 minutes."""

    title = factory.Sequence(lambda n: f"Supporting kinship children at school {n}")
    slug = factory.Sequence(lambda n: f"training-{n}")
    kind = "training"
    organiser = "Leeds Virtual School"
    audiences = factory.LazyFunction(lambda: ["professionals", "schools"])
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=2, minutes=30))


def attended(user, event=None, *, attended=True, **event_fields):
    """A confirmed place at an event that has ended, marked as attended (or not)."""
    from events.models import Booking

    if event is None:
        starts = timezone.now() - timezone.timedelta(days=7)
        event = ProfessionalsEventFactory(
            starts_at=starts,
            ends_at=starts + timezone.timedelta(hours=2, minutes=30),
            **event_fields,
        )
    return Booking.objects.create(
        event=event,
        user=user,
        status=Booking.Status.CONFIRMED,
        confirmed_at=event.starts_at - timezone.timedelta(days=3),
        attended=attended,
    )
