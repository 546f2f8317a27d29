import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse

from core.choices import YearGroup, year_group_for
from core.templatetags.portal import govuk_date, govuk_datetime, govuk_time
from schools.models import LocalAuthority

BASE_DIR = Path(__file__).resolve().parents[2]


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_local_authorities_ship_with_official_codes():
    england = LocalAuthority.objects.filter(nation="England")
    wales = LocalAuthority.objects.filter(nation="Wales")
    assert england.count() == 153
    assert wales.count() == 22
    assert england.filter(dfe_la_number__isnull=True).count() == 0
    # Authorities created since 2019 are present with their own codes and LA numbers.
    assert LocalAuthority.objects.get(gss_code="E06000063").name == "Cumberland"
    assert LocalAuthority.objects.get(gss_code="E06000063").dfe_la_number == "942"
    assert LocalAuthority.objects.get(dfe_la_number="943").name == "Westmorland and Furness"
    assert (
        LocalAuthority.objects.get(dfe_la_number="839").name
        == "Bournemouth, Christchurch and Poole"
    )
    assert LocalAuthority.objects.get(gss_code="E09000001").name == "City of London"
    assert LocalAuthority.objects.get(gss_code="W06000015").name == "Cardiff"
    assert not LocalAuthority.objects.filter(name="Cumbria").exists()  # abolished in 2023


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (
            datetime.date(2020, 9, 1),
            datetime.date(2025, 9, 1),
            YearGroup.RECEPTION,
        ),  # oldest in the year
        (
            datetime.date(2021, 8, 31),
            datetime.date(2025, 9, 1),
            YearGroup.RECEPTION,
        ),  # youngest in the year
        (
            datetime.date(2020, 8, 31),
            datetime.date(2025, 9, 1),
            YearGroup.Y1,
        ),  # one day older: a year above
        (datetime.date(2021, 9, 1), datetime.date(2025, 9, 1), YearGroup.NURSERY),
        (
            datetime.date(2020, 9, 1),
            datetime.date(2025, 8, 31),
            YearGroup.NURSERY,
        ),  # the day before term
        (datetime.date(2014, 10, 1), datetime.date(2026, 11, 23), YearGroup.Y7),
        (
            datetime.date(2014, 3, 15),
            datetime.date(2026, 11, 23),
            YearGroup.Y8,
        ),  # spring-born: a year above
        (datetime.date(2011, 8, 31), datetime.date(2026, 11, 23), YearGroup.Y11),
        (datetime.date(2008, 9, 1), datetime.date(2026, 11, 23), YearGroup.Y13),
        (datetime.date(2008, 8, 31), datetime.date(2026, 11, 23), YearGroup.LEFT_SCHOOL),
        (datetime.date(2025, 1, 1), datetime.date(2026, 11, 23), YearGroup.NOT_AT_SCHOOL),
    ],
)
def test_year_group_follows_the_1_september_boundary(born, on, expected):
    assert year_group_for(born, on) == expected


def test_dates_and_times_are_written_the_govuk_way():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    assert govuk_date(datetime.date(2024, 12, 10)) == "Tuesday 10 December 2024"
    assert govuk_time(datetime.time(11, 0)) == "11am"
    assert govuk_time(datetime.time(11, 30)) == "11:30am"
    assert govuk_time(datetime.time(12, 0)) == "midday"
    assert govuk_time(datetime.time(15, 5)) == "3:05pm"
    # Stored in UTC, shown in London time (BST in summer).
    utc_summer = datetime.datetime(2025, 7, 1, 10, 0, tzinfo=datetime.UTC)
    assert govuk_datetime(utc_summer) == "Tuesday 1 July 2025, 11am"
    assert (
        govuk_datetime(datetime.datetime(2024, 12, 10, 11, 0, tzinfo=london))
        == "Tuesday 10 December 2024, 11am"
    )


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_is_down(client):
    from kinship_portal.celery import app

    original = app.conf.broker_url, app.conf.broker_transport
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    app.conf.broker_transport = None  # the embedded default names its own transport
    try:
        response = client.get("/healthz/")
    finally:
        app.conf.broker_url, app.conf.broker_transport = original
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_home_page_has_skip_link_exit_this_page_and_footer(client):
    body = client.get("/").content.decode()
    assert 'href="#main-content"' in body
    assert "govuk-exit-this-page" in body
    for name in ("portal:privacy", "portal:accessibility", "portal:cookies"):
        assert reverse(name) in body
    assert "<script>" not in body  # no inline script: the CSP forbids it


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/", "/cookies/"])
def test_information_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "govuk-exit-this-page" in response.content.decode()


@pytest.mark.django_db
def test_carer_pages_carry_exit_this_page_and_staff_pages_do_not(carer_client, client, officer):
    assert "govuk-exit-this-page" in carer_client.get(reverse("portal:dashboard")).content.decode()
    assert "govuk-exit-this-page" in carer_client.get(reverse("carers:profile")).content.decode()
    client.force_login(officer)
    assert "govuk-exit-this-page" not in client.get("/school/").content.decode()


@pytest.mark.django_db
def test_navigation_reflects_the_role(carer_client, client, officer):
    carer_nav = carer_client.get("/").content.decode()
    assert "Your dashboard" in carer_nav and "Virtual School</a>" not in carer_nav
    client.force_login(officer)
    staff_nav = client.get("/school/").content.decode()
    assert "Your dashboard" not in staff_nav


@pytest.mark.django_db
def test_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_renders_without_a_request():
    html = get_template("500.html").render({})
    assert "Sorry, there is a problem" in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unhandled_error_shows_the_friendly_500(client, monkeypatch):
    from portal import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get", lambda self, request: boom(request))
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # No page may be framed, re-based or run plug-ins (OWASP ASVS 5.0 V3.4.3, V3.4.6).
    for directive in ("frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kinship_portal.settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_database_outage_shows_service_unavailable_with_retry_after(client, monkeypatch):
    """While PostgreSQL restarts, people get a 503 that says to try again, not a bare error."""
    from django.db import OperationalError

    from portal import views

    def unreachable(self, request):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(views.HomeView, "get", unreachable)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "Try again in a few minutes" in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_driver_error_raised_unwrapped_during_a_restart_is_also_a_503(client, monkeypatch):
    """Seen in the restart drill: closing a server-side cursor while PostgreSQL shuts down
    raises psycopg's AdminShutdown itself, not Django's OperationalError."""
    import psycopg

    from portal import views

    def shutting_down(self, request):
        raise psycopg.errors.AdminShutdown("terminating connection due to administrator command")

    monkeypatch.setattr(views.HomeView, "get", shutting_down)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
