"""Fill the portal with believable demo content. Safe to run again: it only adds what is missing.

manage.py seed_demo             # the demo people and records listed in README.md
manage.py seed_demo --scale 50  # and 50 times as many generated carers, for benchmarks
"""

import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import content_admin_group_sync
from carers import services as carer_services
from carers.models import CarerProfile, Child
from core.choices import Arrangement, YearGroup
from resources.models import Topic
from schools.models import LocalAuthority, StaffMembership, VirtualSchool

DEMO_PASSWORD = "kinship-demo-2026"  # noqa: S105 - demo accounts on a first run only

VIRTUAL_SCHOOLS = [
    {
        "gss_code": "E08000035",  # Leeds
        "name": "Leeds Virtual School",
        "email": "virtual.school@leeds.example",
        "phone": "0113 000 0000",
        "advice_line_hours": "Monday to Friday, 9am to 5pm",
        "address": "Civic Hall, Calverley Street, Leeds",
    },
    {
        "gss_code": "E10000016",  # Kent
        "name": "Kent Virtual School",
        "email": "virtual.school@kent.example",
        "phone": "03000 000 000",
        "advice_line_hours": "Monday to Thursday, 9am to 5pm; Friday, 9am to 4:30pm",
        "address": "Sessions House, County Road, Maidstone",
    },
]

# A designated teacher who books training with a professional's account (/training/).
PROFESSIONAL = {
    "email": "teacher@roundhay.example",
    "first_name": "Anita",
    "last_name": "Patel",
    "organisation": "Roundhay School",
    "gss_code": "E08000035",
}

STAFF = [
    ("head@leeds.example", "Priya", "Shah", "E08000035", StaffMembership.Role.HEAD),
    ("officer@leeds.example", "Tom", "Bennett", "E08000035", StaffMembership.Role.OFFICER),
    ("viewer@leeds.example", "Aisha", "Rahman", "E08000035", StaffMembership.Role.READ_ONLY),
    ("head@kent.example", "Gareth", "Lloyd", "E10000016", StaffMembership.Role.HEAD),
]
# They keep their council's kinship local offer at /school/local-offer/.
LOCAL_OFFER_EDITORS = {"officer@leeds.example", "head@kent.example"}

CARERS = [
    {
        "email": "margaret@example.com",
        "first_name": "Margaret",
        "last_name": "Okafor",
        "gss_code": "E08000035",
        "relationship": CarerProfile.Relationship.GRANDPARENT,
        "arrangement": Arrangement.SPECIAL_GUARDIANSHIP,
        "topics": ["education-and-school", "money-and-allowances", "wellbeing"],
        "children": [
            ("Jayden", 2014, YearGroup.Y7, "Roundhay School", True),
            ("Amara", 2018, YearGroup.Y3, "Talbot Primary School", False),
        ],
    },
    {
        "email": "dave@example.com",
        "first_name": "Dave",
        "last_name": "Hughes",
        "gss_code": "E10000016",
        "relationship": CarerProfile.Relationship.AUNT_UNCLE,
        "arrangement": Arrangement.CHILD_ARRANGEMENTS,
        "topics": ["send", "legal-arrangements"],
        "children": [("Ellie", 2012, YearGroup.Y9, "", False)],
    },
    {
        "email": "chloe@example.com",
        "first_name": "Chloe",
        "last_name": "Walsh",
        "gss_code": "E08000035",
        "relationship": CarerProfile.Relationship.SIBLING,
        "arrangement": Arrangement.INFORMAL,
        "topics": ["teenagers", "support-for-carers"],
        "children": [("Kai", 2010, YearGroup.Y11, "Leeds City Academy", True)],
    },
]

