"""Curators' tools: sanitising, uploads, workflow actions in Django admin, the help checker's rules."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource
from resources.services import MAX_UPLOAD_BYTES, validate_upload
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_body_is_sanitised_on_save():
    resource = ResourceFactory(
        body='<p onclick="steal()" style="color:red">Hello</p><script>alert(1)</script>'
        '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">bad</a>\n\n[good](https://example.org)'
    )
    html = resource.body_html
    assert "Hello" in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onclick" not in html and "onerror" not in html and "style=" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_markdown_becomes_html():
    resource = ResourceFactory(body="## Money\n\n- **Child Benefit**\n- Guardian's Allowance")
    assert "<h2>Money</h2>" in resource.body_html
    assert "<li><strong>Child Benefit</strong></li>" in resource.body_html


@pytest.mark.parametrize(
    ("name", "content"),
    [("guide.pdf", PDF), ("letter.docx", _docx()), ("photo.png", PNG)],
)
def test_allowed_uploads_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ" + b"\x00" * 100, "must be a PDF, Word document"),
        ("page.html", b"<html><script>alert(1)</script></html>", "must be a PDF, Word document"),
        ("fake.pdf", b"<html>not a pdf</html>", "do not match its type"),
        ("image.png", PDF, "do not match its type"),
    ],
)
def test_bad_uploads_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_upload(SimpleUploadedFile(name, content))


def test_uploads_over_20_mb_are_refused():
    upload = SimpleUploadedFile("big.pdf", PDF)
    upload.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError, match="smaller than 20 MB"):
        validate_upload(upload)


def test_admin_refuses_a_bad_upload_beside_the_field(client, content_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(content_admin)
    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "title": "A document",
            "slug": "a-document",
            "summary": "S",
            "body": "",
            "kind": "document",
            "status": "draft",
            "file": SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "do not match its type" in response.content.decode()
    assert not Resource.objects.filter(slug="a-document").exists()


def test_admin_bulk_publish_and_archive(client, content_admin):
    drafts = [ResourceFactory(status="draft", published_at=None) for _ in range(2)]
    future = timezone.now() + timezone.timedelta(days=3)
    scheduled = ResourceFactory(status="in_review", published_at=future)
    client.force_login(content_admin)
    changelist = reverse("admin:resources_resource_changelist")
    client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [r.pk for r in [*drafts, scheduled]]},
    )
    for resource in drafts:
        resource.refresh_from_db()
        assert resource.is_live()
    scheduled.refresh_from_db()
    assert (
        scheduled.status == "published"
        and scheduled.published_at == future
        and not scheduled.is_live()
    )

    client.post(changelist, {"action": "archive_selected", "_selected_action": [drafts[0].pk]})
    drafts[0].refresh_from_db()
    assert drafts[0].status == "archived"
    assert (
        client.get(reverse("resources:detail", args=[drafts[0].slug])).status_code == 200
    )  # admins preview
    client.logout()
    assert client.get(reverse("resources:detail", args=[drafts[0].slug])).status_code == 404


def test_admin_review_overdue_filter_and_mark_reviewed(client, content_admin):
    today = timezone.localdate()
    overdue = ResourceFactory(
        title="Overdue guide", review_due_on=today - timezone.timedelta(days=1)
    )
    ResourceFactory(title="Fresh guide", review_due_on=today + timezone.timedelta(days=100))
    client.force_login(content_admin)
    changelist = reverse("admin:resources_resource_changelist")
    body = client.get(changelist, {"review": "overdue"}).content.decode()
    assert "Overdue guide" in body and "Fresh guide" not in body
    client.post(changelist, {"action": "mark_reviewed", "_selected_action": [overdue.pk]})
    overdue.refresh_from_db()
    assert overdue.last_reviewed_on == today and overdue.review_due_on > today


def test_admin_search(client, content_admin):
    ResourceFactory(title="Respite breaks")
    ResourceFactory(title="School places")
    client.force_login(content_admin)
    body = client.get(
        reverse("admin:resources_resource_changelist"), {"q": "respite"}
    ).content.decode()
    assert "Respite breaks" in body and "School places" not in body


def test_files_download_only_while_the_resource_is_visible(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    live = ResourceFactory(kind="document", file=SimpleUploadedFile("guide.pdf", PDF))
    draft = ResourceFactory(
        kind="document",
        status="draft",
        published_at=None,
        file=SimpleUploadedFile("secret.pdf", PDF),
    )
    response = client.get(reverse("resources:download", args=[live.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{live.slug}.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert client.get(reverse("resources:download", args=[draft.slug])).status_code == 404
    assert client.get(f"/media/{draft.file.name}").status_code == 404
