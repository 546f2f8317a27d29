"""Print the load benchmark's results and the goals, and write them into docs/performance.md.

    manage.py bench_report var/bench/x1.json var/bench/x10.json var/bench/x100.json \
        [--write docs/performance.md]

The results replace whatever sits between the two `<!-- load-benchmark -->` markers.
The goals are judged on the largest scale at the most concurrent users.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.management.commands.bench_load import SIGNED_IN, VISITOR, format_report

START = "<!-- load-benchmark:start -->"
END = "<!-- load-benchmark:end -->"
P95_GOAL_MS = 150
RATIO_GOALS = {VISITOR: 0.5, SIGNED_IN: 0.15}
MEMORY_GOAL_MIB = 150


def goals(reports: list[dict]) -> str:
    """Each key page against the goals, at the largest scale and the most users."""
    largest = reports[-1]
    count = max(largest["runs"], key=int)
    results = largest["runs"][count]
    queries = {
        page["name"]: [
            next(p["queries"] for p in report["pages"] if p["name"] == page["name"])
            for report in reports
        ]
        for page in largest["pages"]
    }
    scales = "/".join(report["label"] for report in reports)
    lines = [
        f"Goals at {largest['label']}, {count} concurrent users "
        f"(p95 ≤ {P95_GOAL_MS} ms; ≥ {RATIO_GOALS[VISITOR]}× the bare view for visitors' pages, "
        f"≥ {RATIO_GOALS[SIGNED_IN]}× for signed-in pages; the same SQL queries at {scales}):",
        "",
        f"| {'page':<22} | {'kind':<9} | {'p95 ms':>7} | {'vs bare':>7} | {'queries ' + scales:>18} | goals |",
        f"| {'-' * 22} | {'-' * 9} | {'-' * 7}:| {'-' * 7}:| {'-' * 18}:| ----- |",
    ]
    met = total = 0
    for result in results:
        if result["kind"] == "bare":
            continue
        checks = [
            result["p95_ms"] <= P95_GOAL_MS,
            result["ratio"] >= RATIO_GOALS[result["kind"]],
            len(set(queries[result["name"]])) == 1,
        ]
        met += all(checks)
        total += 1
        marks = "".join("✓" if ok else "✗" for ok in checks)
        lines.append(
            f"| {result['name']:<22} | {result['kind']:<9} | {result['p95_ms']:>7.1f} "
            f"| {result['ratio']:>7.2f} | {'/'.join(map(str, queries[result['name']])):>18} | {marks:<5} |"
        )
    memory = largest.get("worker_memory_mib") or []
    lines += [
        "",
        "goals: ✓ or ✗ for p95, ratio and queries, in that order.",
        f"Pages meeting every goal: {met} of {total}. Largest gunicorn worker: "
        f"{max(memory, default=0):.0f} MiB (goal ≤ {MEMORY_GOAL_MIB} MiB).",
    ]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the load benchmark's results and goals; --write puts them into a Markdown file."

    def add_arguments(self, parser):
        parser.add_argument("results", nargs="+", type=Path)
        parser.add_argument("--write", type=Path)

    def handle(self, *args, results, write, **options):
        reports = [json.loads(path.read_text()) for path in results]
        machine = reports[0]["machine"]
        text = "\n".join(
            [
                f"Last run {reports[0]['measured_at'][:10]} on {machine['cores']} cores "
                f"({machine['cpu']}), {machine['memory']}, PostgreSQL {machine['postgresql']}, "
                f"Python {machine['python']}, {machine['os']}. The load generator (wrk) and "
                "PostgreSQL share the machine with the server.",
                "",
                *(f"```\n{format_report(report)}```\n" for report in reports),
                f"```\n{goals(reports)}```\n",
            ]
        )
        self.stdout.write(text)
        if write:
            document = write.read_text()
            if START not in document or END not in document:
                raise CommandError(f"{write} has no {START} … {END} markers.")
            before, rest = document.split(START, 1)
            after = rest.split(END, 1)[1]
            write.write_text(f"{before}{START}\n{text}\n{END}{after}")
            self.stdout.write(f"Written to {write}.")
