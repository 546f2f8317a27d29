"""What people type, drawn by Hypothesis within each field's rules, and just outside them.

Valid values are the ones a person may really type: names in any alphabet, with Welsh and
other accents, apostrophes, hyphens and spaces round them; free text with punctuation,
symbols, markup and several lines; dates in range, in the form the day, month and year boxes
take them. Each text strategy also reaches the field's exact length limit, where a database
column shorter than the form's limit would fail.
"""

import dataclasses
import datetime

from hypothesis import strategies as st

# Markup and SQL are ordinary text to a free-text field: saved as typed, shown as text.
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<b>bold</b> & more"]
SQL = ["' OR 1=1 --", "Robert'); DROP TABLE schools_kinshippupil;--"]

WELSH_AND_ACCENTED = "âêîôûŵŷÂÊÎÔÛŴŶáéíóúàèìòùäëïöüÿçñøåæœßÁÉÍÓÚÄËÏÖÜŸÇÑØÅÆŒłŁńśźżąęőűğı"
ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPARATORS = [" ", "-", "'", "’"]  # Ffion ap Rhys, Jean-Luc, O'Neill, D’Arcy
COMBINING = ["\u0301", "\u0308", "\u0302"]  # é, ë, ê written as a letter and an accent

letter = st.one_of(
    st.sampled_from(ASCII_LETTERS),
    st.sampled_from(WELSH_AND_ACCENTED),
    st.characters(categories=["L"]),  # any letter: Arabic, Cyrillic, Chinese, Greek...
)
spelt = st.one_of(
    letter, st.tuples(letter, st.sampled_from(COMBINING)).map("".join)
)  # one letter as typed
padding = st.sampled_from(["", "", " ", "  ", "\t"])  # stripped by the form


def _fit(text: str, limit: int) -> str:
    """Cut to the limit without leaving a separator or an accent on its own at the end."""
    text = text[:limit]
    while text and not text[-1].isalpha():
        text = text[:-1]
    return text


@st.composite
def names(draw, limit: int) -> str:
    """A name as typed: letters in any alphabet, parts joined by a space, hyphen or apostrophe,
    sometimes spaces round it; now and then exactly `limit` characters long."""
    parts = draw(
        st.lists(st.lists(spelt, min_size=1, max_size=10).map("".join), min_size=1, max_size=4)
    )
    name = parts[0]
    for part in parts[1:]:
        name += draw(st.sampled_from(SEPARATORS)) + part
    if draw(st.integers(0, 9)) == 0:  # as long as the field allows
        name = (name + " ") * (limit // (len(name) + 1) + 1)
    name = _fit(name, limit) or draw(letter)
    return draw(padding) + name + draw(padding)


def too_long_name(limit: int) -> st.SearchStrategy[str]:
    """A name one or more characters over the limit once stripped."""
    return st.tuples(letter, st.integers(1, 40)).map(lambda t: t[0] * (limit + t[1]))


text_character = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])


@st.composite
def free_text(draw, limit: int, *, required: bool = False, lines: bool = True) -> str:
    """Free text as typed: any letters, digits, punctuation and symbols, markup and SQL
    among them, over several lines; sometimes exactly `limit` characters once stripped."""
    line = st.one_of(
        st.text(text_character, max_size=60),
        st.sampled_from(MARKUP + SQL),
    )
    text = "\n".join(draw(st.lists(line, min_size=1, max_size=4 if lines else 1)))
    if draw(st.integers(0, 9)) == 0:  # as long as the field allows
        filler = draw(st.text(text_character, min_size=1, max_size=20).filter(str.strip))
        text = (text.strip() + filler * (limit // len(filler) + 1))[:limit]
    text = text.strip()[:limit].strip()
    if required and not text:
        text = draw(letter)
    return draw(padding) + text + draw(padding)


def too_long_text(limit: int) -> st.SearchStrategy[str]:
    return st.tuples(
        st.text(text_character, min_size=1, max_size=10).filter(str.strip), st.integers(1, 40)
    ).map(lambda t: (t[0].strip() * (limit + t[1]))[: limit + t[1]])


OMIT = None  # a field left out of the request altogether


@dataclasses.dataclass(frozen=True)
class Mistake:
    """One field got wrong: the values that replace the valid ones (OMIT: left out) and the
    message that must appear beside `field`."""

    field: str
    changes: dict
    message: str

    def applied_to(self, data: dict) -> dict:
        changed = {**data, **self.changes}
        return {name: value for name, value in changed.items() if value is not OMIT}


blank = st.sampled_from(["", " ", "   ", "\t"])  # what a person leaves in a required box


# Dates --------------------------------------------------------------------------------------


def date_boxes(prefix: str, day: datetime.date) -> st.SearchStrategy[dict]:
    """A GOV.UK date input filled in with `day`: with or without leading zeros and spaces."""
    return st.tuples(
        st.sampled_from(["{}", "{:02}", " {} "]),
        st.sampled_from(["{}", "{:02}", " {} "]),
        st.sampled_from(["{}", " {} "]),
    ).map(
        lambda forms: {
            f"{prefix}_day": forms[0].format(day.day),
            f"{prefix}_month": forms[1].format(day.month),
            f"{prefix}_year": forms[2].format(day.year),
        }
    )


def dates_between(first: datetime.date, last: datetime.date) -> st.SearchStrategy:
    return st.dates(min_value=first, max_value=last)


# Boxes that are not a real date, each with how the message names the problem.
IMPOSSIBLE_DATES = [
    (("30", "2", "2016"), "must be a real date"),
    (("31", "4", "2016"), "must be a real date"),
    (("29", "2", "2023"), "must be a real date"),
    (("1", "13", "2016"), "must be a real date"),
    (("0", "1", "2016"), "must be a real date"),
    (("1", "1", "16"), "must be a real date"),
    (("first", "May", "2016"), "must be a real date"),
    (("", "5", "2016"), "must include a day"),
    (("4", "", "2016"), "must include a month"),
    (("4", "5", ""), "must include a year"),
]


def impossible_date(prefix: str) -> st.SearchStrategy[tuple[dict, str]]:
    return st.sampled_from(IMPOSSIBLE_DATES).map(
        lambda case: (
            dict(zip([f"{prefix}_day", f"{prefix}_month", f"{prefix}_year"], case[0], strict=True)),
            case[1],
        )
    )


def number_text(value) -> st.SearchStrategy[str]:
    """A number as typed, with or without spaces round it."""
    return st.sampled_from(["{}", " {} "]).map(lambda f: f.format(value))


@st.composite
def email_addresses(draw) -> str:
    """An address as people have them: dots, hyphens, plus signs, apostrophes, capitals."""
    word = st.text(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12
    )
    local = draw(word)
    for part in draw(st.lists(word, max_size=2)):
        local += draw(st.sampled_from([".", "-", "_", "+", "'"])) + part
    domain = draw(
        st.sampled_from(["example.org", "leeds.gov.uk", "ysgol-y-castell.cymru", "a.sch.uk"])
    )
    return f"{local}@{domain}"
