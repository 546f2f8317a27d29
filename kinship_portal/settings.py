"""Settings for Kinship Portal.

Every setting that differs between a first run and production is read from
the environment here, and only here. With no environment at all the portal
runs on the embedded default: SQLite, e-mail to files, and a Celery broker
that needs no server.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Everything the portal writes while it runs (the embedded database, mail files, the file
# broker's queue, uploads) goes under var/, never elsewhere in the working tree.
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)
# A first run may use a throwaway key; production (DEBUG=False) must set its own.
SECRET_KEY = (
    env.str("SECRET_KEY", default="django-insecure-first-run-only-never-use-this-key-in-production")
    if DEBUG
    else env.str("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
SERVICE_NAME = "Kinship Portal"
# The service's name on Welsh pages and in Welsh messages (core.i18n.service_name).
SERVICE_NAME_CY = "Porth Gofal gan Berthnasau"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "core",  # before whitenoise: its runserver (core/management/commands) must win
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "accounts",
    "schools",
    "resources",
    "events",
    "carers",
    "professionals",
    "localoffer",
    "portal",  # the top floor: composes the apps above, nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed here, after WhiteNoise (which serves static files precompressed itself).
    # BREACH (guessing a secret from compressed sizes) is answered: Django pads each response
    # with 0-100 random bytes (Heal The BREACH), the CSRF token is masked afresh for every
    # response, so it never repeats, and the SameSite=Lax session cookie goes with no hidden
    # request from another site, only with a visible top-level page, not the thousands of
    # guesses an attack needs. Visitors' pages hold no secret at all.
    "django.middleware.gzip.GZipMiddleware",
    # Visitors' pages from the shared cache, before the session is read (core/pagecache.py).
    "core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL: /cy/… is Welsh, everything else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sends a person who chose Welsh (account or cookie) from an English URL to its /cy/ twin.
    "core.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "core.middleware.NoStoreWhenSignedInMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "kinship_portal.urls"
WSGI_APPLICATION = "kinship_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Persistent connections under gunicorn. The first run's runserver (DEBUG) starts a thread for
# each browser connection, and a persistent database connection lives as long as its thread:
# 50 carers holding pages open and then pressing "Book" together held 100 and PostgreSQL
# refused the next ("too many clients"). So there each request closes its own.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web server and a Celery worker writing at once. WAL lets
    # readers go on while one writes; IMMEDIATE makes each transaction take the write lock
    # when it starts (so it waits its turn for up to `timeout` seconds, instead of failing
    # with "database is locked" when a read turns into a write halfway through).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are short: compiling them with JIT costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("account_login")
LOGIN_REDIRECT_URL = reverse_lazy("portal:dashboard")
# Lazy, so each is reversed in the language of the page: /cy/ after a Welsh page.
LOGOUT_REDIRECT_URL = reverse_lazy("portal:home")

# django-allauth: e-mail only, no usernames, verification before anything.
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming it's you: with the password, or (for anyone with two-factor authentication,
# see PortalAccountAdapter) the authenticator app. Not by a code sent by e-mail: nothing a
# carer does needs it, and a mailbox is weaker than the factors staff already have.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# How long a confirmation (and, for setting up two-factor authentication, the sign-in itself:
# PortalAccountAdapter.is_reauthentication_required) counts before allauth asks again.
# allauth's default, written out because staff set-up depends on it.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# The prefix is added in the language of the email: accounts.adapter.format_email_subject.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_FORMS = {"signup": "accounts.forms.PortalSignupForm"}
# Behind a reverse proxy every request comes from the proxy's address. Say how many proxies
# stand in front (TRUSTED_PROXY_COUNT: the client is that many places from the end of
# X-Forwarded-For) or which header the proxy sets to the client's address
# (TRUSTED_CLIENT_IP_HEADER), so rate limits count each person, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default=None)
RATELIMIT_IP_META_KEY = "core.ratelimits.client_ip"
# Booking attempts per person (django-ratelimit, using the cache).
BOOKING_RATE_LIMIT = env.str("BOOKING_RATE_LIMIT", default="10/m")
# "Was this page useful?" answers per person (or address, for visitors).
FEEDBACK_RATE_LIMIT = env.str("FEEDBACK_RATE_LIMIT", default="10/h")
# New questions to a Virtual School per carer.
ADVICE_RATE_LIMIT = env.str("ADVICE_RATE_LIMIT", default="5/h")
# Password attempts when deleting an account, per person: a stolen session cannot guess.
DELETE_ACCOUNT_RATE_LIMIT = env.str("DELETE_ACCOUNT_RATE_LIMIT", default="5/15m")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_ADAPTER = "accounts.mfa.PortalMFAAdapter"
# Two-factor secrets are encrypted with these Fernet keys (the first encrypts, all decrypt;
# see accounts/mfa.py). Unset: a key derived from SECRET_KEY.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])

# Europe/London; British English and Welsh (the Welsh Language Standards: see docs/welsh-glossary.md).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
# A visitor's choice of language (signed-in people's is on their account).
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="core.storage.PortalStaticFilesStorage"  # hashed names, .mjs imports too
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

# GOV.UK Notify (core.govuk_notify): a council's own Notify service sends e-mail and text
# messages. The key is "{key name}-{service id}-{secret}"; the two templates are generic,
# e-mail subject ((subject)) and body ((body)), text message body ((body)). NOTIFY_BASE_URL
# lets a test double stand in; NOTIFY_CALLBACK_TOKEN is the bearer token Notify's delivery
# receipts carry.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="").strip()
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="").strip()
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="").strip()
NOTIFY_BASE_URL = env.str(
    "NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"
).rstrip("/")
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="").strip()
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
if NOTIFY_API_KEY and not re.fullmatch(rf".+-{_UUID}-{_UUID}", NOTIFY_API_KEY):
    raise ImproperlyConfigured(
        "NOTIFY_API_KEY is not a Notify API key: copy the whole key from Notify's API integration page"
    )

# E-mail: files on a first run, SMTP (EMAIL_URL) or GOV.UK Notify (NOTIFY_API_KEY) in
# production. EMAIL_URL or EMAIL_BACKEND, if given, win over Notify (texts still go by Notify).
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Kinship Portal <no-reply@kinship.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    _NOTIFY_BACKEND = "core.govuk_notify.NotifyEmailBackend"
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default=_NOTIFY_BACKEND if NOTIFY_API_KEY else "core.mail.MailFileBackend"
    )
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
    if EMAIL_BACKEND == _NOTIFY_BACKEND and not NOTIFY_EMAIL_TEMPLATE_ID:
        raise ImproperlyConfigured(
            "E-mail goes through GOV.UK Notify, but NOTIFY_EMAIL_TEMPLATE_ID is not set"
        )

# Celery: Redis in production; a broker that needs no server on a first run.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport, writing each message atomically (core/broker.py).
    CELERY_BROKER_TRANSPORT = "core.broker:Transport"
    for folder in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # kombu's broadcast bindings (worker remote control), by default ./control
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
        # How often the worker looks for new tasks (kombu's default is every second).
        "polling_interval": 0.2,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Periodic work. Each task picks up everything due since it last ran, so a worker that
# was down catches up, and the notification ledger stops anything going twice.
CELERY_BEAT_SCHEDULE = {
    "event-reminders": {
        "task": "events.tasks.send_due_reminders",
        # How often to look for reminders now due (seconds); a test makes it short.
        "schedule": env.int("EVENT_REMINDER_SWEEP_SECONDS", default=10 * 60),
    },
    "feedback-requests": {"task": "events.tasks.send_feedback_requests", "schedule": 60 * 60},
    "digests": {"task": "carers.tasks.send_due_digests", "schedule": crontab(hour=7, minute=0)},
    "staff-summaries": {
        "task": "schools.tasks.send_staff_summaries",
        "schedule": crontab(hour=7, minute=30),
    },
    "requeue-pending-mail": {
        "task": "core.tasks.requeue_pending_notifications",
        "schedule": 5 * 60,
    },
    "retention-schedule": {
        "task": "portal.tasks.apply_retention_schedule",
        "schedule": crontab(hour=2, minute=30),
    },
}
# The retention schedule (portal/retention.py): how many days each kind of record is kept.
# Councils' schedules differ: override any one with RETENTION_<KIND>_DAYS, for example
# RETENTION_ADVICE_THREADS_DAYS=2557. The privacy notice shows the values in force.
RETENTION_DEFAULT_DAYS = {
    "unverified_accounts": 30,  # after signing up without confirming the e-mail address
    "inactive_carers": 3 * 365,  # since a carer or professional last signed in (warned first)
    "notifications": 365,  # after the message was sent, or given up
    "feedback": 2 * 365,  # after it was given
    "left_pupils": 6 * 365,  # after leaving, and never before the pupil's 25th birthday
    "liaison": 6 * 365,  # after the contact (records about a pupil go with the pupil)
    "advice_threads": 6 * 365,  # after the question was closed
    "audit_entries": 7 * 365,  # after the entry was written
    "search_counts": 400,  # after the day counted: a year's comparison plus a month
}
RETENTION_DAYS = {
    kind: env.int(f"RETENTION_{kind.upper()}_DAYS", default=days)
    for kind, days in RETENTION_DEFAULT_DAYS.items()
}
RETENTION_PUPIL_MINIMUM_AGE = 25  # years: no pupil record goes before this birthday
RETENTION_WARNING_DAYS = 30  # inactive carers and professionals are e-mailed this long before
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
# A broker that is down must not hold up the page that queued the work: try briefly, then
# leave the notification pending for requeue-pending-mail.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Reminders before each event, for everyone with a confirmed place.
EVENT_REMINDERS = [
    timedelta(minutes=m)
    for m in env.list("EVENT_REMINDER_MINUTES", cast=int, default=[2 * 24 * 60, 2 * 60])
]
# Thank-you and feedback requests go to people whose event ended within this long.
FEEDBACK_REQUEST_WINDOW = timedelta(days=3)
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")

CACHES = {
    "default": (
        # Rate-limit counters: if Redis is down, each process counts in its own memory.
        {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Visitors' pages are answered from the cache for at most this long (core/pagecache.py):
# changes are seen at once; this bounds only what no change announces (an event starting, a
# scheduled publish time passing). Only with Redis: the cache must be shared by every process.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)

# Security. Production turns these on by setting DEBUG=False.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

# Staff sessions end after 30 minutes without activity; carers stay signed in for 2 weeks.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Database sessions that know whose they are (accounts.models.Session).
SESSION_ENGINE = "accounts.sessions"
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per event, with when and how bad; send stdout to the host's log service.
    # Sign-ins, failed sign-ins and codes, and refused pages log to "security"
    # (accounts/receivers.py, core/views.py).
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

INVITATION_MAX_AGE_DAYS = 14
