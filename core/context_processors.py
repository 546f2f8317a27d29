from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _nav_items(request) -> list[dict]:
    """The header navigation for this person's role; sections not yet in the portal are left out."""
    user = request.user
    wanted = []
    if user.is_authenticated and user.is_school_staff:
        wanted.append(("Virtual School", "schools:home"))
    if user.is_authenticated and user.is_carer:
        wanted.append(("Your dashboard", "portal:dashboard"))
    wanted += [("Advice and guides", "resources:list"), ("Events", "events:list")]
    if user.is_authenticated and user.is_carer:
        wanted += [("Ask your Virtual School", "advice:list"), ("Your profile", "carers:profile")]
    if user.is_authenticated and user.is_staff:
        wanted.append(("Admin", "admin:index"))
    items = []
    for label, name in wanted:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return items


def portal(request) -> dict:
    path = request.path
    staff_area = path.startswith("/school/") or path.startswith("/admin/")
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": _nav_items(request) if hasattr(request, "user") else [],
        # Some carers live near a hostile birth parent: every page a carer may see can be left in one press.
        "show_exit_this_page": not staff_area,
        "exit_this_page_url": "https://www.bbc.co.uk/weather",
    }
