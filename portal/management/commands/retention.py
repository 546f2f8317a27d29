from django.conf import settings
from django.core.management.base import BaseCommand

from portal.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention schedule now (it also runs every night). --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go, and change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        report = retention_apply(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for kind, days in settings.RETENTION_DAYS.items():
            self.stdout.write(f"  {kind}: kept {days} days")
        for description, rows in report.items():
            self.stdout.write(f"{verb} {rows} – {description}")
