"""Pages every visitor sees alike, answered from the shared cache, and never stale.

Most people who open the portal are not signed in, and they read the same few pages: the
home page, the library, the events list and calendar, event and resource pages, councils'
local offers. Building each of them again for every visitor is most of the portal's work.

- A view says that its page is the same for every visitor, and which areas of the portal
  it shows (core.generations: "resources", "events", "localoffer", "site"):

      @public_page("events", "resources", "site")
      class EventListView(TemplateView): ...

  Nothing that is not marked so is ever stored.
- PublicPageCacheMiddleware answers a visitor's GET from the cache with a copy built from
  the areas' current generation numbers. Whatever changes what a page shows (a booking, an
  edit, publishing) bumps its area once the change commits (the apps' signals modules and
  services), and from then on no copy built before it matches: not stale for a moment
  longer, on any machine. One round trip: the numbers and the page are fetched together.
- The numbers are read before the view runs and the copy is stored with them, so a change
  committed while the page was being built makes that copy useless at once.
- Only visitors: a request with a session cookie or a messages cookie is never answered
  from the cache, and a page is stored only if it is a 200, set no cookie (a form with a
  CSRF token sets one: such a page is one visitor's own), is not private or no-store, and
  the person is still not signed in when it is done.
- The key is the whole address (scheme, host, path and query string) and the language
  cookie as core.middleware.PreferredLanguageMiddleware reads it (a visitor who chose
  Welsh is sent from an English address to the Welsh one, never given the English page).
  Nothing else changes a visitor's page: the language is in the address, there is no
  cookie banner, no page varies by a request header (a page whose Vary names another
  header is not stored).
- A page is compressed once, when it is stored, and a browser that accepts gzip is sent
  that copy: GZipMiddleware (outside this one) leaves a response that is already encoded
  alone. Compressing the month's calendar for every visitor was most of its cost. Every
  visitor gets the same bytes, which is safe here: a visitor's page holds no secret for
  BREACH to guess (docs/security.md); pages with a token are never stored.
- PAGE_CACHE_SECONDS (settings) bounds what no change announces: an event starting, a
  resource's scheduled publish time passing. 0 turns the cache off.
- The cache must be shared by every process: while Redis cannot be reached
  (core.cache.ResilientRedisCache then keeps each process's own copy, which a change made
  elsewhere would not reach), pages are built as if there were no cache. A cache error
  never stops a page: the view answers instead.
"""

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.text import compress_string

from core import generations

logger = logging.getLogger(__name__)

KEY_PREFIX = "page:1:"
# Says whether a marked page came from the cache ("hit") or was built ("miss").
HEADER = "X-Page-Cache"
# Request headers a stored page may name in Vary: the key covers what they change. Cookie:
# only the language cookie changes a visitor's page. Accept-Language: the address decides
# the language (i18n_patterns). Accept-Encoding: compression happens outside the cache.
KEYED_HEADERS = {"cookie", "accept-language", "accept-encoding"}
UNSHAREABLE = {"private", "no-store", "no-cache"}
SMALLEST_COMPRESSED = 200  # as GZipMiddleware: shorter pages go as they are


def public_page(*areas: str):
    """Mark a view (a class-based view or a function) whose page is the same for every
    visitor, with the areas of the portal it shows. Signed-in people still get their own."""
    generations.keys(*areas)  # a misspelt area fails at import, not on a request

    def mark(response):
        response.public_page_areas = areas
        return response

    def decorate(view):
        if isinstance(view, type):
            dispatch = view.dispatch

            @functools.wraps(dispatch)
            def marked_dispatch(self, request, *args, **kwargs):
                return mark(dispatch(self, request, *args, **kwargs))

            view.dispatch = marked_dispatch
            return view

        @functools.wraps(view)
        def marked_view(request, *args, **kwargs):
            return mark(view(request, *args, **kwargs))

        return marked_view

    return decorate


def every_time(request, function: Callable, *args) -> None:
    """Call function(*args) now, and again each time a stored copy of this page is served:
    for what a page counts (a search made, a result opened), so counts do not stop when
    the page comes from the cache. The function is found again by its dotted name; the
    arguments are stored with the page."""
    path = f"{function.__module__}.{function.__qualname__}"
    if import_string(path) is not function:
        raise ValueError(f"{path} cannot be found by its name")
    function(*args)
    request.__dict__.setdefault("public_page_calls", []).append((path, args))


