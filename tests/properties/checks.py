"""What every form property checks.

- Every answer is safe: never a server error, never typed markup sent back as markup.
- A valid form is saved: the rows it should write, no others, and what is read back from the
  database equals what was typed (after the form's normalisation, such as stripping spaces).
- An invalid form saves nothing: the row count of every table is unchanged (audit entries
  included), and the page says what is wrong beside the field, with the GOV.UK error summary
  linking to it.

The database is rolled back after each test function, not after each Hypothesis example, so
each example runs inside `undone()`: a savepoint rolled back at its end. Every example starts
from the same rows, and one that saved cannot make the next a duplicate. (Nothing here needs
on-commit hooks: inside a test's transaction they never run.)
"""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, settings

# Fixtures (people, records) are made once per test function, and each example rolls back what
# it did, so function-scoped fixtures are what these properties want.
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What would run if typed markup came back unescaped.
RAW = ["<script>alert(1)</script>", "onerror=alert(1)>"]


@contextmanager
def undone() -> Iterator[None]:
    """One example's changes, rolled back at its end; the cache (rate limits) emptied first."""
    django_cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def visitor() -> Client:
    return Client(raise_request_exception=False)


# Rows -------------------------------------------------------------------------------------


@cache
def _count_query() -> tuple[str, tuple[str, ...]]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    # The models' own table names, quoted: nothing typed goes into this query.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    return f"SELECT {counts}", tuple(tables)


def row_counts() -> dict[str, int]:
    """The number of rows in every table of the portal, in one query."""
    sql, tables = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_counts(before: dict[str, int]) -> dict[str, int]:
    """Tables whose row count changed since `before`, with by how much."""
    after = row_counts()
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}


def table(model) -> str:
    return model._meta.db_table


# Answers ----------------------------------------------------------------------------------


def body_of(response) -> str:
    return response.content.decode(errors="replace")


def assert_safe(response, url: str = "") -> None:
    """Never a server error; never markup sent back as markup. (The hostile-input tests use
    it too.)"""
    where = url or response.request
    assert response.status_code < 500, f"{response.status_code} from {where}"
    if "html" in response.get("Content-Type", "") and not response.streaming:
        body = body_of(response)
        for raw in RAW:
            assert raw not in body, f"unescaped {raw!r} on {where}"


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def errors_in(response) -> list[str]:
    """The error summary's messages: to say why a form that should pass was refused."""
    body = body_of(response)
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', body, re.S)
    return [text_of(summary[1])] if summary else [text_of(body)[:2000]]


def accepted(response) -> None:
    """A valid form: saved, and on to the next page."""
    assert_safe(response)
    assert response.status_code == 302, errors_in(response)


def error_beside(body: str, field: str) -> str:
    """The GOV.UK error message shown beside a field (empty if none)."""
    found = re.search(
        rf'<p id="id_{re.escape(field)}-error" class="govuk-error-message">(.*?)</p>', body, re.S
    )
    return text_of(found[1]).removeprefix("Error: ").replace(" Error: ", " ") if found else ""


def summary_links(body: str) -> list[tuple[str, str]]:
    """(target id, message) of each link in the GOV.UK error summary."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', body, re.S)
    if not summary:
        return []
    return [
        (target, text_of(message))
        for target, message in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary[1], re.S)
    ]


def assert_message_beside(response, field: str, message: str) -> None:
    """The form came back with `message` beside `field`, and the error summary links to the
    field (its box, or the first of its radios or date boxes) with the same message."""
    assert_safe(response)
    assert response.status_code == 200, f"{response.status_code}: the form was not shown again"
    body = body_of(response)
    beside = error_beside(body, field)
    assert message in beside, f"{message!r} not beside {field} (beside it: {beside!r}); " + str(
        errors_in(response)
    )
    targets = [t for t, text in summary_links(body) if message in text]
    assert targets, f"{message!r} is not in the error summary: {summary_links(body)}"
    assert set(targets) & {f"id_{field}", f"id_{field}_0"}, f"the summary links to {targets}"
    for target in targets:
        assert f'id="{target}"' in body, f"the summary links to #{target}, which is not there"


def assert_refused(response, before: dict[str, int], field: str, message: str) -> None:
    """Nothing saved (every table's row count as before) and the message beside the field."""
    assert changed_counts(before) == {}, "an invalid form saved something"
    assert_message_beside(response, field, message)


def lines_of(value: str) -> list[str]:
    """What a page shows of a free-text value: each line (pages show them as paragraphs)."""
    return [line.strip() for line in value.split("\n") if line.strip()]


def assert_shown(client: Client, url: str, *values: str) -> None:
    """The page shows each value as text: escaped, each line of it."""
    response = client.get(url)
    assert_safe(response)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    body = body_of(response)
    for value in values:
        for line in lines_of(value):
            assert escape(line) in body, f"{line!r} is not shown on {url}"
