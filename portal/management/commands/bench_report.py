"""Print the load benchmark's results and write them into docs/performance.md.

    manage.py bench_report var/bench/x1.json var/bench/x10.json --write docs/performance.md

The results replace whatever sits between the two `<!-- load-benchmark -->` markers.
"""

import json
from pathlib import Path

from core.management.commands.bench_load import format_report
from django.core.management.base import BaseCommand, CommandError

START = "<!-- load-benchmark:start -->"
END = "<!-- load-benchmark:end -->"


class Command(BaseCommand):
    help = "Print the load benchmark's results; --write puts them into a Markdown file."

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
                f"Python {machine['python']}, {machine['os']}. The load generator shares the "
                "machine with the server.",
                "",
                *(f"```\n{format_report(report)}```\n" for report in reports),
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
