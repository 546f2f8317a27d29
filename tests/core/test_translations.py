"""The Welsh catalogue is whole, current and well formed, and no template hides English.

- Every message has its Welsh, none is fuzzy, every plural has Welsh's six forms, and the
  placeholders and markup of each message survive translation.
- The catalogue holds exactly the strings in the source: makemessages, run into a copy,
  finds nothing new and nothing stale (after changing words: scripts/messages).
- No template has words outside a translation tag, in its text or in the attributes a
  screen reader or a browser shows (aria-label, alt, title, placeholder).
"""

import importlib
import pkgutil
import re
import shutil
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings
from django.utils import translation
from django.utils.functional import Promise

from core.management.commands.makemessages import IGNORED

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")
WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def _live(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def test_every_message_has_its_welsh_and_none_is_fuzzy(catalogue):
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} messages have no Welsh yet"
    assert fuzzy == [], f"{len(fuzzy)} Welsh messages are marked fuzzy: check and unmark them"
    assert len(_live(catalogue)) > 500  # the whole portal, not a sample


def test_welsh_plurals_have_all_six_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == WELSH_PLURAL_FORMS.replace(
        " ", ""
    )
    assert catalogue.metadata["Language"] == "cy"
    plurals = [entry for entry in _live(catalogue) if entry.msgid_plural]
    assert plurals, "the portal counts things: some messages have plurals"
    for entry in plurals:
        forms = [entry.msgstr_plural.get(n, "") for n in range(6)]
        assert all(forms), f"{entry.msgid!r} lacks some of its six Welsh forms: {forms}"


def test_django_picks_each_numbers_welsh_plural_form(catalogue):
    """A fuzzy header would be skipped by msgfmt, and with it the six forms: every count
    would then take the English rule."""
    assert not catalogue.metadata_is_fuzzy
    entry = next(
        e for e in _live(catalogue) if e.msgid_plural and len(set(e.msgstr_plural.values())) >= 3
    )
    with translation.override("cy"):
        for n, form in [(0, 0), (1, 1), (2, 2), (3, 3), (6, 4), (7, 5), (11, 5)]:
            assert (
                translation.ngettext(entry.msgid, entry.msgid_plural, n)
                == entry.msgstr_plural[form]
            )


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def test_placeholders_and_markup_survive_translation(catalogue):
    wrong = []
    for entry in _live(catalogue):
        if not entry.translated():  # reported by the test above
            continue
        if entry.msgid_plural:
            allowed = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
            for form in entry.msgstr_plural.values():
                if not _placeholders(form) <= allowed:
                    wrong.append(f"{entry.msgid!r}: {form!r} has a placeholder the English has not")
            continue
        if _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append(f"{entry.msgid!r}: placeholders differ in {entry.msgstr!r}")
        if _tags(entry.msgstr) != _tags(entry.msgid):
            wrong.append(f"{entry.msgid!r}: markup differs in {entry.msgstr!r}")
    assert wrong == [], "\n".join(wrong)


def test_every_message_awaiting_review_says_so(catalogue):
    """The glossary (docs/welsh-glossary.md) asks a professional translator to review the
    Welsh; until they have, each message carries the comment they remove when approving."""
    unmarked = [
        entry.msgid
        for entry in _live(catalogue)
        if not re.search(r"Awaiting professional review|Reviewed by ", entry.tcomment or "")
    ]
    assert unmarked == [], f"Mark new Welsh 'Awaiting professional review': {unmarked[:20]}"


def test_the_catalogue_holds_exactly_the_strings_in_the_source(tmp_path, catalogue, monkeypatch):
    """makemessages over a copy of the source and the catalogue: nothing new, nothing gone.
    (A copy: makemessages writes beside the source it reads.)"""
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(*IGNORED, ".git", "__pycache__", "*.mo", "*.pyc"),
    )
    copy = source / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["cy"], verbosity=0)
    fresh = polib.pofile(str(copy))
    keys = {(e.msgctxt, e.msgid) for e in _live(catalogue)}
    fresh_keys = {(e.msgctxt, e.msgid) for e in _live(fresh)}
    missing = sorted(m for _, m in fresh_keys - keys)
    stale = sorted(m for _, m in keys - fresh_keys)
    assert missing == [], f"In the source, not the catalogue (run scripts/messages): {missing[:20]}"
    assert stale == [], (
        f"In the catalogue, no longer in the source (scripts/messages): {stale[:20]}"
    )


