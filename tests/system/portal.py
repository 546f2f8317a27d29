"""Run the portal the way ./scripts/run does – runserver and a Celery worker with embedded
beat (Procfile.dev) – with everything it writes under a throwaway directory, and look at
what it did: the database (through a small Django process of its own), the mail files and
the working tree.

The functions whose names start with `child_` run inside those Django processes, with the
portal's real settings (kinship_portal.settings), never in the pytest process.
"""

import email
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPMessage
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
STOP_TIMEOUT = 15

# Settings the environment could point at a server, or at the working tree: unset for the
# portal's processes, so the embedded defaults (file broker, mail files, DEBUG) apply.
UNSET_IN_CHILDREN = (
    "REDIS_URL",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "DEBUG",
    "MEDIA_ROOT",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], *, timeout: float, interval: float = 0.5):
    """Poll until predicate() is truthy; return its last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


def tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"({path.name}: no output)"
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"--- last {len(text)} lines of {path} ---\n" + "\n".join(text)


class Portal:
    """runserver + `celery worker --beat --concurrency=2` on one database, all files in tmp."""

    def __init__(self, tmp_path: Path, *, database_url: str):
        self.var_dir = tmp_path / "var"
        self.mail_dir = self.var_dir / "mail"
        self.queue_dir = self.var_dir / "celery" / "queue"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in UNSET_IN_CHILDREN}
        self.env.update(
            DJANGO_SETTINGS_MODULE="kinship_portal.settings",
            PORTAL_VAR_DIR=str(self.var_dir),
            DATABASE_URL=database_url,
            EMAIL_FILE_PATH=str(self.mail_dir),
            SITE_URL=self.url,
            PYTHONUNBUFFERED="1",
        )
        self.logs = {
            name: tmp_path / f"{name}.log" for name in ("runserver", "worker", "probe", "manage")
        }
        self._processes: dict[str, subprocess.Popen] = {}

    # Processes ---------------------------------------------------------------------------

    def _spawn(self, name: str, args: list[str], **kwargs) -> subprocess.Popen:
        log = self.logs[name].open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            args,
            cwd=BASE_DIR,  # as honcho runs them: anything written to a relative path lands here
            env=self.env,
            stderr=log,
            stdout=kwargs.pop("stdout", log),
            start_new_session=True,  # its own process group, so the worker's children stop too
            **kwargs,
        )
        log.close()
        self._processes[name] = process
        return process

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run `manage.py <args>` to the end; its output goes to manage.log and is returned."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with self.logs["manage"].open("a") as log:
            log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        assert result.returncode == 0, (
            f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def start(self) -> None:
        self._spawn(
            "runserver", [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]
        )
        self._spawn(
            "worker",
            [PYTHON, "-m", "celery", "-A", "kinship_portal", "worker", "--beat"]
            + ["--loglevel=info", "--concurrency=2"],
        )
        ready = wait_until(self._healthy, timeout=40)
        assert ready, f"runserver did not answer /healthz/ with 200 within 40 s\n{self.log_tails()}"

    def _healthy(self) -> bool:
        for name, process in self._processes.items():
            assert process.poll() is None, f"{name} exited early\n{self.log_tails()}"
        try:
            return request(self.url, "GET", "/healthz/").status == 200
        except OSError:
            return False

    def stop(self) -> None:
        """Stop every process (TERM, then KILL to its whole group after a timeout). Safe to call
        twice."""
        for process in self._processes.values():
            if process.poll() is None:  # as Ctrl-C would: the worker then stops its own pool
                with suppress(ProcessLookupError, PermissionError):
                    os.kill(process.pid, signal.SIGTERM)
        for process in self._processes.values():
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
            # Whatever is left of its group: the worker's pool children, if they outlived it.
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        self._processes.clear()

    def log_tails(self) -> str:
        return "\n".join(tail(path) for path in self.logs.values())

    # What the portal did -----------------------------------------------------------------

    def state(self, event_slug: str) -> dict:
        """Bookings for the event and every notification, read by a long-lived Django process."""
        probe = self._processes.get("probe")
        if probe is None:
            probe = self._spawn(
                "probe",
                [PYTHON, "-c", "from tests.system.portal import child_probe; child_probe()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        probe.stdin.write(event_slug + "\n")
        probe.stdin.flush()
        for line in probe.stdout:
            if line.startswith("STATE "):
                return json.loads(line[len("STATE ") :])
        raise AssertionError(f"the database probe stopped\n{tail(self.logs['probe'])}")

    def queued_tasks(self) -> int:
        """Messages waiting in the file broker's queue."""
        return sum(1 for path in self.queue_dir.iterdir() if path.is_file())

    def mails(self) -> list[email.message.EmailMessage]:
        return read_mail_files(self.mail_dir)


