"""One request at a time: what each key page costs the server, without the load.

    manage.py profile_pages                      # every page of the load benchmark
    manage.py profile_pages "pupil list" reports # pages whose name contains these words
    manage.py profile_pages --profile 25 "staff home"

Run on a database seeded by `manage.py seed_load --scale N` (scripts/bench's, or your own),
with production settings (DEBUG=False, REDIS_URL) as scripts/bench serves them. For each
page of bench_load's list it makes a warm-up request, then --requests more through Django's
test client with the signed-in person's session, and prints the mean time per request, the
SQL queries one request makes with their total time (measured around each execute), the
slowest queries and the page's size. --profile N adds the N functions that took the most
time of their own (cProfile). The load benchmark says how pages behave together; this says
where one request's time goes.
"""

import cProfile
import io
import pstats
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from portal.management.commands.bench_load import CARER_EMAIL, STAFF_EMAIL, key_pages
from portal.management.commands.bench_load import Command as BenchLoad


class Command(BaseCommand):
    help = "Time each key page one request at a time, with its SQL queries (and a profile)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Only pages whose name contains one.")
        parser.add_argument("--requests", type=int, default=10)
        parser.add_argument("--profile", type=int, default=0, metavar="N")

    def handle(self, *args, names, requests, profile, **options):
        cookies = {
            None: "",
            "carer": BenchLoad._session_cookie(CARER_EMAIL),
            "staff": BenchLoad._session_cookie(STAFF_EMAIL),
        }
        for page in key_pages():
            if page["kind"] == "bare" or (names and not any(n in page["name"] for n in names)):
                continue
            cookie = cookies[page["who"]]
            client = Client(headers={"cookie": cookie} if cookie else {})
            size = len(client.get(page["path"]).content)  # may fill caches
            timings: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context, timings=timings):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append((time.perf_counter() - start, sql))

            with connection.execute_wrapper(timed):
                start = time.perf_counter()
                for _ in range(requests):
                    client.get(page["path"])
                elapsed = (time.perf_counter() - start) / requests * 1000
            per_request = len(timings) // requests
            one = timings[len(timings) - per_request :]
            self.stdout.write(
                f"{page['name']}: {elapsed:.1f} ms a request, {len(one)} queries taking "
                f"{sum(t for t, _ in one) * 1000:.1f} ms, {size / 1024:.0f} KiB"
            )
            for seconds, sql in sorted(one, reverse=True)[:3]:
                self.stdout.write(f"    {seconds * 1000:6.2f} ms  {sql[:110]}")
            if profile:
                self._profile(client, page["path"], profile)

    def _profile(self, client, path: str, count: int) -> None:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(count)
        self.stdout.write(out.getvalue())
