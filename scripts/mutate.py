"""Break the portal on purpose and check the tests notice.

Each mutation in tests/mutations.toml names a piece of product code (a lock, a constraint,
an authority filter, a friendly message) and the tests that are meant to catch its loss.
For each one this copies the working tree to a temporary folder, replaces the code there
(the original is never touched), runs those tests on the copy against PostgreSQL and Redis,
and reports the mutation CAUGHT when they fail, MISSED when they pass.

First the same tests run once on an unchanged copy: a mutation only counts as caught if
the tests passed without it.

    scripts/mutate                    # every mutation
    scripts/mutate --list             # their names
    scripts/mutate --markdown         # the table for docs/testing.md
    scripts/mutate lock constraint    # only mutations whose name contains a word given

Exit status: 0 when every mutation run was caught, 1 when any was missed or could not run.
"""

import argparse
import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS = ROOT / "tests" / "mutations.toml"
PYTHON = ROOT / ".venv" / "bin" / "python"
# Hypothesis draws CI's fixed seed and does not shrink: a broken copy fails fast.
PYTEST_OPTIONS = ["--hypothesis-profile=mutation"]
# Not copied: history, installed packages and whatever the portal wrote at run time.
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", ".hypothesis", "__pycache__", "*.egg-info"
)


@dataclasses.dataclass(frozen=True)
class Mutation:
    name: str
    proves: str
    file: str
    find: str
    replace: str
    tests: list[str]

    def apply(self, tree: Path) -> None:
        path = tree / self.file
        text = path.read_text()
        found = text.count(self.find)
        if found != 1:
            raise ValueError(f"{self.file}: the code to change occurs {found} times, not once")
        path.write_text(text.replace(self.find, self.replace))


def load() -> list[Mutation]:
    with MUTATIONS.open("rb") as file:
        return [Mutation(**entry) for entry in tomllib.load(file)["mutation"]]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kp_mutants")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    env["PORTAL_REQUIRE_SERVICES"] = "1"
    env.pop("CI", None)  # the Hypothesis CI profile prints its seed; not needed here
    return env


def run_tests(tree: Path, tests: list[str]) -> tuple[int, str]:
    """pytest's exit status on the copy, and the last lines it printed."""
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own test ids
        [
            str(PYTHON),
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "--create-db",
            *PYTEST_OPTIONS,
            *tests,
        ],
        cwd=tree,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-3:])
    return result.returncode, tail


def _copy_if_present(source: str, target: str) -> None:
    """A file gone by the time it is copied (a tool's scratch file) is simply not copied."""
    with contextlib.suppress(FileNotFoundError):
        shutil.copy2(source, target)


def fresh_copy(parent: Path, label: str) -> Path:
    tree = parent / label
    shutil.copytree(ROOT, tree, ignore=SKIP, symlinks=True, copy_function=_copy_if_present)
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="run only mutations whose name has one of these")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument(
        "--markdown", action="store_true", help="list them as the table in docs/testing.md"
    )
    args = parser.parse_args()
    mutations = [
        m for m in load() if not args.words or any(w.lower() in m.name.lower() for w in args.words)
    ]
    if args.markdown:
        print("| mutation | what the tests prove | file | tests that fail |")
        print("| --- | --- | --- | --- |")
        for m in mutations:
            tests = ", ".join(f"`{t.removeprefix('tests/')}`" for t in m.tests)
            print(f"| {m.name} | {m.proves} | `{m.file}` | {tests} |")
        return 0
    if args.list or not mutations:
        for m in mutations:
            print(f"{m.name}: {m.proves}")
        return 0 if mutations else 1

    with tempfile.TemporaryDirectory(prefix="portal-mutants-") as scratch:
        parent = Path(scratch)
        every_test = sorted({t for m in mutations for t in m.tests})
        print(f"==> Unchanged copy: {len(every_test)} test ids must pass first", flush=True)
        status, tail = run_tests(fresh_copy(parent, "unchanged"), every_test)
        if status != 0:
            print(f"The tests fail without any mutation (pytest exit {status}):\n{tail}")
            return 1
        results = []
        for number, mutation in enumerate(mutations, start=1):
            tree = fresh_copy(parent, f"mutant-{number}")
            started = time.monotonic()
            try:
                mutation.apply(tree)
            except ValueError as error:
                verdict, tail = "NOT RUN", str(error)
            else:
                status, tail = run_tests(tree, mutation.tests)
                # 1: tests failed. 0: they passed. Anything else: pytest could not run them.
                verdict = {0: "MISSED", 1: "CAUGHT"}.get(status, f"ERROR (pytest exit {status})")
            seconds = time.monotonic() - started
            shutil.rmtree(tree)
            results.append((mutation, verdict))
            print(f"{verdict:8} {seconds:6.1f} s  {mutation.name}", flush=True)
            if verdict != "CAUGHT":
                print("         " + tail.replace("\n", "\n         "))
    caught = sum(verdict == "CAUGHT" for _, verdict in results)
    print(f"==> {caught} of {len(results)} mutations caught")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