class PublicPageCacheMiddleware:
    """Visitors' pages from the cache (see the module's docstring). In MIDDLEWARE after
    WhiteNoise and GZip (static files and compression stay outside it) and before
    SessionMiddleware: a page served from here costs one cache round trip and no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _from_a_visitor(request) or _cache_not_shared():
            return self.get_response(request)
        key = _page_key(request)
        looked_up = _look_up(key)
        if looked_up is None:
            return self.get_response(request)
        current, stored = looked_up
        if _still_current(stored, current) and (served := _served(stored, request)) is not None:
            return served
        response = self.get_response(request)
        areas = getattr(response, "public_page_areas", None)
        if areas is not None:
            if _shareable(request, response):
                _store(key, request, response, {area: current[area] for area in areas}, seconds)
            response[HEADER] = "miss"
        return response


def _from_a_visitor(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cache_not_shared() -> bool:
    """True while the cache is this process's own stand-in for an unreachable Redis."""
    redis_down = getattr(cache, "_redis_down", None)
    return bool(redis_down and redis_down())


def _page_key(request) -> str:
    # The raw cookie, as PreferredLanguageMiddleware reads it (not normalised here: with no
    # cookie, core.i18n.is_welsh would fall back on whichever language this thread had last).
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{address}\n{language}".encode()).hexdigest()
    return f"{KEY_PREFIX}{digest}"


def _look_up(key: str) -> tuple[dict[str, int], dict | None] | None:
    """Every area's generation number now and the stored page, in one round trip; None
    when the cache cannot be used."""
    area_keys = generations.keys(*generations.AREAS)
    try:
        found = cache.get_many([*area_keys, key])
    except Exception:
        logger.warning("Page cache unreadable: building the page", exc_info=True)
        return None
    if _cache_not_shared():  # Redis went away during the call: this was the stand-in
        return None
    current = {
        area: int(found.get(area_key, 0))
        for area, area_key in zip(generations.AREAS, area_keys, strict=True)
    }
    return current, found.get(key)


def _still_current(stored, current: dict[str, int]) -> bool:
    try:
        return stored is not None and all(
            current.get(area) == number for area, number in stored["generations"].items()
        )
    except (TypeError, KeyError, AttributeError):  # not a page this module stored
        return False


def _served(stored: dict, request) -> HttpResponse | None:
    """The stored page as a response, compressed if the browser accepts gzip and there is a
    compressed copy, after the calls it repeats; None if it is not one."""
    try:
        compressed = stored.get("gzipped")
        if compressed and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(compressed, status=stored["status"])
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        calls = list(stored["calls"])
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    if compressed:  # either copy may be sent: caches on the way must key on the header
        patch_vary_headers(response, ("Accept-Encoding",))
    response[HEADER] = "hit"
    for path, args in calls:
        try:
            import_string(path)(*args)
        except Exception:  # a count missed is better than a page refused
            logger.exception("Page cache: %s failed for a page served from the cache", path)
    return response


def _shareable(request, response) -> bool:
    """Whether this response may be given to any visitor."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False  # a session, a message, a CSRF token: one visitor's own
    cache_control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & UNSHAREABLE:
        return False
    vary = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h.strip()}
    if vary - KEYED_HEADERS:
        return False  # "*", or a header the key does not cover
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False  # signed in while the page was built
    return not _cache_not_shared()


def _compressed(content: bytes) -> bytes | None:
    """The page gzipped, or None where that would not make it shorter."""
    compressed = compress_string(content)
    return compressed if len(compressed) < len(content) else None


def _store(key: str, request, response, built_from: dict[str, int], seconds: int) -> None:
    content = response.content
    compressible = len(content) >= SMALLEST_COMPRESSED and not response.has_header(
        "Content-Encoding"
    )
    page = {
        "generations": built_from,
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("set-cookie", HEADER.lower())
        ],
        "content": content,
        "gzipped": _compressed(content) if compressible else None,
        "calls": request.__dict__.get("public_page_calls", []),
    }
    try:
        cache.set(key, page, timeout=seconds)
    except Exception:
        logger.warning("Page cache: could not store a page", exc_info=True)
