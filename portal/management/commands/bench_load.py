"""Load benchmark of the key pages, served by gunicorn as in production (run by scripts/bench).

    manage.py bench_load --label x1 --out var/bench/x1.json [--users 4 20] [--duration 10] [--drill]

1. Counts the SQL queries each key page runs (Django's test client, same database).
2. Starts gunicorn with production settings (DEBUG off, whitenoise, Redis cache) plus one
   bare view (`kinship_portal.settings_bench`), on a loopback port.
3. Drives each page in turn with `wrk` (C, one thread, keep-alive, `scripts/wrk-report.lua`)
   at each number of concurrent users, and records requests per second, p50 and p95
   latency and each page's throughput as a ratio to the bare view's at the same number
   of users in the same run. wrk is not the bottleneck: it serves the bare view many
   times faster than gunicorn can answer it, so the ratio is the server's.
4. With --drill: restarts PostgreSQL under mixed load (Locust, `scripts/loadgen.py`, which
   records each request's outcome by the second) and checks the portal recovers without
   restarting gunicorn (every request in the last seconds succeeds).

The database must already hold the data (`manage.py seed_load --scale N`).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from carers.models import CarerProfile
from events.models import Booking, Event
from resources.models import Resource
from schools.models import KinshipPupil

CARER_EMAIL = "margaret@example.com"
# What kind of page each is, for the goals: pages visitors read (the same for everyone) and
# pages of one person's own (a carer's or an officer's).
VISITOR = "visitor"
SIGNED_IN = "signed in"
WRK_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "wrk-report.lua"
STAFF_EMAIL = "officer@leeds.example"


def key_pages() -> list[dict]:
    """The pages people use most, each as (name, path, who asks for it)."""
    resource = Resource.objects.live().order_by("-published_at").first()
    event = Event.objects.upcoming().order_by("starts_at").first()
    pupil = (
        KinshipPupil.objects.filter(virtual_school__local_authority__gss_code="E08000035")
        .order_by("pk")
        .first()
    )
    carer = CarerProfile.objects.filter(user__email=CARER_EMAIL).first()
    if not (resource and event and pupil and carer):
        raise CommandError("No data to benchmark: run `manage.py seed_load --scale 1` first.")
    token = carer.calendar_token
    return [
        {"name": "bare Django view", "path": "/bench/bare/", "who": None, "kind": "bare"},
        {"name": "home", "path": "/", "who": None, "kind": VISITOR},
        {"name": "resource list", "path": "/resources/", "who": None, "kind": VISITOR},
        {
            "name": "resource search",
            "path": "/resources/?q=special+guardianship",
            "who": None,
            "kind": VISITOR,
        },
        {
            "name": "resource page",
            "path": resource.get_absolute_url(),
            "who": None,
            "kind": VISITOR,
        },
        {"name": "event list", "path": "/events/", "who": None, "kind": VISITOR},
        {"name": "event page", "path": event.get_absolute_url(), "who": None, "kind": VISITOR},
        {"name": "event calendar", "path": "/events/calendar/", "who": None, "kind": VISITOR},
        {"name": "carer dashboard", "path": "/dashboard/", "who": "carer", "kind": SIGNED_IN},
        # The same lists a visitor gets from the cache, built for a signed-in carer.
        {"name": "resource list, carer", "path": "/resources/", "who": "carer", "kind": SIGNED_IN},
        {"name": "event list, carer", "path": "/events/", "who": "carer", "kind": SIGNED_IN},
        # A carer's own feed, by its secret address: one person's, never shared.
        {
            "name": "carer calendar feed",
            "path": f"/events/feed/{token}.ics",
            "who": None,
            "kind": SIGNED_IN,
        },
        {"name": "staff home", "path": "/school/", "who": "staff", "kind": SIGNED_IN},
        {"name": "pupil list", "path": "/school/pupils/", "who": "staff", "kind": SIGNED_IN},
        {
            "name": "pupil page",
            "path": f"/school/pupils/{pupil.pk}/",
            "who": "staff",
            "kind": SIGNED_IN,
        },
        {"name": "reports", "path": "/school/reports/", "who": "staff", "kind": SIGNED_IN},
        {"name": "advice inbox", "path": "/school/advice/", "who": "staff", "kind": SIGNED_IN},
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark the key pages under gunicorn with Locust; optionally restart PostgreSQL under load."

    def add_arguments(self, parser):
        parser.add_argument("--label", default="x1", help="Name of this data scale in the report.")
        parser.add_argument("--out", type=Path, required=True, help="Where to write JSON results.")
        parser.add_argument(
            "--users",
            type=int,
            nargs="+",
            default=[4, 20],
            help="Numbers of concurrent users (keep-alive connections), each measured in turn.",
        )
        parser.add_argument("--warmup", type=float, default=2.0, help="Seconds before measuring.")
        parser.add_argument("--duration", type=float, default=10.0, help="Seconds per page.")
        parser.add_argument(
            "--workers", type=int, default=3, help="gunicorn workers (Procfile default)."
        )
        parser.add_argument("--drill", action="store_true", help="Restart PostgreSQL under load.")

    def handle(self, *args, label, out, users, warmup, duration, workers, drill, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load benchmark runs on PostgreSQL: set DATABASE_URL.")
        pages = key_pages()
        cookies = {
            "carer": self._session_cookie(CARER_EMAIL),
            "staff": self._session_cookie(STAFF_EMAIL),
        }
        for page in pages:
            page["cookie"] = cookies.get(page.pop("who"), "")
        queries = self._count_queries(pages)
        connection.close()  # gunicorn and the drill need no connection of ours

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = out.with_suffix(".gunicorn.log")
        out.parent.mkdir(parents=True, exist_ok=True)
        server = self._start_gunicorn(port, workers, log_path)
        try:
            self._wait_until_up(base_url, server)
            for page in pages:
                check_answers_200(base_url, page)
            runs = {}
            for count in users:
                self.stdout.write(f"    {count} users: ", ending="")
                results = []
                for page in pages:
                    self.stdout.write(".", ending="")
                    self.stdout.flush()
                    results.append(measure(base_url, page, count, warmup, duration))
                self.stdout.write("")
                bare_rps = results[0]["rps"]
                for result in results:
                    result["queries"] = queries[result["name"]]
                    result["ratio"] = result["rps"] / bare_rps if bare_rps else 0.0
                runs[str(count)] = results
            memory = worker_memory_mib(server.pid)
            plan = {"base_url": base_url, "users": users[0], "warmup": warmup}
            drill_result = self._drill({**plan, "pages": pages[1:]}, server) if drill else None
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        report = {
            "label": label,
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "data": self._data_sizes(),
            "settings": {
                "users": users,
                "warmup_s": warmup,
                "duration_s": duration,
                "workers": workers,
                "load_generator": wrk_version(),
            },
            "machine": machine_info(),
            "pages": [
                {
                    "name": p["name"],
                    "path": p["path"],
                    "kind": p["kind"],
                    "queries": queries[p["name"]],
                }
                for p in pages
            ],
            "runs": runs,
            "worker_memory_mib": memory,
            "drill": drill_result,
        }
        out.write_text(json.dumps(report, indent=2))
        self.stdout.write(format_report(report))
        failures = sum(r["failures"] for results in runs.values() for r in results)
        if failures:
            raise CommandError(f"{failures} requests failed during the benchmark (see {log_path}).")
        if drill_result and not drill_result["recovered"]:
            raise CommandError("The portal did not recover after PostgreSQL restarted.")

    # -- preparing --------------------------------------------------------------------------

    @staticmethod
    def _session_cookie(email: str) -> str:
        user = User.objects.get(email=email)
        if user.requires_mfa and not Authenticator.objects.filter(user=user).exists():
            # As if they had set up an authenticator app (benchmark database only).
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt("JBSWY3DPEHPK3PXP")},
            )
        client = Client()
        client.force_login(user)
        if user.requires_mfa:  # signed in with the password and the app's code
            session = client.session
            request = SimpleNamespace(session=session)
            record_authentication(request, user, "password", email=user.email)
            record_authentication(request, user, "mfa", type=Authenticator.Type.TOTP)
            session.save()
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    @staticmethod
    def _count_queries(pages: list[dict]) -> dict[str, int]:
        counts = {}
        for page in pages:
            client = Client(headers={"cookie": page["cookie"]} if page["cookie"] else {})
            client.get(page["path"])  # the first request may fill caches
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page["path"])
            if response.status_code != 200:
                raise CommandError(
                    f"{page['name']} ({page['path']}) answered {response.status_code}"
                )
            counts[page["name"]] = len(ctx.captured_queries)
        return counts

    @staticmethod
    def _data_sizes() -> dict[str, int]:
        return {
            "people": User.objects.count(),
            "resources": Resource.objects.count(),
            "events": Event.objects.count(),
            "bookings": Booking.objects.count(),
            "pupils": KinshipPupil.objects.count(),
        }

    # -- serving ----------------------------------------------------------------------------

    @staticmethod
    def _start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kinship_portal.settings_bench",
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",  # no TLS on loopback; production sits behind a proxy
            "LOG_LEVEL": "WARNING",
        }
        env.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        log = log_path.open("w")
        return subprocess.Popen(  # noqa: S603 - our own virtual environment's gunicorn
            [
                gunicorn,
                "kinship_portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "5",
                # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl):
                # a second instance would silently take it over from the first.
                "--no-control-socket",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    @staticmethod
    def _wait_until_up(base_url: str, server: subprocess.Popen) -> None:
        for _ in range(100):
            if server.poll() is not None:
                raise CommandError("gunicorn stopped while starting: see the log beside --out.")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz/", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not answer /healthz/ within 20 seconds.")

    # -- the PostgreSQL restart drill ------------------------------------------------------

    def _drill(self, plan: dict, server: subprocess.Popen) -> dict:
        """Mixed load for 25 s; PostgreSQL restarts 5 s in; the last 8 s must all succeed."""
        total, restart_at, quiet_tail = 25.0, 5.0, 8.0
        loadgen = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(Path(settings.BASE_DIR) / "scripts" / "loadgen.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        loadgen.stdin.write(json.dumps({**plan, "mixed": True, "duration": total}))
        loadgen.stdin.close()
        time.sleep(restart_at)
        restart_started = time.time()
        restart_postgres()
        restart_took = time.time() - restart_started
        stdout = loadgen.stdout.read()
        loadgen.wait()
        if loadgen.returncode != 0:
            raise CommandError(f"The load generator failed:\n{loadgen.stderr.read()[-3000:]}")
        data = json.loads(stdout)
        outcomes = data["outcomes"]
        offset = restart_started - data["started"]
        failed = [o for o in outcomes if not o[1]]
        after_restart = [o for o in outcomes if o[0] >= offset + restart_took]
        first_ok = next((o[0] for o in after_restart if o[1]), None)
        tail = [o for o in outcomes if o[0] >= total - quiet_tail]
        statuses: dict[str, int] = {}
        for o in failed:
            statuses[str(o[2])] = statuses.get(str(o[2]), 0) + 1
        return {
            "requests": len(outcomes),
            "failed": len(failed),
            "failed_by_status": statuses,
            "restart_seconds": round(restart_took, 2),
            "first_success_after_restart_s": round(first_ok - offset - restart_took, 2)
            if first_ok is not None
            else None,
            "last_failure_after_restart_s": round(
                max(o[0] for o in failed) - offset - restart_took, 2
            )
            if failed
            else None,
            "tail_requests": len(tail),
            "tail_failures": sum(1 for o in tail if not o[1]),
            "gunicorn_still_running": server.poll() is None,
            "recovered": bool(tail) and all(o[1] for o in tail) and server.poll() is None,
        }


def check_answers_200(base_url: str, page: dict) -> None:
    """A page that redirects (a session the server does not know) would be measured as fast."""
    request = urllib.request.Request(base_url + page["path"])  # noqa: S310 - loopback
    if page["cookie"]:
        request.add_header("Cookie", page["cookie"])

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise CommandError(f"{page['name']} ({page['path']}) answered {status} under gunicorn")


def wrk_version() -> str:
    if shutil.which("wrk") is None:
        raise CommandError(
            "The load benchmark needs wrk: apt-get install -y wrk (scripts/bench does)."
        )
    finished = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    return (
        (finished.stdout + finished.stderr).split()[1]
        if finished.stdout or finished.stderr
        else "wrk"
    )


def run_wrk(url: str, cookie: str, connections: int, seconds: int) -> dict:
    """One wrk run: `connections` keep-alive connections, each sending its next request as
    soon as the last is answered; the JSON line `scripts/wrk-report.lua` prints."""
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(WRK_SCRIPT),
        # As a browser asks: a page the portal compresses costs what it costs in production.
        "--header",
        "Accept-Encoding: gzip",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    finished = subprocess.run(  # noqa: S603 - our own arguments
        [*command, url], capture_output=True, text=True, check=False
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        raise CommandError(f"wrk failed on {url}:\n{finished.stdout}\n{finished.stderr}")
    return json.loads(lines[-1])


def measure(base_url: str, page: dict, users: int, warmup: float, duration: float) -> dict:
    """Throw away a warm-up run, then measure one page for `duration` seconds."""
    url = base_url + page["path"]
    if warmup > 0:
        run_wrk(url, page["cookie"], users, warmup)
    result = run_wrk(url, page["cookie"], users, duration)
    seconds = result["duration_us"] / 1e6
    failures = result["not_200"] + result["socket_errors"] + result["timeouts"]
    if not result["requests"]:
        failures += users  # not one answer in the whole run: every user waited in vain
        for key in ("p50_us", "p95_us", "p99_us", "max_us"):
            result[key] = float("inf")
    return {
        "name": page["name"],
        "path": page["path"],
        "kind": page["kind"],
        "requests": result["requests"],
        "failures": failures,
        "rps": result["requests"] / seconds if seconds else 0.0,
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "max_ms": result["max_us"] / 1000,
        "bytes_per_response": round(result["bytes"] / result["requests"])
        if result["requests"]
        else 0,
    }


def worker_memory_mib(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MiB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:  # fields[1] is the parent's pid
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return sorted(sizes)


def restart_postgres() -> None:
    """Restart the local PostgreSQL cluster (fast mode: every connection is cut)."""
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        raise CommandError(
            "The restart drill needs a local Debian PostgreSQL cluster (pg_ctlcluster). "
            "Run the benchmark with BENCH_DRILL=0 to leave it out."
        )
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(  # noqa: S603 - fixed command
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],  # noqa: S607
        check=True,
        capture_output=True,
    )


def machine_info() -> dict[str, str]:
    import platform

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": pg_version.split()[0],
        "os": platform.platform(terse=True),
    }


def format_report(report: dict) -> str:
    """One scale's results: a row per page, a column group per number of users."""
    data = report["data"]
    settings_ = report["settings"]
    counts = list(report["runs"])
    lines = [
        f"Scale {report['label']}: {data['people']:,} people, {data['resources']:,} resources, "
        f"{data['events']:,} events, {data['bookings']:,} bookings, {data['pupils']:,} pupils",
        f"gunicorn with {settings_['workers']} workers; wrk {settings_.get('load_generator', '')}, "
        f"keep-alive, {settings_['duration_s']:g} s per page after a {settings_['warmup_s']:g} s "
        f"warm-up, at {' and '.join(counts)} concurrent users",
        "",
    ]
    header = f"| {'page':<22} | {'SQL':>3} |"
    rule = f"| {'-' * 22} | {'-' * 3}:|"
    for count in counts:
        header += f" {count + ' users p50':>13} | {'p95 ms':>7} | {'req/s':>7} | {'vs bare':>7} |"
        rule += f" {'-' * 13}:| {'-' * 7}:| {'-' * 7}:| {'-' * 7}:|"
    lines += [header, rule]
    for index, page in enumerate(report["pages"]):
        row = f"| {page['name']:<22} | {page['queries']:>3} |"
        for count in counts:
            r = report["runs"][count][index]
            row += f" {r['p50_ms']:>13.1f} | {r['p95_ms']:>7.1f} | {r['rps']:>7.0f} | {r['ratio']:>7.2f} |"
        lines.append(row)
    memory = report.get("worker_memory_mib")
    if memory:
        lines += [
            "",
            f"gunicorn workers after the run: {len(memory)}, resident memory "
            f"{', '.join(f'{m:.0f}' for m in memory)} MiB",
        ]
    drill = report.get("drill")
    if drill:
        lines += [
            "",
            f"PostgreSQL restart drill: restart took {drill['restart_seconds']} s; "
            f"{drill['failed']} of {drill['requests']} requests failed "
            f"(by status: {drill['failed_by_status'] or 'none'}); "
            f"first success {drill['first_success_after_restart_s']} s after PostgreSQL was back; "
            f"last {drill['tail_requests']} requests (final 8 s): {drill['tail_failures']} failed; "
            f"recovered without restarting gunicorn: {'yes' if drill['recovered'] else 'NO'}",
        ]
    return "\n".join(lines) + "\n"
