"""Generated data at scale for benchmarks: resources, events with bookings, and a Virtual School's records.

Everything is made with bulk inserts and is repeatable (seeded random numbers). Each
``fill_*`` function tops the data up to a target, so running it again adds nothing.
Used by ``manage.py seed_load`` (the load benchmark) and ``manage.py bench_search``.
"""

import datetime
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.choices import Arrangement
from events.models import Booking, Event
from resources.models import Resource, Topic
from schools.models import (
    AdviceMessage,
    AdviceRequest,
    KinshipPupil,
    LiaisonRecord,
    School,
    TermlyReview,
    VirtualSchool,
)
from schools.services.records import refresh_latest_reviews

SUBJECTS = [
    "special guardianship",
    "school exclusions",
    "pupil premium plus",
    "school admissions",
    "respite",
    "contact with birth parents",
    "behaviour at school",
    "EHC plans",
    "SEN support",
    "attendance",
    "fostering allowance",
    "child arrangements orders",
    "teenagers",
    "sleep",
    "anxiety",
    "bereavement",
    "life story work",
    "transition to secondary school",
    "Guardian's Allowance",
    "Child Benefit",
    "legal aid",
    "support groups",
    "therapy",
    "trauma",
    "homework",
    "bullying",
    "holiday clubs",
]
FORMS = [
    "A guide to {}",
    "{}: what you need to know",
    "Questions about {}",
    "Help with {}",
    "{} for kinship carers",
    "Understanding {}",
    "Getting support with {}",
    "Your rights: {}",
]
PARAGRAPH = (
    "Many carers ask about {subject}. Start by writing down what has happened and what you would like "
    "to change. Ask who is responsible for {subject} and when they can meet you. Keep notes of what was "
    "agreed, ask for it in writing, and say what would help the child most. If you are not getting "
    "anywhere, other carers in a support group may have been through the same."
)
EVENT_FORMS = [
    "Webinar: {}",
    "Workshop: {}",
    "Drop-in: questions about {}",
    "Carers' group: {}",
]
PUPIL_FIRST = ["Alfie", "Bella", "Callum", "Daisy", "Ethan", "Freya", "Harvey", "Isla", "Jake"]
PUPIL_LAST = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Khan", "Nowak", "Patel", "Young"]
GENERATED_EVENT = "load-event-"
GENERATED_SCHOOL = "Load Test School "


def _rng(*parts) -> random.Random:
    return random.Random("-".join(str(p) for p in parts))  # noqa: S311 - repeatable test data


def fill_resources(target: int) -> int:
    """Top the library up to `target` published resources (each with two topics)."""
    existing = Resource.objects.count()
    if existing >= target:
        return 0
    rng = _rng("resources", target)
    topics = list(Topic.objects.all())
    now = timezone.now()
    batch = []
    for i in range(existing, target):
        subject = rng.choice(SUBJECTS)
        title = rng.choice(FORMS).format(subject)
        title = title[0].upper() + title[1:]
        # Four paragraphs, each about a subject: common words are common, rare ones rare.
        body = "\n\n".join(
            PARAGRAPH.format(subject=s) for s in [subject, *rng.sample(SUBJECTS, k=3)]
        )
        batch.append(
            Resource(
                title=title,
                slug=f"{slugify(title)[:150]}-{i}",
                summary=f"Advice on {subject} for carers.",
                body=body,
                body_html=body,  # plain text: no need to render Markdown for generated data
                kind=rng.choice(Resource.Kind.values),
                audiences=["carers"],
                status=Resource.Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=i),
            )
        )
    Through = Resource.topics.through
    for start in range(0, len(batch), 1000):
        created = Resource.objects.bulk_create(batch[start : start + 1000])
        Through.objects.bulk_create(
            [Through(resource=r, topic=t) for r in created for t in rng.sample(topics, k=2)]
        )
    analyse("resources_resource")
    return len(batch)


def fill_events(upcoming: int, past: int, *, bookings_per_event: int = 12) -> int:
    """Published events spread over the next and the last year, with confirmed bookings.

    Upcoming events are about two-thirds full; past ones record who attended. Bookers
    are the generated carers (``scale-…@example.com``), so run ``seed_demo --scale`` first.
    """
    existing = Event.objects.filter(slug__startswith=GENERATED_EVENT).count()
    wanted = upcoming + past
    if existing >= wanted:
        return 0
    rng = _rng("events", wanted)
    topics = list(Topic.objects.all())
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    events = []
    for i in range(existing, wanted):
        future = i < upcoming
        days = (1 + i * 365 // max(upcoming, 1)) if future else -(1 + (i - upcoming) * 365 // past)
        starts = (now + datetime.timedelta(days=days)).replace(hour=rng.choice([10, 13, 18, 19]))
        subject = rng.choice(SUBJECTS)
        title = rng.choice(EVENT_FORMS).format(subject)
        description = PARAGRAPH.format(subject=subject)
        online = rng.random() < 0.7
        events.append(
            Event(
                title=title,
                slug=f"{GENERATED_EVENT}{i}-{slugify(subject)}",
                summary=f"An hour on {subject} with time for your questions.",
                description=description,
                description_html=f"<p>{description}</p>",
                kind=rng.choice(Event.Kind.values),
                format=Event.Format.ONLINE if online else Event.Format.IN_PERSON,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=rng.choice([60, 90, 120])),
                venue_name="" if online else "Community centre",
                join_url="https://meet.example.org/kinship" if online else "",
                capacity=20,
                organiser="Kinship Portal team",
                status=Event.Status.PUBLISHED,
                audiences=["carers"],
            )
        )
    created = Event.objects.bulk_create(events, batch_size=1000)
    Through = Event.topics.through
    Through.objects.bulk_create(
        [Through(event=e, topic=t) for e in created for t in rng.sample(topics, k=2)],
        batch_size=2000,
    )
    carers = list(
        User.objects.filter(email__startswith="scale-").order_by("pk").values_list("pk", flat=True)
    )
    bookings = []
    if carers:
        for event in created:
            in_past = event.starts_at < now
            for user_id in rng.sample(carers, k=min(bookings_per_event, len(carers))):
                made = event.starts_at - datetime.timedelta(days=rng.randint(2, 30))
                bookings.append(
                    Booking(
                        event=event,
                        user_id=user_id,
                        status=Booking.Status.CONFIRMED,
                        created_at=min(made, timezone.now()),
                        confirmed_at=min(made, timezone.now()),
                        attended=(rng.random() < 0.8) if in_past else None,
                    )
                )
        Booking.objects.bulk_create(bookings, batch_size=2000)
    analyse("events_event", "events_booking")
    return len(created)