def _portal_forms():
    """Every form class the portal defines (pages and admin)."""
    apps = ("accounts", "carers", "core", "events", "portal", "resources", "schools")
    for app in apps:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not {"migrations", "management"} & set(module.name.split(".")):
                importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for form in stack.pop().__subclasses__():
            stack.append(form)
            if form.__module__.split(".")[0] in apps and form not in seen:
                seen.add(form)
                yield form


def test_every_form_field_has_a_translated_label():
    """A label Django makes up from a field's name ("Venue name") is English on Welsh pages:
    every visible field of every form has a label (or a model verbose_name) in the catalogue."""
    found = list(_portal_forms())
    assert len(found) > 20
    untranslated = [
        f"{form.__module__}.{form.__name__}.{name}: {field.label!r}"
        for form in found
        for name, field in form.base_fields.items()
        if not isinstance(field.widget, forms.HiddenInput) and not isinstance(field.label, Promise)
    ]
    assert untranslated == []


# --- Templates: no words outside translation tags -------------------------------------

HIDDEN = "\x00"  # stands for a tag, a variable or translated text in the flattened template
ATTRIBUTE = re.compile(r"""\b(aria-label|alt|title|placeholder)\s*=\s*(["'])(.*?)\2""", re.S)
STRIP = [
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"""[\w-]+=(["']).*?\1""", re.S),  # attributes of a tag split across templates
    re.compile(r"&[a-zA-Z]+;|&#\d+;"),
]
LETTERS = re.compile(r"[^\W\d_]{2,}")


def _flatten(source: str) -> str:
    """The template's own text, with everything Django will fill in or translate hidden."""
    out, skipping = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skipping:
                if name == skipping:
                    skipping = None
                out.append(HIDDEN)
                continue
            if name in ("blocktranslate", "blocktrans"):
                skipping = "end" + name
            elif name == "comment":
                skipping = "endcomment"
            out.append(HIDDEN)
        elif token.token_type == TokenType.TEXT and not skipping:
            out.append(token.contents)
        else:
            out.append(HIDDEN)
    return "".join(out)


def _words_outside_tags(source: str) -> list[str]:
    text = _flatten(source)
    found = [
        f'{name}="{value}"'
        for name, _, value in ATTRIBUTE.findall(text)
        if LETTERS.search(value.replace(HIDDEN, " "))
    ]
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    found += [
        line.strip() for line in text.replace(HIDDEN, " ").splitlines() if LETTERS.search(line)
    ]
    return found


def test_the_linter_finds_english_outside_tags():
    """The check below can fail: plain words, a bare aria-label and words beside a variable."""
    assert _words_outside_tags("<p>Sign in</p>") == ["Sign in"]
    assert _words_outside_tags('<nav aria-label="Menu">{% translate "x" %}</nav>') == [
        'aria-label="Menu"'
    ]
    assert _words_outside_tags("<p>{{ count }} places</p>") == ["places"]
    assert (
        _words_outside_tags(
            '{% load i18n %}<p>{% translate "Sign in" %}</p>{% comment %}Words{% endcomment %}'
            '<a aria-label="{{ label }}" href="/x/">{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}</a>'
        )
        == []
    )


def test_templates_have_no_words_outside_translation_tags():
    offenders = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt") or not path.is_file():
            continue
        words = _words_outside_tags(path.read_text())
        if words:
            offenders[str(path.relative_to(TEMPLATES))] = words[:5]
    assert offenders == {}, "\n".join(f"{name}: {words}" for name, words in offenders.items())
