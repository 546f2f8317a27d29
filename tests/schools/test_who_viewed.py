"""Every page that shows a child's details says who opened it in the audit log, and every
change is recorded (security review, 30 November 2026, finding 9)."""

import pytest
from django.urls import reverse

from schools.models import AuditEntry
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _new_entries(client, url, *, method="get", data=None):
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return list(AuditEntry.objects.exclude(pk__in=before))


def test_pages_showing_childrens_details_are_audited(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    officer, pupil = leeds["officer"], leeds["pupil"]
    client.force_login(officer)
    pages = {
        reverse("schools:home"): "staff home",
        reverse("schools:pupils") + "?q=ada": "pupil list (q=ada)",
        reverse("schools:pupil_edit", args=[pupil.pk]): f"Opened {pupil}'s record",
        reverse("schools:pupil_link", args=[pupil.pk]): str(pupil),
        reverse("schools:review_add", args=[pupil.pk]): f"new termly review for {pupil}",
        reverse("schools:review_edit", args=[leeds["review"].pk]): str(pupil),
        reverse("schools:liaison"): "liaison log",
        reverse("schools:liaison_edit", args=[leeds["liaison"].pk]): "liaison record",
        reverse("schools:liaison_done", args=[leeds["liaison"].pk]): "follow-up",
    }
    for url, words in pages.items():
        [entry] = _new_entries(client, url)
        assert (entry.action, entry.actor, entry.virtual_school) == (
            "view",
            officer,
            leeds["vs"],
        ), url
        assert words in entry.summary, (url, entry.summary)


def test_marking_a_follow_up_done_and_changing_a_school_are_recorded(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    client.force_login(leeds["officer"])
    [done] = _new_entries(
        client, reverse("schools:liaison_done", args=[leeds["liaison"].pk]), method="post"
    )
    assert done.action == "update" and "follow-up done" in done.summary
    assert done.object_id == leeds["liaison"].pk

    school = leeds["school"]
    [changed] = _new_entries(
        client,
        reverse("schools:school_edit", args=[school.pk]),
        method="post",
        data={
            "name": "Roundhay All Through School",
            "urn": school.urn,
            "phase": school.phase,
            "local_authority": school.local_authority_id,
            "designated_teacher_name": "Ms Patel",
            "designated_teacher_email": "patel@roundhay.example",
        },
    )
    assert changed.action == "update" and "Roundhay All Through School" in changed.summary
    assert changed.actor == leeds["officer"]
