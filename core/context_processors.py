from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.i18n import (
    ENGLISH,
    WELSH,
    html_lang,
    is_welsh,
    service_name,
    strip_language_prefix,
    url_in,
)
from core.mail import absolute_url


def _nav_items(request) -> list[dict]:
    """The header navigation for this person's role; sections not yet in the portal are left out."""
    user = request.user
    wanted = []
    if user.is_authenticated and user.is_school_staff:
        wanted.append((_("Virtual School"), "schools:home"))
    if user.is_authenticated and user.is_carer:
        wanted.append((_("Your dashboard"), "portal:dashboard"))
    if user.is_authenticated and user.books_as_professional:
        wanted.append((_("Your training"), "professionals:home"))
    wanted += [(_("Advice and guides"), "resources:list"), (_("Events"), "events:list")]
    if user.is_authenticated and user.is_carer:
        wanted += [
            (_("Ask your Virtual School"), "advice:list"),
            (_("Your profile"), "carers:profile"),
        ]
    if user.is_authenticated and user.is_staff:
        wanted.append((_("Admin"), "admin:index"))
    items = []
    for label, name in wanted:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return items


def portal(request) -> dict:
    path = strip_language_prefix(request.path)
    staff_area = path.startswith("/school/") or path.startswith("/admin/")
    return {
        "service_name": service_name(),
        "nav_items": _nav_items(request) if hasattr(request, "user") else [],
        # Some carers live near a hostile birth parent: every page a carer may see can be left in one press.
        "show_exit_this_page": not staff_area,
        "exit_this_page_url": "https://www.bbc.co.uk/tywydd"
        if is_welsh()
        else "https://www.bbc.co.uk/weather",
        **_languages(request),
    }


def _languages(request) -> dict:
    """The language switcher's links and the page's hreflang alternates."""
    here = request.get_full_path()
    links, alternates = [], []
    current = WELSH if is_welsh() else ENGLISH
    for code, name in settings.LANGUAGES:
        twin = url_in(code, here)
        alternates.append({"hreflang": html_lang(code), "url": absolute_url(twin)})
        links.append(
            {
                "code": code,
                "lang": html_lang(code),
                "name": name,
                "current": code == current,
                "url": f"{reverse('core:language', args=[code])}?{urlencode({'next': here})}",
            }
        )
    # Search engines and link previews with no language preference get the English page.
    alternates.append({"hreflang": "x-default", "url": alternates[0]["url"]})
    return {"language_links": links, "alternate_urls": alternates, "html_lang": html_lang()}
