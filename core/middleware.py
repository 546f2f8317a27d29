from django.conf import settings
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path

from core.i18n import WELSH, is_welsh, language_of, url_in


class NoStoreWhenSignedInMiddleware:
    """Pages for a signed-in person show their own details: no browser or proxy may keep a
    copy, so after signing out on a shared computer the Back button shows nothing of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PreferredLanguageMiddleware:
    """Someone who chose Welsh and follows an English link (an old bookmark, a link typed
    in, a link from someone else) is sent to the Welsh twin of the page.

    The choice is the account's language for someone signed in, the language cookie for a
    visitor. A /cy/ address is always shown in Welsh, whatever the choice: it was linked
    to on purpose. Only pages are moved, never a form's POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info):
            if is_welsh(self._preferred(request)):
                here = request.get_full_path()
                there = url_in(WELSH, here)
                if there != here:
                    return redirect(there)
            response = self.get_response(request)
            # The same English address answers a Welsh visitor with a redirect.
            patch_vary_headers(response, ["Cookie"])
            return response
        return self.get_response(request)

    @staticmethod
    def _preferred(request) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return language_of(user)
        return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
