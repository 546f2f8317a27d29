import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from carers.models import CarerProfile, Child
from core.choices import Arrangement
from schools.models import LocalAuthority, StaffMembership, VirtualSchool

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


def local_authority(gss_code: str = "E08000035") -> LocalAuthority:
    """A real authority from the shipped data (Leeds by default)."""
    return LocalAuthority.objects.get(gss_code=gss_code)


class CarerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerProfile

    user = factory.SubFactory(UserFactory)
    local_authority = factory.LazyFunction(local_authority)
    relationship = CarerProfile.Relationship.GRANDPARENT
    arrangement = Arrangement.SPECIAL_GUARDIANSHIP
    onboarded_at = factory.LazyFunction(timezone.now)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    carer = factory.SubFactory(CarerProfileFactory)
    first_name = factory.Iterator(["Jayden", "Amara", "Ellie", "Kai", "Poppy"])
    year_of_birth = 2015


class VirtualSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VirtualSchool
        django_get_or_create = ["local_authority"]

    local_authority = factory.LazyFunction(local_authority)
    name = factory.LazyAttribute(lambda o: f"{o.local_authority.name} Virtual School")
    email = "virtual.school@example.org"


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    virtual_school = factory.SubFactory(VirtualSchoolFactory)
    role = StaffMembership.Role.OFFICER


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.Topic"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A live resource for carers, unless told otherwise."""

    class Meta:
        model = "resources.Resource"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Guide number {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "A short summary for carers."
    body = "Some helpful advice."
    kind = "guide"
    audiences = factory.LazyFunction(lambda: ["carers"])
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """A published online workshop in 10 days with 10 places, open to everyone."""

    class Meta:
        model = "events.Event"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Workshop {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    summary = "A friendly workshop for kinship carers."
    kind = "workshop"
    format = "online"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=1, minutes=30))
    capacity = 10
    join_url = "https://meet.example.org/secret-room-123"
    audiences = factory.LazyFunction(lambda: ["carers"])
    status = "published"


def workspace_records(
    *, virtual_school, actor, school_name: str, pupil_last_name: str, liaison_summary: str
):
    """A school, a kinship pupil with an autumn review, and a liaison contact, made through the
    services as staff would make them. Returns (school, pupil, review, liaison)."""
    import datetime

    from schools.services import records as record_services

    school = record_services.school_save(
        virtual_school=virtual_school,
        name=school_name,
        urn="",
        phase="primary",
        local_authority=virtual_school.local_authority,
    )
    pupil = record_services.pupil_create(
        virtual_school=virtual_school,
        actor=actor,
        first_name="Ada",
        last_name=pupil_last_name,
        date_of_birth=datetime.date(2015, 5, 1),
        upn="",
        school=school,
        arrangement="sgo",
        previously_looked_after=True,
        send_status="none",
        social_worker_involved=False,
        notes="",
    )
    review = record_services.review_save(
        pupil=pupil,
        actor=actor,
        academic_year=2026,
        term="autumn",
        attendance_percent=88,
        sessions_missed=20,
        suspensions=1,
    )
    liaison = record_services.liaison_save(
        virtual_school=virtual_school,
        actor=actor,
        school=school,
        pupil=pupil,
        contact_type="call",
        contact_date=datetime.date(2026, 1, 5),
        summary=liaison_summary,
        follow_up_on=datetime.date(2026, 1, 20),
    )
    return school, pupil, review, liaison
