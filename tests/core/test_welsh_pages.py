"""Every page of the URL walk, opened in Welsh by whoever may see it, shows no English of
the portal's own: none of the catalogue's English messages (two words or more) appears
in its text or in what a screen reader reads out (aria-label, title, alt, placeholder).

Content is another matter: a resource or event not yet written in Welsh is shown in
English, marked lang="en-GB" (tests/core/test_welsh.py). The pages here use content with
Welsh, and English names of people and schools.
"""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from schools.models import VirtualSchool
from tests.security.test_url_walk import OK, ROLES, TABLE, _url, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
SPLIT = re.compile(r"%\(\w+\)[sdif]|%[sdif]|<[^>]+>|[.:;!?()\"“”]")
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’")
# Names of products, the same in any language.
PRODUCT_NAMES = ("Google Calendar", "Microsoft Authenticator", "Google Authenticator")
READ_OUT = re.compile(r"""\b(?:aria-label|title|alt|placeholder)="([^"]*)\"""")


def _english_phrases() -> list[re.Pattern]:
    """The catalogue's English, cut at placeholders, markup and sentence ends, kept where a
    piece has two words or more and its Welsh differs."""
    phrases = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        # Words in quotation marks name buttons of other services (Google's “From URL”),
        # which keep their own language.
        for piece in SPLIT.split(QUOTED.sub(" ", entry.msgid)):
            piece = " ".join(piece.split())
            if len(piece.split()) >= 2:
                phrases.add(piece)
    return [re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])") for p in sorted(phrases)]


PHRASES = _english_phrases() if CATALOGUE.exists() else []


def _what_people_read(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    read_out = " | ".join(READ_OUT.findall(page))
    text = re.sub(r"<[^>]+>", " | ", page)
    return " ".join(html.unescape(f"{text} | {read_out}").split())


def english_in(page: str, names: tuple[str, ...] = ()) -> list[str]:
    """The portal's English phrases on a page, leaving out `names`: the names of things
    (a Virtual School is called "Leeds Virtual School" in any language)."""
    text = _what_people_read(page)
    for name in names:
        text = text.replace(name, " ")
    return [pattern.pattern for pattern in PHRASES if pattern.search(text)]


def test_the_check_finds_english_on_a_welsh_page():
    assert len(PHRASES) > 300
    with translation.override("en-gb"):
        english = translation.gettext("Skip to main content")
    assert english_in(f"<a href='#main'>{english}</a>")
    assert english_in('<nav aria-label="Skip to main content"></nav>')
    assert not english_in("<p>Neidio i'r prif gynnwys</p>")


def _welsh_pages(people, values):
    """(who, url) for every page of the walk that answers 200 to someone, in Welsh."""
    for name, params, *outcomes in TABLE:
        for role, outcome in zip(ROLES, outcomes, strict=True):
            if outcome == OK and role != "other_carer":  # another carer sees what the carer does
                with translation.override("cy"):
                    yield role, _url(name, params, values)
    for name, params, *_ in TABLE:  # Leeds's officer sees Leeds's records
        if name.startswith("schools:"):
            with translation.override("cy"):
                yield "leeds_officer", _url(name, params, values)


def test_every_page_in_welsh_shows_no_english_of_the_portals_own(world):  # noqa: F811
    people, values = world
    clients = {}
    for role, person in people.items():
        clients[role] = Client(raise_request_exception=True)
        if person is not None:
            clients[role].force_login(person)
    names = (*VirtualSchool.objects.values_list("name", flat=True), *PRODUCT_NAMES)
    wrong, seen = [], set()
    for role, url in _welsh_pages(people, values):
        if (role, url) in seen:
            continue
        seen.add((role, url))
        response = clients[role].get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        if '<html lang="cy"' not in page:
            wrong.append(f"{role} {url}: not marked lang=cy")
        found = english_in(page, names)
        if found:
            wrong.append(f"{role} {url}: {found[:4]}")
    assert len(seen) > 40
    assert wrong == [], "\n".join(wrong)
