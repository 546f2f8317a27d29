"""Every CSV the portal writes reads the same way: numbers as people write them, ISO dates,
Yes or No, empty cells for nothing, and no formula a spreadsheet would run."""

import ast
import datetime
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest

from core.spreadsheets import csv_cell, csv_response

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "carers", "core", "events", "kinship_portal", "localoffer", "portal"]
APPS += ["professionals", "resources", "schools"]
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("79.4"), "79.4"),
        (Decimal("79.4000000000000"), "79.4"),  # as SQLite hands back a computed decimal
        (Decimal("100"), "100.0"),
        (Decimal("0.0"), "0.0"),
        (79.45 + 0.0001, "79.5"),
        (None, ""),
        (12, "12"),
        (True, "Yes"),
        (False, "No"),
        (datetime.date(2026, 11, 30), "2026-11-30"),
        ([datetime.date(2027, 3, 2), datetime.date(2027, 3, 9)], "2027-03-02, 2027-03-09"),
        # A date and time in UK time, with its offset: GMT in winter, BST in summer.
        (datetime.datetime(2026, 11, 30, 9, 30, 15, 123456, tzinfo=datetime.UTC),
         "2026-11-30T09:30:15+00:00"),
        (datetime.datetime(2026, 6, 30, 9, 30, tzinfo=datetime.UTC), "2026-06-30T10:30:00+01:00"),
        # Formula escaping (CSV injection) is kept.
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 7700 900000", "'+44 7700 900000"),
        ("Zoë", "Zoë"),
    ],
)  # fmt: skip
def test_a_cell_is_written_as_people_read_it(settings, value, written):
    settings.TIME_ZONE = "Europe/London"
    assert csv_cell(value) == written


def test_a_column_can_ask_for_more_places_and_a_wrong_column_name_is_caught():
    response = csv_response(
        "hours.csv", ["Event", "Hours"], [["Course", 1 + 1 / 3]], places={"Hours": 2}
    )
    assert response.content.decode("utf-8-sig").splitlines() == ["Event,Hours", "Course,1.33"]
    with pytest.raises(ValueError, match="Minutes"):
        csv_response("hours.csv", ["Event", "Hours"], [], places={"Minutes": 2})


def _modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _writes_csv_itself(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}:
            if isinstance(node.value, ast.Name) and node.value.id == "csv":
                found.append(f"csv.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [f"from csv import {a.name}" for a in node.names if "riter" in a.name]
        # A response's type, not a file input's accept=".csv,text/csv".
        elif isinstance(node, ast.Constant) and str(node.value).startswith("text/csv"):
            found.append(repr(node.value))
    return found


def test_no_export_writes_csv_except_through_the_shared_helper():
    """A new export cannot format its own cells: only core.spreadsheets writes CSV, so every
    export's numbers, dates and booleans come out the same way."""
    offenders = {}
    for path in _modules():
        if path == ROOT / "core" / "spreadsheets.py":
            continue
        found = _writes_csv_itself(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
    # ...and the scan does see a module that would write its own.
    assert _writes_csv_itself(ast.parse("import csv\nw = csv.writer(f)\n")) == ["csv.writer"]
