"""makemessages with the portal's settings, so the script and the catalogue test agree.

    python manage.py makemessages -l cy      # or scripts/messages, which compiles too

- Only the portal's own source: not the virtual environment, the front end's packages,
  the tests or generated files.
- References name the file, not the line, so moving code does not churn the catalogue.
- Strings no longer in the source leave the catalogue (--no-obsolete).
"""

from django.core.management.commands import makemessages

IGNORED = [
    ".venv",
    ".tools",
    "node_modules",
    "static",
    "staticfiles",
    "var",
    "tests",
    "scripts",
    "locale",
    "*/migrations/*",
    "*/management/*",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_obsolete"] = True
        options["add_location"] = "file"
        return super().handle(*args, **options)
