"""The portal's URLs plus a bare view: the benchmark's yardstick for the cheapest possible page.

The bare view goes through the same middleware (sessions, security headers, CSP) as every
page but does no work of its own, so a page's throughput divided by the bare view's shows
what the page itself costs.
"""

from django.http import HttpResponse
from django.urls import path

from kinship_portal.urls import *  # noqa: F403
from kinship_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
