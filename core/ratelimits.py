"""Who a rate limit counts: the person's own address, also behind the reverse proxy."""

from allauth.account.adapter import get_adapter
from django.conf import settings


def client_ip(request) -> str:
    """The client's address as allauth sees it: REMOTE_ADDR, or from X-Forwarded-For (or the
    proxy's own header) when ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER say to trust it.
    django-ratelimit's "ip" keys use this too (RATELIMIT_IP_META_KEY), so both count alike."""
    return get_adapter(request).get_client_ip(request) or ""


def rate_from_setting(name: str):
    """A django-ratelimit rate read from settings when the request comes (so tests and
    deployments can change it): ratelimit(rate=rate_from_setting("BOOKING_RATE_LIMIT"))."""

    def rate(group, request) -> str:
        return getattr(settings, name)

    return rate