class ProductionPortal(Portal):
    """The processes Procfile names, as production runs them: gunicorn web processes, Celery
    workers and beats, each started on its own, all sharing one PostgreSQL database and one
    Redis database (cache and broker), with DEBUG off. Mail still goes to files under tmp.

    Static files are served under their plain names (the hashed storage needs collectstatic,
    which these tests do not run; tests/core/test_static_storage.py covers it)."""

    def __init__(self, tmp_path: Path, *, database_url: str, redis_url: str, **settings: str):
        super().__init__(tmp_path, database_url=database_url)
        self.tmp_path = tmp_path
        self.env.update(
            DEBUG="False",
            SECRET_KEY="system-test-only-" + "k" * 40,
            SECURE_SSL_REDIRECT="False",  # no TLS proxy in front: plain HTTP on loopback
            ALLOWED_HOSTS="127.0.0.1",
            REDIS_URL=redis_url,
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            LOG_LEVEL="INFO",
            **settings,
        )
        self.web_urls: dict[str, str] = {}

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        self.logs.setdefault(name, self.tmp_path / f"{name}.log")
        return self._spawn(name, args)

    def start_web(self, *names: str) -> list[str]:
        """One gunicorn per name (1 worker, no control socket, a loopback port of its own),
        started together; returns their base URLs once each answers /healthz/ with 200."""
        for name in names:
            port = free_port()
            self.web_urls[name] = f"http://127.0.0.1:{port}"
            self.spawn(
                name,
                [PYTHON, "-m", "gunicorn", "kinship_portal.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "1", "--no-control-socket", "--access-logfile", "-"],
            )
        for name in names:
            ready = wait_until(lambda name=name: self._answers(name), timeout=40)
            assert ready, (
                f"{name} did not answer /healthz/ with 200 within 40 s\n{self.log_tails()}"
            )
        return [self.web_urls[name] for name in names]

    def _answers(self, name: str) -> bool:
        for process_name, process in self._processes.items():
            assert process.poll() is None, f"{process_name} exited early\n{self.log_tails()}"
        try:
            return request(self.web_urls[name], "GET", "/healthz/").status == 200
        except OSError:
            return False

    def start_worker(self, name: str = "worker", *, concurrency: int = 2) -> None:
        self.spawn(
            name,
            [PYTHON, "-m", "celery", "-A", "kinship_portal", "worker", "--loglevel=info"]
            + [f"--concurrency={concurrency}", f"--hostname={name}@%h"],
        )

    def start_beat(self, name: str) -> None:
        """`celery beat` with a schedule file of its own (two beats must not share one)."""
        self.spawn(
            name,
            [PYTHON, "-m", "celery", "-A", "kinship_portal", "beat", "--loglevel=info"]
            + [f"--schedule={self.tmp_path / (name + '-schedule')}"],
        )

    def log_lines(self, name: str, containing: str) -> int:
        """How many lines of a process's log contain the text."""
        path = self.logs[name]
        if not path.exists():
            return 0
        return sum(containing in line for line in path.read_text(errors="replace").splitlines())


def flushed_redis_url(db: int) -> str:
    """A Redis database of the server REDIS_URL names, emptied: the system tests' own."""
    import redis

    url = urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{db}"))
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    return url


def migrated_test_database_url() -> str:
    """The pytest PostgreSQL test database (already migrated), for the portal's processes."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# HTTP, like a browser with one cookie jar per person ------------------------------------


@dataclass
class Response:
    status: int
    headers: HTTPMessage
    body: str


def _connect(base_url: str) -> HTTPConnection:
    host, port = base_url.removeprefix("http://").split(":")
    return HTTPConnection(host, int(port), timeout=60)


def _exchange(connection: HTTPConnection, method: str, path: str, **kwargs) -> Response:
    connection.request(method, path, **kwargs)
    response = connection.getresponse()
    return Response(response.status, response.headers, response.read().decode(errors="replace"))


def request(base_url: str, method: str, path: str) -> Response:
    """One request on a connection of its own."""
    connection = _connect(base_url)
    try:
        return _exchange(connection, method, path)
    finally:
        connection.close()


class Browser:
    """One person's browser: a cookie jar and one HTTP/1.1 connection, kept alive from one
    request to the next as a browser (or a requests.Session) keeps the connection the page
    came on. Redirects are not followed: a 302 is what we want to see."""

    def __init__(self, base_url: str, cookies: dict[str, str]):
        self.base_url = base_url
        self.cookies = dict(cookies)
        self.connection = _connect(base_url)  # opened on the first request, again if closed

    def _send(self, method: str, path: str, data: dict | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base_url
            headers["Referer"] = self.base_url + path
        response = _exchange(self.connection, method, path, headers=headers, body=body)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def close(self) -> None:
        self.connection.close()

    def get(self, path: str) -> Response:
        return self._send("GET", path)

    def post(self, path: str, data: dict) -> Response:
        """Pressing the button on a new connection, as a browser does when the page has been
        open longer than the server keeps a connection: all 50 arrive at the listening socket
        at once."""
        self.connection.close()
        return self._send("POST", path, data)


class _ToWebProcess(HTTPConnection):
    """A connection to one web process that sends the public host name as Host, as a load
    balancer passes on the Host the browser sent, not the address of the process it picked."""

    def __init__(self, process_url: str, public_host: str):
        host, port = process_url.removeprefix("http://").split(":")
        super().__init__(host, int(port), timeout=60)
        self.public_host = public_host

    def putrequest(self, method, url, skip_host=False, skip_accept_encoding=False):
        super().putrequest(method, url, skip_host=True, skip_accept_encoding=skip_accept_encoding)
        self.putheader("Host", self.public_host)


class BehindLoadBalancer(Browser):
    """One person's browser reaching several web processes through a load balancer: one
    cookie jar; each request goes to the process the test names with via() (a balancer may
    pick either), and carries the public host name (Host, Origin), whichever process answers.
    That matters: allauth keys its per-address sign-in limit by the site's host name."""

    def __init__(
        self, web_urls: dict[str, str], cookies: dict[str, str] | None = None, *, host: str
    ):
        self.base_url = f"http://{host}"  # the public origin: Origin and Referer use it
        self.cookies = dict(cookies or {})
        self._connections = {name: _ToWebProcess(url, host) for name, url in web_urls.items()}
        self.connection = next(iter(self._connections.values()))

    def via(self, name: str) -> "BehindLoadBalancer":
        """Send the next requests to this web process."""
        self.connection = self._connections[name]
        return self

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form posting to `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.fields, self.found = action, {}, False
        self._inside = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._inside = attrs.get("action") == self.action
            self.found = self.found or self._inside
        elif not self._inside:
            return
        elif tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif (
            tag == "option"
            and self._select
            and (self._select not in self.fields or "selected" in attrs)
        ):
            self.fields[self._select] = attrs.get("value") or ""  # the first option, or the chosen

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str) -> dict[str, str] | None:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields if parser.found else None


# Mail files --------------------------------------------------------------------------------

# core.mail.MailFileBackend (Django's file backend) writes each message followed by a line
# of 79 dashes; one file per connection, so a file may hold several messages.
MESSAGE_END = b"\n" + b"-" * 79 + b"\n"


def read_mail_files(mail_dir: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        *complete, _being_written = path.read_bytes().split(MESSAGE_END)
        messages += [email.message_from_bytes(raw, policy=email.policy.default) for raw in complete]
    return messages


def recipients(message) -> list[str]:
    return [address.addr_spec.lower() for address in message["To"].addresses]


# The working tree ---------------------------------------------------------------------------

# Ignored folders that tools (not the running portal) write to; bytecode anywhere.
NOT_RUNTIME = (".venv", "node_modules", ".tools", ".ruff_cache", ".pytest_cache", "static/build")


def working_tree(root: Path = BASE_DIR) -> dict[str, tuple] | None:
    """Every changed, untracked or ignored path under the repository (ignored folders file by
    file, with size and mtime), or None without git. Compare two of these to see what a run wrote.
    """
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return None
    output = subprocess.run(  # noqa: S603 - a fixed git command
        [git, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    state: dict[str, tuple] = {}
    entries = iter(output.split("\0"))
    for entry in entries:
        if not entry:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            next(entries, None)  # the old name of a rename or copy
        if _not_runtime(path):
            continue
        if code == "!!":
            for file in [root / path] if (root / path).is_file() else (root / path).rglob("*"):
                relative = file.relative_to(root).as_posix()
                if file.is_file() and not _not_runtime(relative):
                    stat = file.stat()
                    state[relative] = (code, stat.st_size, stat.st_mtime_ns)
        else:
            state[path] = (code,)
    return state


def _not_runtime(path: str) -> bool:
    return (
        path.rstrip("/").startswith(NOT_RUNTIME)
        or path.rstrip("/").endswith(".egg-info")
        or "__pycache__" in path
        or path.endswith(".pyc")
    )


def tree_changes(before: dict, after: dict) -> list[str]:
    return sorted(f"{after[path][0]} {path}" for path in after if before.get(path) != after[path])


# Run inside the portal's own Django processes ------------------------------------------------


def child_seed(*, event_slug: str, capacity: int, carers: int, output: str) -> None:
    """The event and the carers who will book it, each signed in: writes {email: {cookie
    name: session key}} to `output`. Carers have a verified address and a finished profile
    (CarerRequiredMixin and booking_check want both) and take no digest, so the only mail
    they can get is about their booking."""
    from django.conf import settings
    from django.test import Client

    from carers.models import CarerProfile
    from tests.factories import CarerProfileFactory, EventFactory

    EventFactory(
        slug=event_slug, title="Booking rush workshop", capacity=capacity, max_places_per_booking=1
    )
    sessions = {}
    for n in range(carers):
        profile = CarerProfileFactory(
            user__email=f"carer{n:02d}@rush.example",
            user__password=None,  # an unusable password: no slow hashing for 50 people
            digest_frequency=CarerProfile.DigestFrequency.NEVER,
        )
        client = Client()
        client.force_login(profile.user)  # a real session row, as signing in makes
        sessions[profile.user.email] = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }
    Path(output).write_text(json.dumps(sessions))


def child_probe() -> None:
    """Read an event slug per line from stdin, answer with one `STATE {json}` line."""
    import django

    django.setup()
    from django.db import connection

    from core.models import Notification
    from events.models import Booking

    for line in sys.stdin:
        bookings = Booking.objects.filter(event__slug=line.strip()).values_list(
            "user__email", "status"
        )
        notifications = Notification.objects.values_list("recipient__email", "kind", "status")
        state = {
            "bookings": [list(row) for row in bookings],
            "notifications": [list(row) for row in notifications],
        }
        connection.close()  # the next answer reads afresh
        print("STATE " + json.dumps(state), flush=True)
