"""What every public page shows from outside the content apps: councils' names (an event
"for carers living in Leeds", a resource's area, a local offer, the filters' list of
council areas). A council renamed, added or removed bumps the "site" generation, which every
visitor's page cached by core.pagecache reads, once the change commits.

Here, at the top floor, because councils belong to schools, which knows nothing of pages."""

from core import generations
from schools.models import LocalAuthority


def connect() -> None:
    generations.bump_on_change("site", models=(LocalAuthority,))
