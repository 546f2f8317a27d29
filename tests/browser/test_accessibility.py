"""Accessibility of every public and carer page and the main staff pages, in Chromium.

- axe-core finds no moderate, serious or critical violations (WCAG 2.2 AA rules and best
  practice, such as every piece of content sitting in a landmark);
- the page reflows without horizontal scrolling at 320 CSS px (WCAG 1.4.10) and at
  640 CSS px, which is what a 1280 px wide window shows at 200% zoom (WCAG 1.4.4).

The demo content (manage.py seed_demo) gives every page real data: tables, lists, threads.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from carers.services import carer_profile_get_or_create
from events.models import Event
from resources.models import Resource
from schools.models import KinshipPupil, LocalAuthority
from tests.browser.conftest import browser_db, sign_in_as
from tests.conftest import give_mfa
from tests.factories import UserFactory

REFLOW_WIDTHS = [320, 640]
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}


def _carer():
    return User.objects.get(email="margaret@example.com")


def _new_carer():
    user = UserFactory(email="new.carer@example.com")
    carer_profile_get_or_create(user=user)
    return user


def _officer():
    user = User.objects.get(email="officer@leeds.example")
    give_mfa(user)
    return user


def _professional():
    """A designated teacher who attended a course (so the training record has a row)."""
    from tests.professionals.factories import ProfessionalFactory, attended

    user = User.objects.filter(email="teacher@oakwood.example").first()
    if user is None:
        user = ProfessionalFactory(user__email="teacher@oakwood.example").user
        attended(user)
    return user


def _resource_url() -> str:
    return Resource.objects.live().order_by("pk").first().get_absolute_url()


def _event_url() -> str:
    return Event.objects.upcoming().order_by("starts_at").first().get_absolute_url()


def _help_checker_results_url() -> str:
    leeds = LocalAuthority.objects.get(name="Leeds")
    return (
        "/resources/help-checker/?arrangement=sgo&looked_after=yes&stage=ks2"
        f"&local_authority={leeds.pk}"
    )


def _pupil_url() -> str:
    pupil = KinshipPupil.objects.filter(reviews__isnull=False).order_by("pk").first()
    return f"/school/pupils/{pupil.pk}/"


# (test id, who is signed in, the page's address or a function that finds it)
PAGES = [
    ("home", None, "/"),
    ("resources", None, "/resources/"),
    ("resources-search", None, "/resources/?q=school"),
    # Filters in use: their removable tags, beside the results (on a phone, behind "Filter").
    ("resources-filtered", None, "/resources/?topic=education-and-school&kind=guide"),
    ("resource", None, _resource_url),
    ("help-checker", None, "/resources/help-checker/"),
    ("help-checker-results", None, _help_checker_results_url),
    ("events", None, "/events/"),
    ("calendar", None, "/events/calendar/"),
    ("event", None, _event_url),
    ("login", None, "/accounts/login/"),
    ("signup", None, "/accounts/signup/"),
    ("privacy", None, "/privacy/"),
    ("accessibility", None, "/accessibility/"),
    ("cookies", None, "/cookies/"),
    ("not-found", None, "/no-such-page/"),
    ("dashboard", _carer, "/dashboard/"),
    ("profile", _carer, "/profile/"),
    ("export", _carer, "/profile/export/"),
    ("profile-edit", _carer, "/profile/edit/"),
    ("child-add", _carer, "/profile/children/add/"),
    ("onboarding", _new_carer, "/profile/start/"),
    ("advice", _carer, "/advice/"),
    ("advice-new", _carer, "/advice/new/"),
    ("event-signed-in", _carer, _event_url),
    ("training-signup", None, "/training/sign-up/"),
    ("training", _professional, "/training/"),
    ("training-details", _professional, "/training/details/"),
    ("training-emails", _professional, "/training/emails/"),
    ("training-your-data", _professional, "/training/your-data/"),
    ("training-close-account", _professional, "/training/close-account/"),
    ("school", _officer, "/school/"),
    ("school-pupils", _officer, "/school/pupils/"),
    ("school-pupil", _officer, _pupil_url),
    ("school-reports", _officer, "/school/reports/"),
    ("school-advice", _officer, "/school/advice/"),
]


def _in_welsh(address):
    if callable(address):
        return lambda: f"/cy{address()}"
    return f"/cy{address}"


# Every page again in Welsh: longer words must not break the layout or the landmarks.
PAGES += [(f"{name}-cy", who, _in_welsh(address)) for name, who, address in PAGES]


@pytest.fixture
def open_page(page, live_server):
    """Load the demo content, sign in as the page's person and open it."""

    def open_(who, address):
        call_command("seed_demo", demo_site=True, verbosity=0)
        if who is not None:
            sign_in_as(page.context, who(), live_server)
        url = address() if callable(address) else address
        response = page.goto(url)
        assert response.status == (404 if url.endswith("/no-such-page/") else 200), url
        assert page.url == f"{live_server.url}{url}", f"{url} redirected to {page.url}"
        expect(page.locator("main")).to_be_visible()
        expect(page.locator("html")).to_have_attribute(
            "lang", "cy" if url.startswith("/cy/") else "en-GB"
        )
        return page

    return open_


def _report(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    return [f"axe-core found violations:\n{_report(blocking)}"] if blocking else []


# The elements sticking out past the right edge, the innermost last.
TOO_WIDE_JS = """(width) => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(-5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
         + (typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""


def _reflow_problems(page) -> list[str]:
    problems = []
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            too_wide = page.evaluate(TOO_WIDE_JS, width)
            problems.append(
                f"at {width} CSS px the page scrolls sideways ({scroll_width}px wide): {too_wide}"
            )
    return problems


@browser_db
@pytest.mark.parametrize(("who", "address"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_accessible(open_page, who, address):
    """One page load per page keeps the suite quick: axe-core first, then reflow."""
    page = open_page(who, address)
    problems = _axe_problems(page) + _reflow_problems(page)
    assert not problems, f"{page.url}\n" + "\n".join(problems)
