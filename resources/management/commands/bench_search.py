"""Benchmark library search: fill the library to N resources, then time real searches.

    manage.py bench_search --resources 10000 --runs 300

Each search runs exactly what /resources/?q=… runs (the filter set, the count and the
first page of results), so the figures are the page's database time. Reports p50, p95
and the maximum in milliseconds, and the number of SQL queries per search.
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from resources.filters import ResourceFilter
from resources.models import Resource, Topic
from resources.selectors import with_list_relations

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

QUERIES = [
    "school",
    "special guardianship",
    "guardianshp",
    "exclusion",
    "pupil premium",
    "respite breaks",
    "behaviour at school",
    "allowance",
    "EHC plan",
    "contact birth parents",
    "anxiety",
    "homework help",
    "teenager",
    "bereavment",
    "admissions",
]


class Command(BaseCommand):
    help = "Fill the library to --resources resources and report search latency (p50, p95, max)."

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, default=10000)
        parser.add_argument("--runs", type=int, default=300)

    def handle(self, *args, resources: int, runs: int, **options):
        self._fill(resources)
        base = with_list_relations(Resource.objects.visible_to(_Visitor()))
        timings = []
        by_query: dict[str, list[float]] = {}
        queries_per_search = set()
        rng = random.Random(7)  # noqa: S311 - repeatable benchmark, not secrets
        for _ in range(3):  # warm caches and connections
            self._search(base, "school")
        for _ in range(runs):
            q = rng.choice(QUERIES)
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                self._search(base, q)
                elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            by_query.setdefault(q, []).append(elapsed)
            queries_per_search.add(len(ctx.captured_queries))
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        self.stdout.write(
            f"database: {connection.vendor}; live resources: {Resource.objects.live().count()}; "
            f"searches: {runs}; SQL queries per search: {sorted(queries_per_search)}\n"
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
        )
        for q, values in sorted(by_query.items(), key=lambda item: -statistics.median(item[1])):
            matches = ResourceFilter({"q": q}, queryset=base).qs.count()
            self.stdout.write(
                f"  {q!r:28} {matches:6} matches  median {statistics.median(values):6.1f} ms"
            )

    @staticmethod
    def _search(base, q):
        filterset = ResourceFilter({"q": q}, queryset=base)
        page = Paginator(filterset.qs, 20).get_page(1)
        list(page.object_list)

    def _fill(self, target: int) -> None:
        existing = Resource.objects.count()
        if existing >= target:
            return
        rng = random.Random(target)  # noqa: S311 - repeatable benchmark data
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
                    kind=rng.choice(Resource.Kind.values),
                    audiences=["carers"],
                    status=Resource.Status.PUBLISHED,
                    published_at=now - timezone.timedelta(minutes=i),
                )
            )
            if len(batch) == 1000:
                self._save(batch, topics, rng)
                batch = []
        if batch:
            self._save(batch, topics, rng)
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: merge the GIN pending list, refresh statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE resources_resource")

    @staticmethod
    def _save(batch, topics, rng):
        for resource in batch:
            resource.body_html = (
                resource.body
            )  # plain text: no need to render Markdown for the benchmark
        created = Resource.objects.bulk_create(batch)
        Through = Resource.topics.through
        Through.objects.bulk_create(
            [Through(resource=r, topic=t) for r in created for t in rng.sample(topics, k=2)]
        )


class _Visitor:
    is_authenticated = False
