import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from resources.models import (
    Resource,
    ResourceFeedback,
    SavedResource,
    SearchCount,
    normalise_query,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Extension -> what the file's own bytes must say it is (checked with the `filetype` package).
ALLOWED_UPLOADS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


class ResourceError(Exception):
    """A resource operation is not allowed; the message says why."""


def validate_upload(upload) -> None:
    """Raise ValidationError unless the file is a PDF, DOCX, JPEG or PNG of 20 MB or less."""
    import filetype

    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError(
            _("The file must be a PDF, Word document (.docx), JPEG or PNG"), code="file_type"
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file must be smaller than 20 MB"), code="file_size")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime != ALLOWED_UPLOADS[extension]:
        raise ValidationError(
            _(
                "The file's contents do not match its type. "
                "Upload a real PDF, Word document, JPEG or PNG"
            ),
            code="file_content",
        )


@transaction.atomic
def resource_publish(*, resource: Resource, at: datetime.datetime | None = None) -> Resource:
    """Publish now, or schedule for `at`. A resource already live keeps its original publish time."""
    if resource.status == Resource.Status.PUBLISHED and resource.published_at and at is None:
        return resource
    resource.status = Resource.Status.PUBLISHED
    resource.published_at = at or timezone.now()
    if resource.last_reviewed_on is None:
        resource.last_reviewed_on = timezone.localdate()
    resource.save()
    return resource


@transaction.atomic
def resource_archive(*, resource: Resource) -> Resource:
    resource.status = Resource.Status.ARCHIVED
    resource.save(update_fields=["status", "updated_at"])
    return resource


@transaction.atomic
def resource_mark_reviewed(
    *, resource: Resource, next_review_on: datetime.date | None = None
) -> Resource:
    """A curator has checked the content: record today, and when to check it next (default a year)."""
    today = timezone.localdate()
    resource.last_reviewed_on = today
    resource.review_due_on = next_review_on or today + datetime.timedelta(days=365)
    resource.save(update_fields=["last_reviewed_on", "review_due_on", "updated_at"])
    return resource


def resource_save_for_user(*, user: User, resource: Resource) -> None:
    try:
        with transaction.atomic():
            SavedResource.objects.create(user=user, resource=resource)
    except IntegrityError:
        pass  # already saved: saving twice is the same as saving once


def resource_unsave_for_user(*, user: User, resource: Resource) -> None:
    SavedResource.objects.filter(user=user, resource=resource).delete()


@transaction.atomic
def feedback_create(*, resource: Resource, useful: bool, comment: str = "") -> ResourceFeedback:
    return ResourceFeedback.objects.create(
        resource=resource, useful=useful, comment=comment.strip()[:1200]
    )


# Search counts: what carers look for, and whether they find it ---------------------------------


def search_counted(query: str, results: int, today: datetime.date | None = None) -> None:
    """Count one search of the library: today's row for these words gets one more search, and
    remembers how many results this one had. The words are normalised (normalise_query); an
    empty search is not counted.

    Only the words are stored: no person, no IP address, no session is ever recorded, so a
    count cannot be traced back to whoever searched. One statement (an upsert that PostgreSQL
    and SQLite both understand), so two searches at once cannot lose a count."""
    words = normalise_query(query)
    if not words:
        return
    day = today or timezone.localdate()
    # Names from the model, quoted; the values are parameters.
    q = connection.ops.quote_name
    table = q(SearchCount._meta.db_table)
    day_, query_, searches, results_, opened = (
        q(SearchCount._meta.get_field(name).column)
        for name in ("day", "query", "searches", "results", "opened")
    )
    sql = (
        f"INSERT INTO {table} ({day_}, {query_}, {searches}, {results_}, {opened}) "  # noqa: S608
        "VALUES (%s, %s, 1, %s, 0) "
        f"ON CONFLICT ({day_}, {query_}) DO UPDATE "
        f"SET {searches} = {table}.{searches} + 1, {results_} = excluded.{results_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [connection.ops.adapt_datefield_value(day), words, max(int(results), 0)]
        )


def search_result_opened(query: str, today: datetime.date | None = None) -> bool:
    """Count a result opened from a search: one more for today's row for these words. Only a
    search counted today has a row, so made-up words change nothing and create nothing.
    Returns whether a row was counted.

    As with search_counted: no person, no IP address, no session is ever stored."""
    words = normalise_query(query)
    if not words:
        return False
    day = today or timezone.localdate()
    return bool(SearchCount.objects.filter(day=day, query=words).update(opened=F("opened") + 1))
