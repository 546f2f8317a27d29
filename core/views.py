import functools
import hmac
import json
import logging
import sys

import psycopg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core import health
from core.i18n import normalise, remember_language, service_name, strip_language_prefix, url_in
from core.receipts import delivery_receipt_record

logger = logging.getLogger(__name__)
security = logging.getLogger("security")

# Django wraps most driver errors in its own; closing a server-side cursor (a chunked list of
# choices, say) while PostgreSQL shuts down raises psycopg's own error unwrapped.
DATABASE_UNREACHABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def healthz(request):
    """Liveness and readiness: 200 when the database and the broker answer, 503 naming what does not.

    Asked every few seconds by the load balancer, so each check is cheap (core/health.py)."""
    checks = {"database": health.check_database, "broker": health.check_broker}
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("Health check %s failed: %s", name, error)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": results}
    if not healthy:
        body["failing"] = [name for name, value in results.items() if value != "ok"]
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception):
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and strip_language_prefix(request.path).startswith("/school/")
    ):
        # Staff asking for a record that is not theirs (another authority's is a 404).
        security.warning("not found user=%s path=%s", user.pk, request.path)
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    user = getattr(request, "user", None)
    security.warning(
        "refused user=%s path=%s", getattr(user, "pk", None) or "visitor", request.path
    )
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def server_error(request):
    """The 500 page; a 503 with Retry-After when the database cannot be reached.

    Django calls this handler while it handles the exception, so ``sys.exc_info()`` names it.
    A database restart or fail-over is brief: people are told to try again in a few minutes.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNREACHABLE):
        # Rendered without the request: its session and user would need the database.
        response = _error_page(None, "503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _error_page(request, "500.html", 500)


def _error_page(request, template: str, status: int) -> HttpResponse:
    try:
        return HttpResponse(render_to_string(template, request=request), status=status)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        logger.exception("Rendering the %s page failed", status)
        heading = gettext("Sorry, there is a problem with %(service)s") % {
            "service": service_name()
        }
        return HttpResponse(
            f"<h1>{heading}</h1><p>{gettext('Try again later.')}</p>", status=status
        )


def switch_language(request, language):
    """The language switcher ("English | Cymraeg"): remember the choice (on the account for
    someone signed in, in a cookie for everyone) and show the same page in that language.

    A link, as in the GOV.UK pattern, so it works without JavaScript; all it changes is the
    person's own language, so a forged link can do no more than that."""
    language = normalise(language)
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = "/"
    response = redirect(url_in(language, next_url))
    remember_language(response, language)
    user = request.user
    if user.is_authenticated and getattr(user, "language", language) != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@csrf_exempt
@require_POST
def notify_callback(request):
    """GOV.UK Notify's delivery receipts. The bearer token is the one set in Notify's
    callback settings (NOTIFY_CALLBACK_TOKEN), compared in constant time; with no token set
    the address does not exist."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    if not expected:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        return HttpResponse(status=401)
    try:
        receipt = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not isinstance(receipt, dict):
        return HttpResponse(status=400)
    delivery_receipt_record(receipt)
    return HttpResponse(status=204)


# Pages search engines are asked to leave alone: staff and admin pages, account pages, each
# person's own pages and the one-off links sent by e-mail, in English and in Welsh (/cy/…);
# then the addresses that have no Welsh twin.
ROBOTS_DISALLOWED_PAGES = (
    "/school/",
    "/admin/",
    "/accounts/",
    "/dashboard/",
    "/profile/",
    "/advice/",
    "/training/",
    "/events/feed/",
    "/events/bookings/",
)
ROBOTS_DISALLOWED_ADDRESSES = ("/language/", "/notify/", "/healthz/")
FAVICON = "build/assets/images/favicon.ico"  # the portal's own mark (static_src/images)


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    """/robots.txt: public pages may be indexed; staff, account and personal pages may not."""
    welsh = [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    lines = ["User-agent: *"]
    for path in ROBOTS_DISALLOWED_PAGES:
        lines += [f"Disallow: {prefix}{path}" for prefix in ["", *welsh]]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED_ADDRESSES]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@functools.cache
def _favicon_bytes() -> bytes:
    path = finders.find(FAVICON) or staticfiles_storage.path(FAVICON)
    with open(path, "rb") as file:
        return file.read()


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links to."""
    return HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
