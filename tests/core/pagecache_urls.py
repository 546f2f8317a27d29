"""Pages for tests/core/test_pagecache.py: marked pages that must not be stored anyway."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.cache import patch_vary_headers

from accounts.models import User
from core.pagecache import public_page


@public_page("site")
def plain(request):
    return HttpResponse("<p>The same for everyone.</p>")


@public_page("site")
def with_a_form(request):
    # What {% csrf_token %} writes.
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    return HttpResponse(f"<form method='post'>{token}<button>Send</button></form>")


@public_page("site")
def with_a_message(request):
    messages.info(request, "Only for you")
    return HttpResponse("<p>A message is waiting.</p>")


@public_page("site")
def private(request):
    response = HttpResponse("<p>Private.</p>")
    response["Cache-Control"] = "private"
    return response


@public_page("site")
def by_browser(request):
    response = HttpResponse(f"<p>{request.headers.get('User-Agent', '')}</p>")
    patch_vary_headers(response, ["User-Agent"])
    return response


@public_page("site")
def signed_in_here(request):
    """As if the request had signed someone in without a session (a token, say)."""
    request.user = User(email="signed.in@example.org")
    return HttpResponse(f"<p>Hello {request.user.email}</p>")


def unmarked(request):
    return HttpResponse("<p>Not marked.</p>")


urlpatterns = [
    path("plain/", plain),
    path("with-a-form/", with_a_form),
    path("with-a-message/", with_a_message),
    path("private/", private),
    path("by-browser/", by_browser),
    path("signed-in-here/", signed_in_here),
    path("unmarked/", unmarked),
]
