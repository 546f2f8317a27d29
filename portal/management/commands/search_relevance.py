"""Measure library search against the relevance test set (portal/relevance.py).

    manage.py search_relevance              # success@3, MRR and the failures
    manage.py search_relevance --floor 0.9  # and exit non-zero below 90% success@3

Runs on the database DATABASE_URL points at (SQLite or PostgreSQL), searching as a visitor
who is not signed in, on an English page. Loads the demo library first if it is missing
(seed_demo: with DEBUG on, or --demo-site on a demonstration site with no real data).
"""

import io

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from portal.demo_data import RESOURCES
from portal.relevance import RELEVANCE, evaluate, first_rank, visitor_search
from resources.models import Resource

# The languages of the page to measure: the test set is in English.
LANGUAGES = ["en-gb"]
DEMO_SLUGS = [spec[0] for spec in RESOURCES]


class Command(BaseCommand):
    help = "Measure library search against the relevance test set: success@k and MRR."

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=3, help="Ranks that count (default 3).")
        parser.add_argument(
            "--floor",
            type=float,
            default=None,
            help="Exit non-zero if success@k is below this share, e.g. 0.9.",
        )
        parser.add_argument(
            "--demo-site",
            action="store_true",
            help="Passed to seed_demo if the demo library must be loaded with DEBUG off.",
        )

    def handle(self, *args, k: int, floor: float | None, demo_site: bool, **options):
        self._load_demo_library(demo_site)
        self._note_unreachable()
        below = []
        for language in LANGUAGES:
            results: dict[str, list[str]] = {}

            def search(q: str, results=results) -> list[str]:
                results[q] = visitor_search(q)
                return results[q]

            with translation.override(language):
                success, mrr, failures = evaluate(search, RELEVANCE, k=k)
            self._failures_table(failures, results, language)
            total = len(RELEVANCE)
            summary = (
                f"success@{k} {success:.1%} ({total - len(failures)}/{total}), "
                f"MRR {mrr:.2f} on {connection.vendor} ({language})"
            )
            self.stdout.write(summary)
            if floor is not None and success < floor:
                below.append(summary)
        if below:
            raise CommandError(f"Below the floor of {floor:.0%}: " + "; ".join(below))

    def _load_demo_library(self, demo_site: bool) -> None:
        present = Resource.objects.filter(slug__in=DEMO_SLUGS).count()
        if present == len(DEMO_SLUGS):
            return
        self.stdout.write(
            f"Loading the demo library ({present}/{len(DEMO_SLUGS)} guides present) …"
        )
        call_command("seed_demo", verbosity=0, demo_site=demo_site, stdout=io.StringIO())
        if Resource.objects.filter(slug__in=DEMO_SLUGS).count() < len(DEMO_SLUGS):
            raise CommandError(
                "The demo library could not be loaded: run `manage.py migrate` first."
            )

    def _note_unreachable(self) -> None:
        """Expected guides a visitor cannot see (staff-only, unpublished) can never be found."""
        visible = set(Resource.objects.visible_to(AnonymousUser()).values_list("slug", flat=True))
        expected = {slug for _q, slugs in RELEVANCE for slug in slugs}
        for slug in sorted(expected - visible):
            queries = [q for q, slugs in RELEVANCE if slug in slugs]
            alone = [q for q, slugs in RELEVANCE if set(slugs) <= {slug}]
            self.stdout.write(
                f"Note: {slug} is not visible to visitors; expected for {len(queries)} "
                f"queries{f', the only answer to {alone}' if alone else ''}."
            )

    def _failures_table(self, failures, results, language: str) -> None:
        if not failures:
            self.stdout.write(f"No failures ({language}).")
            return
        rows = [
            (
                query,
                ", ".join(expected),
                str(first_rank(results[query], expected) or "-"),
                ", ".join(got) or "(nothing)",
            )
            for query, expected, got in failures
        ]
        header = ("query", "expected", "rank", "got (top)")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        self.stdout.write(f"Failures ({language}, {len(failures)}):")
        for row in [header, *rows]:
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
                + "  "
                + row[3]
            )