def fill_workspace(virtual_school: VirtualSchool, pupils: int, *, actor: User) -> int:
    """Schools, kinship pupils with three termly reviews each, liaison and advice requests."""
    existing = KinshipPupil.objects.filter(virtual_school=virtual_school).count()
    if existing >= pupils:
        return 0
    rng = _rng("workspace", virtual_school.pk, pupils)
    today = timezone.localdate()
    school_count = max(5, pupils // 20)
    have = School.objects.filter(virtual_school=virtual_school, name__startswith=GENERATED_SCHOOL)
    School.objects.bulk_create(
        [
            School(
                virtual_school=virtual_school,
                local_authority=virtual_school.local_authority,
                name=f"{GENERATED_SCHOOL}{n}",
                urn=f"{900000 + n}",
                phase=rng.choice([School.Phase.PRIMARY, School.Phase.SECONDARY]),
                designated_teacher_name="Designated teacher",
            )
            for n in range(have.count(), school_count)
        ]
    )
    schools = list(have)
    new_pupils = KinshipPupil.objects.bulk_create(
        [
            KinshipPupil(
                virtual_school=virtual_school,
                first_name=rng.choice(PUPIL_FIRST),
                last_name=f"{rng.choice(PUPIL_LAST)}-{n}",
                date_of_birth=today - datetime.timedelta(days=rng.randint(4 * 365, 17 * 365)),
                school=rng.choice(schools),
                arrangement=rng.choice(Arrangement.values),
                send_status=rng.choice(KinshipPupil.Send.values),
            )
            for n in range(existing, pupils)
        ],
        batch_size=1000,
    )
    year = today.year if today.month >= 9 else today.year - 1
    terms = [(year - 1, "spring"), (year - 1, "summer"), (year, "autumn")]
    attainment = TermlyReview.Attainment.values
    TermlyReview.objects.bulk_create(
        [
            TermlyReview(
                pupil=p,
                academic_year=y,
                term=t,
                attendance_percent=Decimal(rng.choice([98, 95, 92, 89, 85, 70, 45])),
                sessions_missed=rng.randint(0, 40),
                suspensions=rng.choice([0, 0, 0, 1, 2]),
                reading=rng.choice(attainment),
                writing=rng.choice(attainment),
                maths=rng.choice(attainment),
                created_by=actor,
            )
            for p in new_pupils
            for y, t in terms
        ],
        batch_size=2000,
    )
    # The bulk insert bypasses review_save: point the pupils at their latest review the same
    # way, in one UPDATE.
    refresh_latest_reviews(pupils=KinshipPupil.objects.filter(virtual_school=virtual_school))
    LiaisonRecord.objects.bulk_create(
        [
            LiaisonRecord(
                virtual_school=virtual_school,
                school=p.school,
                pupil=p,
                contact_type="call",
                contact_date=today - datetime.timedelta(days=rng.randint(1, 120)),
                summary=f"Talked to the designated teacher about {p.first_name}'s attendance.",
                follow_up_on=today + datetime.timedelta(days=rng.randint(-10, 30)),
                created_by=actor,
            )
            for p in new_pupils
        ],
        batch_size=2000,
    )
    carers = list(
        User.objects.filter(
            email__startswith="scale-",
            carer_profile__local_authority=virtual_school.local_authority,
        ).values_list("pk", flat=True)[: max(1, pupils // 10)]
    )
    requests = AdviceRequest.objects.bulk_create(
        [
            AdviceRequest(
                virtual_school=virtual_school,
                carer_id=carer_id,
                topic=rng.choice(AdviceRequest.Topic.values),
                status=rng.choice(AdviceRequest.Status.values),
            )
            for carer_id in carers
        ]
    )
    AdviceMessage.objects.bulk_create(
        [
            AdviceMessage(
                request=r,
                author_id=r.carer_id,
                body="The school has asked to meet me about attendance. What should I ask for?",
            )
            for r in requests
        ]
    )
    analyse(
        "schools_kinshippupil",
        "schools_termlyreview",
        "schools_liaisonrecord",
        "schools_advicerequest",
    )
    return len(new_pupils)


def analyse(*tables: str) -> None:
    """What autovacuum does after a bulk load: refresh planner statistics, merge GIN pending
    lists. With no table named, every table of the database."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run in a transaction (tests, callers' atomic blocks); ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute(command)
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