FIRST_NAMES = [
    "Ann",
    "Barry",
    "Carol",
    "Dennis",
    "Eileen",
    "Frank",
    "Gloria",
    "Hassan",
    "Irene",
    "Joyce",
    "Kwame",
    "Linda",
    "Mohammed",
    "Norma",
    "Olu",
    "Pauline",
    "Rashid",
    "Sandra",
    "Terry",
    "Yvonne",
]
LAST_NAMES = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Francis",
    "Green",
    "Hussain",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Williams",
    "Young",
]
CHILD_NAMES = [
    "Alfie",
    "Bella",
    "Callum",
    "Daisy",
    "Ethan",
    "Freya",
    "Harvey",
    "Isla",
    "Jake",
    "Lily",
    "Mason",
    "Nia",
    "Oscar",
    "Poppy",
    "Reuben",
    "Sofia",
    "Tyler",
    "Zara",
]


def _person(email: str, first_name: str, last_name: str, **extra) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


class Command(BaseCommand):
    help = "Load believable demo content; idempotent. --scale N adds N times the generated carers."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Generated carers, in hundreds.")
        parser.add_argument(
            "--demo-site",
            action="store_true",
            help="Run even though DEBUG is off: only for a demonstration site with no real data.",
        )

    @transaction.atomic
    def handle(self, *args, scale: int, demo_site: bool = False, **options):
        if not (settings.DEBUG or demo_site):
            # It makes a superuser and Virtual School heads with a published password.
            raise CommandError(
                "seed_demo makes accounts whose password is published in the README, so it "
                "runs only with DEBUG=True. On a demonstration site with no real data, add "
                "--demo-site."
            )
        authorities = {la.gss_code: la for la in LocalAuthority.objects.all()}
        if not authorities:
            self.stderr.write("No local authorities: run `manage.py migrate` first.")
            return
        topics = {t.slug: t for t in Topic.objects.all()}

        schools = {}
        for spec in VIRTUAL_SCHOOLS:
            spec = dict(spec)
            la = authorities[spec.pop("gss_code")]
            schools[la.gss_code], _ = VirtualSchool.objects.get_or_create(
                local_authority=la, defaults=spec
            )

        curator, _ = _person("admin@example.com", "Jo", "Curator", is_staff=True)
        if curator.is_superuser:  # made by an older seed_demo: a content admin, not an operator
            User.objects.filter(pk=curator.pk).update(is_superuser=False)
        curator.groups.add(content_admin_group_sync())
        for email, first, last, gss, role in STAFF:
            user, _ = _person(email, first, last)
            StaffMembership.objects.get_or_create(
                user=user,
                defaults={
                    "virtual_school": schools[gss],
                    "role": role,
                    "edits_local_offer": email in LOCAL_OFFER_EDITORS,
                },
            )

        for spec in CARERS:
            user, created = _person(spec["email"], spec["first_name"], spec["last_name"])
            profile = carer_services.carer_profile_get_or_create(user=user)
            if not profile.is_onboarded:
                carer_services.carer_profile_update(
                    profile=profile,
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    local_authority=authorities[spec["gss_code"]],
                    relationship=spec["relationship"],
                    arrangement=spec["arrangement"],
                    topics=[topics[s] for s in spec["topics"] if s in topics],
                    digest_frequency=CarerProfile.DigestFrequency.WEEKLY,
                )
            if not profile.children.exists():
                for name, year, school_year, school, shared in spec["children"]:
                    carer_services.child_create(
                        profile=profile,
                        first_name=name,
                        year_of_birth=year,
                        school_year=school_year,
                        school_name=school,
                        share_with_virtual_school=shared,
                    )

        self._professional(authorities)
        self._resources(topics, authorities)
        self._events(topics, authorities)
        self._workspace(schools)
        self._local_offers(authorities)
        generated = self._scale(scale * 100, list(authorities.values()), list(topics.values()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {User.objects.count()} people, {CarerProfile.objects.count()} carer profiles, "
                f"{Child.objects.count()} children ({generated} carers generated now). "
                f"Demo password for every demo account: {DEMO_PASSWORD}"
            )
        )
        self.stdout.write(
            f"Professional booking training (/training/): {PROFESSIONAL['email']}, "
            f"password {DEMO_PASSWORD}"
        )

    def _local_offers(self, authorities) -> None:
        """Leeds and Kent with every section of a local offer, and a few support groups."""
        import datetime

        from events.models import Event
        from localoffer.models import LocalOffer, LocalOfferSection, SupportGroup
        from portal.demo_local_offers import LOCAL_OFFERS, SUPPORT_GROUPS

        today = timezone.localdate()
        for gss, spec in LOCAL_OFFERS.items():
            offer, _ = LocalOffer.objects.get_or_create(
                local_authority=authorities[gss],
                defaults={
                    "status": LocalOffer.Status.PUBLISHED,
                    "intro": spec["intro"],
                    "intro_cy": spec["intro_cy"],
                    "last_reviewed_on": today - datetime.timedelta(days=spec["reviewed_days_ago"]),
                    "review_due_on": today + datetime.timedelta(days=spec["due_in_days"]),
                },
            )
            for kind, (body, link_url, link_text) in spec["sections"].items():
                LocalOfferSection.objects.get_or_create(
                    offer=offer,
                    kind=kind,
                    defaults={"body": body, "link_url": link_url, "link_text": link_text},
                )
        for spec in SUPPORT_GROUPS:
            if SupportGroup.objects.filter(name=spec["name"]).exists():
                continue
            group = SupportGroup.objects.create(
                name=spec["name"],
                name_cy=spec.get("name_cy", ""),
                description=spec["description"],
                description_cy=spec.get("description_cy", ""),
                local_authority=authorities[spec["gss"]] if spec["gss"] else None,
                format=spec["format"],
                venue=spec.get("venue", ""),
                access_information=spec.get("access", ""),
                week_of_month=spec["week"],
                weekday=spec["weekday"],
                starts_at=datetime.time(*spec["starts"]),
                ends_at=datetime.time(*spec["ends"]),
                themes=spec["themes"],
                run_by=spec["run_by"],
                how_to_join=spec["how_to_join"],
                contact_email=spec["contact_email"],
                contact_phone=spec["contact_phone"],
                published=True,
            )
            group.events.set(Event.objects.filter(slug__in=spec["events"]))

    def _professional(self, authorities) -> None:
        """A designated teacher with a professional's account, booked on the briefing."""
        from professionals.models import ProfessionalProfile
        from professionals.services import professional_profile_create

        spec = PROFESSIONAL
        user, _ = _person(spec["email"], spec["first_name"], spec["last_name"])
        if not ProfessionalProfile.objects.filter(user=user).exists():
            professional_profile_create(
                user=user,
                role=ProfessionalProfile.Role.DESIGNATED_TEACHER,
                organisation=spec["organisation"],
                local_authority=authorities[spec["gss_code"]],
            )

    def _resources(self, topics, authorities) -> None:
        from portal.demo_data import RESOURCES, WELSH_RESOURCES
        from resources.models import Entitlement, Resource
        from resources.services import resource_publish

        today = timezone.localdate()
        for index, spec in enumerate(RESOURCES):
            (
                slug,
                title,
                summary,
                kind,
                topic_slugs,
                audiences,
                arrangements,
                stages,
                source,
                featured,
                body,
            ) = spec
            if Resource.objects.filter(slug=slug).exists():
                continue
            resource = Resource.objects.create(
                slug=slug,
                title=title,
                summary=summary,
                kind=kind,
                audiences=audiences,
                arrangements=arrangements,
                stages=stages,
                source_organisation=source,
                featured=featured,
                body=body,
                review_due_on=today + timezone.timedelta(days=300 - index * 30),
                external_url="https://www.leeds.gov.uk/" if kind == "link" else "",
                local_authority=authorities["E08000035"] if slug.startswith("leeds-") else None,
                **WELSH_RESOURCES.get(slug, {}),
            )
            resource.topics.set([topics[t] for t in topic_slugs if t in topics])
            resource_publish(
                resource=resource, at=timezone.now() - timezone.timedelta(days=index * 3)
            )
        links = {
            "Pupil Premium Plus for the child's school": ["pupil-premium-plus"],
            "Highest priority for school places": ["school-admissions-priority"],
            "Special guardianship allowance": [
                "special-guardianship-explained",
                "kinship-carers-money-guide",
            ],
            "Fostering allowance": ["kinship-foster-care-guide"],
            "A personal education plan (PEP)": ["kinship-foster-care-guide"],
            "Guardian's Allowance": ["kinship-carers-money-guide"],
            "Advice from your council's Virtual School": ["school-keeps-calling-about-behaviour"],
        }
        for name, slugs in links.items():
            entitlement = Entitlement.objects.filter(name=name).first()
            if entitlement is not None:
                entitlement.resources.add(*Resource.objects.filter(slug__in=slugs))

    def _events(self, topics, authorities) -> None:
        from events import services as event_services
        from events.dates import MONTHLY_REPEAT, WEEKLY_REPEAT
        from events.models import Booking, Event
        from events.services import series as series_services
        from portal.demo_data import EVENTS
        from resources.models import Resource

        now = timezone.localtime()
        for spec in EVENTS:
            spec = dict(spec)
            slug = spec.pop("slug")
            if Event.objects.filter(slug=slug).exists():
                continue
            days, hour, minutes = spec.pop("in_days"), spec.pop("hour"), spec.pop("minutes")
            starts = (now + timezone.timedelta(days=days)).replace(
                hour=hour, minute=0, second=0, microsecond=0
            )
            topic_slugs = spec.pop("topics")
            area = spec.pop("area", None)
            recording = spec.pop("recording", None)
            bookers = spec.pop("bookers", [])
            audiences = spec.pop("audiences", ["carers"])
            sessions = spec.pop("weekly_sessions", 0)  # a course of this many weekly sessions
            monthly_dates = spec.pop("monthly_dates", 0)  # a series of this many monthly dates
            event = Event.objects.create(
                slug=slug,
                starts_at=starts,
                ends_at=starts + timezone.timedelta(minutes=minutes),
                local_authority=authorities[area] if area else None,
                audiences=audiences,
                recording=Resource.objects.filter(slug=recording).first() if recording else None,
                status=Event.Status.PUBLISHED,
                **spec,
            )
            event.topics.set([topics[t] for t in topic_slugs if t in topics])
            if sessions:
                series_services.course_sessions_add(
                    event=event, frequency=WEEKLY_REPEAT, count=sessions
                )
            if monthly_dates:
                series = series_services.event_repeat(
                    event=event, frequency=MONTHLY_REPEAT, count=monthly_dates
                )
                for date in series.dates.filter(status=Event.Status.DRAFT):
                    event_services.event_publish(event=date)  # the copies start as drafts
            for email in bookers:
                user = User.objects.filter(email=email).first()
                if user is None:
                    continue
                if monthly_dates:  # every date of the series, as "Book all dates" does
                    series_services.series_book_all(event=event, user=user)
                elif days < 0:  # a past event: record the booking as it was
                    Booking.objects.create(
                        event=event,
                        user=user,
                        status=Booking.Status.CONFIRMED,
                        confirmed_at=starts - timezone.timedelta(days=7),
                        attended=True,
                    )
                else:
                    event_services.booking_create(event=event, user=user)

    def _workspace(self, virtual_schools) -> None:
        """Schools, kinship pupils, reviews, liaison and an advice request for Leeds Virtual School."""
        import datetime

        from portal.demo_data import PUPILS, SCHOOLS
        from schools.models import AdviceRequest, KinshipPupil, School
        from schools.services import advice as advice_services
        from schools.services import records as record_services

        leeds = virtual_schools["E08000035"]
        officer = User.objects.get(email="officer@leeds.example")
        if not School.objects.filter(virtual_school=leeds).exists():
            for spec in SCHOOLS:
                record_services.school_save(
                    virtual_school=leeds, local_authority=leeds.local_authority, **spec
                )
        schools_by_urn = {s.urn: s for s in School.objects.filter(virtual_school=leeds)}
        year = (
            timezone.localdate().year
            if timezone.localdate().month >= 9
            else timezone.localdate().year - 1
        )
        for spec in PUPILS:
            spec = dict(spec)
            reviews = spec.pop("reviews")
            urn = spec.pop("school_urn")
            if KinshipPupil.objects.filter(
                virtual_school=leeds, first_name=spec["first_name"], last_name=spec["last_name"]
            ).exists():
                continue
            pupil = record_services.pupil_create(
                virtual_school=leeds, actor=officer, school=schools_by_urn.get(urn), **spec
            )
            for offset, term, attendance, suspensions in reviews:
                record_services.review_save(
                    pupil=pupil,
                    actor=officer,
                    academic_year=year - offset,
                    term=term,
                    attendance_percent=attendance,
                    suspensions=suspensions,
                    sessions_missed=int((100 - attendance) * 1.3),
                    reading="below",
                    writing="below",
                    maths="expected",
                    progress_notes="Settling well with the new key adult.",
                )
            record_services.liaison_save(
                virtual_school=leeds,
                actor=officer,
                school=pupil.school,
                pupil=pupil,
                contact_type="call",
                contact_date=timezone.localdate() - datetime.timedelta(days=9),
                summary=f"Talked to the designated teacher about {pupil.first_name}'s attendance.",
                outcome="Agreed a part-time timetable for two weeks.",
                follow_up_on=timezone.localdate() - datetime.timedelta(days=1),
            )
        margaret = User.objects.get(email="margaret@example.com")
        if not AdviceRequest.objects.filter(carer=margaret).exists():
            child = margaret.carer_profile.children.filter(shares_with_virtual_school=True).first()
            advice_services.advice_request_create(
                carer=margaret,
                topic="behaviour",
                child=child,
                may_contact_school=True,
                message="Jayden's school has called me three times this month about his behaviour. "
                "They mentioned a suspension. What can I ask them to do first?",
            )

    def _scale(self, count: int, authorities, topics) -> int:
        """Generated carers for benchmarks, made in bulk: scale-NNNNN@example.com."""
        if count <= 0:
            return 0
        rng = random.Random(count)  # noqa: S311 - repeatable demo data, not secrets
        existing = set(
            User.objects.filter(email__startswith="scale-").values_list("email", flat=True)
        )
        wanted = [f"scale-{i:06d}@example.com" for i in range(count)]
        missing = [email for email in wanted if email not in existing]
        if not missing:
            return 0
        now = timezone.now()
        probe = User()
        probe.set_password(DEMO_PASSWORD)
        password = probe.password
        User.objects.bulk_create(
            [
                User(
                    email=email,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    password=password,
                    date_joined=now,
                )
                for email in missing
            ],
            batch_size=1000,
        )
        users = list(User.objects.filter(email__in=missing).order_by("pk"))
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=1000,
        )
        arrangements = [a for a, _ in Arrangement.choices]
        relationships = [r for r, _ in CarerProfile.Relationship.choices]
        CarerProfile.objects.bulk_create(
            [
                CarerProfile(
                    user=u,
                    local_authority=rng.choice(authorities),
                    relationship=rng.choice(relationships),
                    arrangement=rng.choice(arrangements),
                    onboarded_at=now,
                    calendar_token=f"scale-{u.pk}-{rng.getrandbits(64):x}",
                )
                for u in users
            ],
            batch_size=1000,
        )
        profiles = list(CarerProfile.objects.filter(user__in=users))
        Through = CarerProfile.topics.through
        Through.objects.bulk_create(
            [
                Through(carerprofile=p, topic=t)
                for p in profiles
                for t in rng.sample(topics, k=min(2, len(topics)))
            ],
            batch_size=2000,
        )
        this_year = timezone.localdate().year
        Child.objects.bulk_create(
            [
                Child(
                    carer=p,
                    first_name=rng.choice(CHILD_NAMES),
                    year_of_birth=rng.randint(this_year - 17, this_year - 4),
                )
                for p in profiles
                for _ in range(rng.randint(1, 2))
            ],
            batch_size=2000,
        )
        return len(users)
