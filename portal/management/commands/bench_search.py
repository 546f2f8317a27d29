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

from portal.load_data import fill_resources
from resources.filters import ResourceFilter
from resources.models import Resource
from resources.selectors import with_list_relations

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
        fill_resources(resources)
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


class _Visitor:
    is_authenticated = False
