"""Test settings: the real settings with a fast hasher and predictable mail.

DATABASE_URL and REDIS_URL come from the environment, as in production, so
the same suite runs on PostgreSQL and Redis in CI and on SQLite elsewhere.
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ACCOUNT_RATE_LIMITS = {}  # rate limits are tested explicitly with override_settings
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages are built for every request; the page cache's tests turn it on (override_settings).
PAGE_CACHE_SECONDS = 0
SITE_URL = "http://testserver"
# Generous limits so many tests in one process (one cache) never trip them by accident; the
# limits themselves are tested with override_settings and low values.
FEEDBACK_RATE_LIMIT = ADVICE_RATE_LIMIT = DELETE_ACCOUNT_RATE_LIMIT = "10000/m"
# GOV.UK Notify is off unless a test turns it on (the fake_notify fixture), whatever the
# shell running the tests has set.
NOTIFY_API_KEY = NOTIFY_EMAIL_TEMPLATE_ID = NOTIFY_SMS_TEMPLATE_ID = NOTIFY_CALLBACK_TOKEN = ""
