"""What every public page shows from outside the content apps: councils' names (an event
"for carers living in Leeds", a resource's area, a local offer, the filters' list of
council areas). A council renamed, added or removed bumps the "site" generation, which every
visitor's page cached by core.pagecache reads, once the change commits.

Here, at the top floor, because councils belong to schools, which knows nothing of pages."""

from django.db.models.signals import post_delete, post_save

from core import generations
from schools.models import LocalAuthority


def councils_changed(**kwargs) -> None:
    generations.bump("site")


def connect() -> None:
    post_save.connect(
        councils_changed, sender=LocalAuthority, dispatch_uid="generations-localauthority-save"
    )
    post_delete.connect(
        councils_changed, sender=LocalAuthority, dispatch_uid="generations-localauthority-delete"
    )
