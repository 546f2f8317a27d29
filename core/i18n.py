"""English and Welsh: which language a page or a message is in, and bilingual content.

- The URL decides a page's language: /cy/… is Welsh, every other path English
  (i18n_patterns without a prefix for English, so English links never change).
- A person's choice is kept on their account (User.language) and, for visitors, in the
  language cookie; core.middleware.PreferredLanguageMiddleware sends them to their
  language's URL.
- Messages are rendered in the recipient's recorded language (language_of(user)).
- Content (resources, topics, entitlements, events) has an English field and a Welsh
  `<field>_cy` twin; `obj.shown.<field>` is what a page in the active language shows:
  the Welsh text when there is one, otherwise the English, marked lang="en".
"""

from gettext import GNUTranslations
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

WELSH = "cy"
ENGLISH = settings.LANGUAGE_CODE
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def is_welsh(language: str | None = None) -> bool:
    return (language or translation.get_language() or "").split("-")[0] == WELSH


def normalise(language: str | None) -> str:
    """One of settings.LANGUAGES' codes; English for anything else."""
    return WELSH if is_welsh(language or ENGLISH) else ENGLISH


def language_of(person) -> str:
    """The language a person recorded for pages and correspondence (English if none)."""
    return normalise(getattr(person, "language", None))


def remember_language(response, language: str):
    """Keep a visitor's choice of language in the language cookie (see settings)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        normalise(language),
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def service_name(language: str | None = None) -> str:
    return settings.SERVICE_NAME_CY if is_welsh(language) else settings.SERVICE_NAME


def html_lang(language: str | None = None) -> str:
    """The value for lang="…": "cy" or "en-GB"."""
    return WELSH if is_welsh(language) else "en-GB"


def url_in(language: str, url: str) -> str:
    """The same page in another language: /resources/x/?page=2 <-> /cy/resources/x/?page=2.
    An address that is not a page of the portal comes back unchanged."""
    # translate_url resolves in the active language: resolve in the address's own.
    with translation.override(translation.get_language_from_path(urlsplit(url).path) or ENGLISH):
        return translate_url(url, normalise(language))


def strip_language_prefix(path: str) -> str:
    """The path as English URLs write it, for checks such as "is this the staff area"."""
    prefix = f"/{WELSH}/"
    return path[len(prefix) - 1 :] if path.startswith(prefix) else path


class ShownText(str):
    """A string that knows its language, so a template can mark English shown on a Welsh
    page for screen readers: <h1 lang="{{ resource.shown.title.lang }}">."""

    lang: str

    def __new__(cls, value, lang: str):
        text = super().__new__(cls, value)
        text.lang = lang
        return text


class Shown:
    """obj.shown.<field>: the Welsh `<field>_cy` on a Welsh page when it is filled in,
    otherwise the English `<field>`."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, field: str) -> ShownText:
        welsh = is_welsh()
        if welsh:
            value = getattr(self._obj, f"{field}_cy", "")
            if value:
                return ShownText(value, html_lang(WELSH))
        return ShownText(getattr(self._obj, field) or "", html_lang(ENGLISH))


class Bilingual:
    """A model mixin for content with Welsh twins of its text fields.

    WELSH_FIELDS names the English fields that have a `_cy` twin; the first is the one
    whose absence means "there is no Welsh version of this yet"."""

    WELSH_FIELDS: tuple[str, ...] = ()

    @property
    def shown(self) -> Shown:
        return Shown(self)

    @property
    def has_welsh(self) -> bool:
        return bool(getattr(self, f"{self.WELSH_FIELDS[0]}_cy", ""))

    @property
    def welsh_missing(self) -> bool:
        """True on a Welsh page showing this content's English because it has no Welsh yet."""
        return is_welsh() and not self.has_welsh


def drop_empty_fallbacks() -> None:
    """Unlink the catalogues that hold nothing from behind each language's catalogue.

    Python's gettext puts a catalogue for "en" behind each "en_GB" one it loads, and Django
    keeps the chain: six of Django's own "en" catalogues hold only their header, yet every
    English string without an entry of its own (nearly all of them) was looked up in each
    in turn, about a thousand times on a busy staff page. Called once, at start-up
    (CoreConfig.ready); what any string translates to is unchanged.
    """
    from django.utils.translation import trans_real

    for code in LANGUAGE_CODES:
        kept = trans_real.translation(code)
        while (fallback := kept._fallback) is not None:
            if type(fallback) is GNUTranslations and set(fallback._catalog) <= {""}:
                kept._fallback = fallback._fallback  # holds nothing: skip it
            else:
                kept = fallback
