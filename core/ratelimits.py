"""Who a rate limit counts: the person's own address, also behind the reverse proxy."""

from allauth.account.adapter import get_adapter


def client_ip(request) -> str:
    """The client's address as allauth sees it: REMOTE_ADDR, or from X-Forwarded-For (or the
    proxy's own header) when ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER say to trust it.
    django-ratelimit's "ip" keys use this too (RATELIMIT_IP_META_KEY), so both count alike."""
    return get_adapter(request).get_client_ip(request) or ""
