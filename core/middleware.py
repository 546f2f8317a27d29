from django.utils.cache import patch_cache_control


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
