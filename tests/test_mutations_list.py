"""The list of mutations scripts/mutate applies stays true as the code changes: each one
still finds the code it breaks, exactly once, and names tests that exist. (The mutations
themselves are run by scripts/mutate, outside CI: docs/testing.md.)"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MUTATIONS = tomllib.loads((ROOT / "tests" / "mutations.toml").read_text())["mutation"]


def test_the_list_has_a_mutation_for_each_rule_the_design_names():
    names = " ".join(m["name"] for m in MUTATIONS)
    for rule in ("lock", "constraint", "authority filter"):
        assert rule in names


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_each_mutation_finds_its_code_once_and_names_real_tests(mutation):
    code = (ROOT / mutation["file"]).read_text()
    assert code.count(mutation["find"]) == 1, f"{mutation['file']} no longer has the code"
    assert mutation["find"] != mutation["replace"]
    assert mutation["tests"]
    for test in mutation["tests"]:
        path, _, name = test.partition("::")
        source = (ROOT / path).read_text()
        if name:
            function = name.split("[")[0]
            assert re.search(rf"^def {re.escape(function)}\(", source, re.M), test


def test_docs_show_the_current_list():
    table = subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(ROOT / "scripts" / "mutate.py"), "--markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert table.strip() in (ROOT / "docs" / "testing.md").read_text(), (
        "run `scripts/mutate --markdown` and put its table in docs/testing.md"
    )
