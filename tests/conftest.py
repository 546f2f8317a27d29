import importlib
import os
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.roles import content_admin_group_sync
from tests import hypothesis_profiles
from tests.factories import CarerProfileFactory, StaffMembershipFactory, UserFactory
from tests.fakes.notify import FakeNotify

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped on SQLite, with a notice; in CI they must run."""
    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    if REQUIRE_SERVICES and not (on_postgres and has_redis):
        raise pytest.UsageError("CI requires PostgreSQL and Redis, but they are not configured")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to run it")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL to run it")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(skip_redis)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """In the ci profile every Hypothesis test draws from one fixed seed (before Hypothesis's
    own plugin reads --hypothesis-seed), so a failure in CI happens again on the same command."""
    profile = (
        config.getoption("hypothesis_profile") or hypothesis_settings.get_current_profile_name()
    )
    if profile in ("ci", "mutation") and config.getoption("hypothesis_seed") is None:
        config.option.hypothesis_seed = hypothesis_profiles.ci_seed()


def pytest_report_header(config):
    seed = config.getoption("hypothesis_seed")
    profile = (
        config.getoption("hypothesis_profile") or hypothesis_settings.get_current_profile_name()
    )
    if seed is None:
        examples = hypothesis_profiles.HOME.relative_to(hypothesis_profiles.REPOSITORY)
        hypothesis = f"hypothesis: profile {profile!r}, examples that failed kept in {examples}/"
    else:
        hypothesis = (
            f"hypothesis: profile {profile!r}, seed {seed}; to repeat a failing test: "
            f"CI=true .venv/bin/python -m pytest --hypothesis-seed={seed} '<test node id>'"
        )
    return [
        f"database: {connection.vendor}; redis: {os.environ.get('REDIS_URL') or 'not configured'}",
        hypothesis,
    ]


def signed_in_with_mfa(client: Client, user) -> None:
    """Record in the client's session that it signed in with the password and the code from
    the authenticator app, as allauth does on the real pages."""
    session = client.session
    request = SimpleNamespace(session=session)
    record_authentication(request, user, "password", email=user.email)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


@pytest.fixture(autouse=True)
def _empty_cache_between_tests():
    """The cache (one per process) outlives each test's database: what one test kept, such
    as a carer's ranked "Advice for you" ids, must not answer the next, whose rows reuse
    those ids or lack them."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request to a /cy/ page leaves Welsh active in this thread (as in a server's); each
    test starts in English, so reverse() and messages mean the same in every test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _force_login_includes_the_code():
    """force_login stands for a completed sign-in, which for someone with an authenticator
    app includes its code. Tests of sessions that did not pass it sign in through the pages.
    (Not with monkeypatch: a test's monkeypatch.undo() would take this away too.)"""
    force_login = Client.force_login

    def sign_in(self, user, backend=None):
        force_login(self, user, backend)
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            signed_in_with_mfa(self, user)

    with mock.patch.object(Client, "force_login", sign_in):
        yield


@pytest.fixture
def audit_log_emptied_before_flush(transactional_db):
    """For tests with real transactions on SQLite: Django empties the tables afterwards with
    DELETE, which the audit log's triggers refuse (PostgreSQL uses TRUNCATE, which they do
    not see). Empty the audit log first, with its triggers lifted for that moment only."""
    yield
    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("schools.migrations.0008_audit_retention")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_BACKWARD:
            cursor.execute(statement)
        cursor.execute("DELETE FROM schools_auditentry")
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)


@pytest.fixture
def carer(db):
    """A verified, onboarded carer."""
    return CarerProfileFactory().user


@pytest.fixture
def carer_client(client, carer):
    client.force_login(carer)
    return client


def give_mfa(user) -> None:
    """Give a user a TOTP authenticator, as if they had set up an authenticator app."""
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXP")}
    )


@pytest.fixture
def officer(db):
    membership = StaffMembershipFactory()
    give_mfa(membership.user)
    return membership.user


@pytest.fixture
def head(db):
    membership = StaffMembershipFactory(role="head")
    give_mfa(membership.user)
    return membership.user


@pytest.fixture
def content_admin(db):
    """A content admin: staff, in the Content admins group, not a superuser."""
    user = UserFactory(is_staff=True)
    user.groups.add(content_admin_group_sync())
    give_mfa(user)
    return user


@pytest.fixture
def operator(db):
    """Whoever runs the service: a superuser made with createsuperuser, with MFA."""
    user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(user)
    return user


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def forget_celery_connections() -> None:
    """Drop Celery's and kombu's cached connections and producer pools, so the next task is
    published to the broker configured now (even eager tasks borrow a producer)."""
    from kombu import pools

    from kinship_portal.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def fake_notify(settings):
    """A fake GOV.UK Notify API on 127.0.0.1 (tests/fakes/notify.py), with the portal's
    NOTIFY_* settings pointing at it. E-mail still goes to Django's outbox: add
    fake_notify_email to send it through Notify too."""
    with FakeNotify() as fake:
        fake.configure(settings)
        yield fake


@pytest.fixture
def fake_notify_email(fake_notify, settings):
    """fake_notify, with every e-mail the portal sends going through it."""
    settings.EMAIL_BACKEND = "core.govuk_notify.NotifyEmailBackend"
    return fake_notify
