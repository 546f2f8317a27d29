"""A fake GOV.UK Notify API: a real HTTP server on 127.0.0.1 in a daemon thread.

It checks what Notify checks, as its API documentation describes it:
- the Authorization header: "Bearer <JWT>", HS256, signed with the secret of the one API
  key it knows, iss = the service id, iat within 30 seconds of now (else 403 AuthError);
- POST /v2/notifications/email and /v2/notifications/sms with exactly the documented
  fields (else 400 ValidationError), a template it knows of the right type, every
  placeholder given (else 400 BadRequestError), a valid e-mail address or a UK mobile
  number (phonenumbers, plus Ofcom's TV and film range 07700 900xxx, as Notify allows);
and answers 201 with Notify's response shape. It records every accepted request.

    with FakeNotify() as fake:              # or the fake_notify fixture (tests/conftest.py)
        fake.configure(settings)            # NOTIFY_API_KEY, NOTIFY_BASE_URL, template ids
        ...
        fake.texts                          # accepted request bodies, oldest first
        fake.fail_next(429, times=2)        # the next two requests get Notify's 429
        fake.drop_next()                    # the next is accepted, but no answer comes back
"""

import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import phonenumbers

JWT_LEEWAY = 30
SMS_CHARACTER_LIMIT = 918
EMAIL_SENDER = "kinship.portal@notifications.service.gov.uk"
SMS_SENDER = "KinshipPtl"

# Notify's documented error answers: (error name, message).
ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    401: ("AuthError", "Unauthorized: authentication token must be provided"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
    503: ("Exception", "Service temporarily unavailable"),
}

FIELDS = {
    "email": {
        "required": {"email_address", "template_id"},
        "optional": {
            "personalisation",
            "reference",
            "email_reply_to_id",
            "one_click_unsubscribe_url",
        },
    },
    "sms": {
        "required": {"phone_number", "template_id"},
        "optional": {"personalisation", "reference", "sms_sender_id"},
    },
}
UUID_FORMAT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
EMAIL_FORMAT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
# Ofcom's numbers for TV and film: phonenumbers calls them invalid, Notify accepts them.
TV_NUMBER = re.compile(r"7700900\d{3}")


@dataclass
class Received:
    """One request the fake accepted (201)."""

    type: str  # "email" or "sms"
    json: dict
    headers: dict
    id: str
    answered: bool = True  # False: accepted, but drop_next() closed the connection unanswered


@dataclass
class Attempt:
    """Every request that reached the fake, accepted or not."""

    path: str
    status: int | None  # None: dropped without an answer
    errors: list = field(default_factory=list)


class NotifyError(Exception):
    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


