"""Data at a chosen scale for the load benchmark, on top of the demo data.

    manage.py seed_load --scale 1    # 1,000 carers, 500 resources, 200 events, 300 pupils
    manage.py seed_load --scale 10   # ten times as many

Scale 1 is about one large council's first year. Safe to run again: it tops up to the target.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.models import User
from core import generations
from events.models import Event
from portal.load_data import analyse, fill_events, fill_resources, fill_workspace
from resources.models import Resource
from schools.models import KinshipPupil, VirtualSchool

CARERS_PER_SCALE = 1000
RESOURCES_PER_SCALE = 500
EVENTS_PER_SCALE = 100  # upcoming, and as many in the past
PUPILS_PER_SCALE = 300  # in Leeds Virtual School, the demo officer's


class Command(BaseCommand):
    help = "Seed demo data and then generated data at --scale (1 = a large council's first year)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, scale: int, **options):
        call_command(
            "seed_demo",
            scale=scale * CARERS_PER_SCALE // 100,
            demo_site=True,  # a benchmark database
            stdout=self.stdout,
        )
        # Each step tops up to its target and ends with VACUUM ANALYZE, so none is wrapped
        # in a transaction: running the command again finishes what an interrupted run began.
        fill_resources(scale * RESOURCES_PER_SCALE)
        fill_events(upcoming=scale * EVENTS_PER_SCALE, past=scale * EVENTS_PER_SCALE)
        leeds = VirtualSchool.objects.get(local_authority__gss_code="E08000035")
        officer = User.objects.get(email="officer@leeds.example")
        fill_workspace(leeds, scale * PUPILS_PER_SCALE, actor=officer)
        # Every other table (the people, their profiles, the tables between resources or
        # events and their topics) as autovacuum would reach it: without statistics the
        # planner fetched 20 resources' topics by reading every resource of each topic.
        analyse()
        # Bulk inserts send no signals: tell every cached copy its data has changed.
        generations.bump_now(*generations.AREAS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale x{scale}: {User.objects.count()} people, {Resource.objects.count()} resources, "
                f"{Event.objects.count()} events, {KinshipPupil.objects.count()} pupils."
            )
        )