class FakeNotify:
    def __init__(self):
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.email_template_id = str(uuid.uuid4())
        self.sms_template_id = str(uuid.uuid4())
        self.callback_token = uuid.uuid4().hex
        self.templates = {
            self.email_template_id: {"type": "email", "subject": "((subject))", "body": "((body))"},
            self.sms_template_id: {"type": "sms", "body": "((body))"},
        }
        self.received: list[Received] = []
        self.attempts: list[Attempt] = []
        self._failures: list[int | str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- running --------------------------------------------------------------------

    def start(self) -> "FakeNotify":
        fake = self

        class Handler(_Handler):
            notify = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits for one poll
            name="fake-notify",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            assert not self._thread.is_alive(), "the fake Notify server did not stop"
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_key(self) -> str:
        """A key in Notify's format: "{key name}-{service id}-{secret}"."""
        return f"portal_test-{self.service_id}-{self.secret}"

    def configure(self, settings) -> None:
        """Point the portal at this fake (pytest-django's `settings` fixture, or any object)."""
        settings.NOTIFY_API_KEY = self.api_key
        settings.NOTIFY_BASE_URL = self.base_url
        settings.NOTIFY_EMAIL_TEMPLATE_ID = self.email_template_id
        settings.NOTIFY_SMS_TEMPLATE_ID = self.sms_template_id
        settings.NOTIFY_CALLBACK_TOKEN = self.callback_token

    def environ(self) -> dict:
        """The same as environment variables, for a worker in another process."""
        return {
            "NOTIFY_API_KEY": self.api_key,
            "NOTIFY_BASE_URL": self.base_url,
            "NOTIFY_EMAIL_TEMPLATE_ID": self.email_template_id,
            "NOTIFY_SMS_TEMPLATE_ID": self.sms_template_id,
            "NOTIFY_CALLBACK_TOKEN": self.callback_token,
        }

    # -- what it saw ----------------------------------------------------------------

    @property
    def emails(self) -> list[dict]:
        with self._lock:
            return [r.json for r in self.received if r.type == "email"]

    @property
    def texts(self) -> list[dict]:
        with self._lock:
            return [r.json for r in self.received if r.type == "sms"]

    def statuses(self) -> list[int | None]:
        """The status of every answer, in order (None for a dropped connection)."""
        with self._lock:
            return [attempt.status for attempt in self.attempts]

    # -- misbehaving on purpose -----------------------------------------------------

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next `times` requests get `status` with Notify's error body (429, 500, 403 ...),
        whatever they hold; nothing is recorded as received."""
        with self._lock:
            self._failures.extend([status] * times)

    def drop_next(self, times: int = 1) -> None:
        """The next `times` requests are accepted (recorded, as Notify would have taken them)
        but the connection closes with no answer: the sender cannot know it went."""
        with self._lock:
            self._failures.extend(["drop"] * times)

    # -- delivery receipts ----------------------------------------------------------

    def receipt(self, notification_id: str, status: str = "delivered") -> dict:
        """The body Notify POSTs to a service's callback URL when a message's state is final:
        delivered, permanent-failure, temporary-failure or technical-failure. Send it with
        the header Authorization: Bearer <fake.callback_token>."""
        with self._lock:
            sent = next(r for r in self.received if r.id == notification_id)
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        return {
            "id": sent.id,
            "reference": sent.json.get("reference"),
            "to": sent.json.get("email_address") or sent.json.get("phone_number"),
            "status": status,
            "created_at": now,
            "completed_at": now,
            "sent_at": now,
            "notification_type": sent.type,
            "template_id": sent.json["template_id"],
            "template_version": 1,
        }

    # -- the API ----------------------------------------------------------------------

    def _next_failure(self) -> int | str | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _authenticate(self, header: str | None) -> None:
        if not header or not header.startswith("Bearer "):
            raise NotifyError(401, "AuthError", ERRORS[401][1])
        token = header.removeprefix("Bearer ").strip()
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            header_fields = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise NotifyError(403, "AuthError", "Invalid token: signature") from error
        if header_fields.get("alg") != "HS256":
            raise NotifyError(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if "iss" not in unverified:
            raise NotifyError(403, "AuthError", "Invalid token: iss field not provided")
        if unverified["iss"] != self.service_id:
            raise NotifyError(403, "AuthError", "Invalid token: service not found")
        try:
            claims = jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"verify_iat": False, "require": ["iss", "iat"]},
            )
        except jwt.MissingRequiredClaimError as error:
            raise NotifyError(403, "AuthError", "Invalid token: iat field not provided") from error
        except jwt.InvalidTokenError as error:
            raise NotifyError(
                403, "AuthError", "Invalid token: signature, api token not found"
            ) from error
        if not isinstance(claims["iat"], int) or abs(time.time() - claims["iat"]) > JWT_LEEWAY:
            raise NotifyError(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )

    def _validate(self, kind: str, body) -> dict:
        """Check the request body as Notify's JSON schema and template checks do; return
        the rendered content."""
        if not isinstance(body, dict):
            raise NotifyError(400, "ValidationError", "Invalid JSON supplied in POST data")
        fields = FIELDS[kind]
        missing = sorted(fields["required"] - body.keys())
        if missing:
            raise NotifyError(400, "ValidationError", f"{missing[0]} is a required property")
        unexpected = sorted(body.keys() - fields["required"] - fields["optional"])
        if unexpected:
            names = ", ".join(repr(name) for name in unexpected)
            verb = "was" if len(unexpected) == 1 else "were"
            raise NotifyError(
                400,
                "ValidationError",
                f"Additional properties are not allowed ({names} {verb} unexpected)",
            )
        for name in ("template_id", "email_reply_to_id", "sms_sender_id"):
            if name in body and not (
                isinstance(body[name], str) and UUID_FORMAT.fullmatch(body[name])
            ):
                raise NotifyError(400, "ValidationError", f"{name} is not a valid UUID")
        personalisation = body.get("personalisation", {})
        if not isinstance(personalisation, dict):
            raise NotifyError(
                400,
                "ValidationError",
                f"personalisation {personalisation!r} is not of type object",
            )
        if "reference" in body and not isinstance(body["reference"], str | None):
            raise NotifyError(
                400, "ValidationError", f"reference {body['reference']!r} is not of type string"
            )
        if kind == "email":
            address = body["email_address"]
            if not isinstance(address, str) or not EMAIL_FORMAT.fullmatch(address):
                raise NotifyError(400, "ValidationError", "email_address Not a valid email address")
        else:
            problem = uk_mobile_problem(body["phone_number"])
            if problem:
                raise NotifyError(400, "ValidationError", f"phone_number {problem}")
        template = self.templates.get(body["template_id"].lower())
        if template is None:
            raise NotifyError(400, "BadRequestError", "Template not found")
        if template["type"] != kind:
            raise NotifyError(
                400,
                "BadRequestError",
                f"{template['type']} template is not suitable for {kind} notification",
            )
        values = {str(key).lower(): value for key, value in personalisation.items()}
        parts = {name: text for name, text in template.items() if name != "type"}
        missing = sorted(
            {
                placeholder.strip().lower()
                for text in parts.values()
                for placeholder in PLACEHOLDER.findall(text)
            }
            - values.keys()
        )
        if missing:
            raise NotifyError(
                400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"
            )
        content = {
            name: PLACEHOLDER.sub(lambda m: str(values[m.group(1).strip().lower()]), text)
            for name, text in parts.items()
        }
        if kind == "sms" and len(content["body"]) > SMS_CHARACTER_LIMIT:
            raise NotifyError(
                400,
                "BadRequestError",
                f"Text messages cannot be longer than {SMS_CHARACTER_LIMIT} characters. "
                f"Your message is {len(content['body'])} characters long.",
            )
        if kind == "email" and not content["body"].strip():
            raise NotifyError(400, "BadRequestError", "Your message is empty.")
        return content

    def _respond_created(self, kind: str, body: dict, content: dict, notification_id: str) -> dict:
        template_id = body["template_id"]
        answer = {
            "id": notification_id,
            "reference": body.get("reference"),
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{self.base_url}/services/{self.service_id}/templates/{template_id}",
            },
            "scheduled_for": None,
        }
        if kind == "email":
            answer["content"] = {
                "body": content["body"],
                "from_email": EMAIL_SENDER,
                "subject": content["subject"],
                "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url"),
            }
        else:
            answer["content"] = {"body": content["body"], "from_number": SMS_SENDER}
        return answer


def uk_mobile_problem(number) -> str:
    """Notify's v2 API message for a number it will not text, or "" for a UK mobile."""
    if not isinstance(number, str) or not number.strip():
        return "Not enough digits"
    if set(number) - set("0123456789()+- \t"):
        return "Must not contain letters or symbols"
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return "Not a valid country prefix"
    if parsed.country_code != 44:
        return "Not a UK mobile number"
    national = str(parsed.national_number)
    if TV_NUMBER.fullmatch(national):
        return ""
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return "Too many digits"
    if reason in (
        phonenumbers.ValidationResult.TOO_SHORT,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ):
        return "Not enough digits"
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
    ):
        return "Not a UK mobile number"
    return ""


class _Handler(BaseHTTPRequestHandler):
    notify: FakeNotify
    server_version = "FakeNotify/1.0"

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass  # quiet: the tests read what matters from the fake itself

    def do_POST(self):
        kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(
            self.path.split("?")[0]
        )
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fake = self.notify
        failure = fake._next_failure()
        if isinstance(failure, int):
            self._error(failure, *ERRORS.get(failure, ("Exception", "Internal server error")))
            return
        if kind is None:
            self._error(404, "ResourceNotFound", "The requested URL was not found on the server.")
            return
        try:
            fake._authenticate(self.headers.get("Authorization"))
            try:
                body = json.loads(raw or b"null")
            except ValueError as error:
                raise NotifyError(
                    400, "ValidationError", "Invalid JSON supplied in POST data"
                ) from error
            content = fake._validate(kind, body)
        except NotifyError as error:
            self._error(error.status, error.error, error.message)
            return
        notification_id = str(uuid.uuid4())
        dropped = failure == "drop"
        with fake._lock:
            fake.received.append(
                Received(kind, body, dict(self.headers.items()), notification_id, not dropped)
            )
            fake.attempts.append(Attempt(self.path, None if dropped else 201))
        if dropped:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(201, fake._respond_created(kind, body, content, notification_id))

    def do_GET(self):
        self._error(404, "ResourceNotFound", "The requested URL was not found on the server.")

    def _error(self, status: int, error: str, message: str) -> None:
        errors = [{"error": error, "message": message}]
        with self.notify._lock:
            self.notify.attempts.append(Attempt(self.path, status, errors))
        self._send(status, {"status_code": status, "errors": errors})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
