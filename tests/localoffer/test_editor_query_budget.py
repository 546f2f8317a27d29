"""The editors' pages run a fixed number of queries whatever the size of the offer and its
history."""

import pytest
from django.urls import reverse

from localoffer import services
from localoffer.models import SectionKind
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority
from tests.localoffer.factories import LEEDS, LocalOfferFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Every staff page: the session (1), the user (1), their membership with school and council
# (1), their authenticator for the MFA check (1). Each test makes one request first: the
# first after signing in also writes the session.
STAFF_PAGE = 4


def _editor_and_offer(sections: int, changes: int):
    school = VirtualSchoolFactory(local_authority=local_authority(LEEDS))
    editor = StaffMembershipFactory(virtual_school=school, edits_local_offer=True).user
    give_mfa(editor)
    offer = LocalOfferFactory(local_authority=school.local_authority)
    for kind in SectionKind.values[:sections]:
        SectionFactory(offer=offer, kind=kind)
    for n in range(changes):
        services.section_save(offer=offer, kind="contacts", by=editor, body=f"Call us ({n}).")
    return editor, offer


# The offer (1), its sections (1), the last three changes (1).
@pytest.mark.parametrize(("sections", "changes"), [(1, 1), (8, 12)])
def test_manage_page(client, django_assert_num_queries, sections, changes):
    editor, offer = _editor_and_offer(sections, changes)
    client.force_login(editor)
    client.get(offer.get_editor_url())
    with django_assert_num_queries(STAFF_PAGE + 3):
        response = client.get(offer.get_editor_url())
    assert response.status_code == 200
    assert response.content.decode().count("by " + editor.get_full_name()) == min(changes, 3)


# The offer (1), the count of changes (1), a page of them (1).
@pytest.mark.parametrize("changes", [1, 25])
def test_history_page(client, django_assert_num_queries, changes):
    editor, offer = _editor_and_offer(2, changes)
    client.force_login(editor)
    url = reverse("localoffer_editor:history", args=[offer.slug])
    client.get(url)
    with django_assert_num_queries(STAFF_PAGE + 3):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("What changed: Text") == min(changes, 20)


# Saving a section: the checks (as a page), the offer (1), then in one transaction: the
# locked offer (1), the sections before (1), the section (1), its save (1), the offer's
# time (1), the sections after (1), the history (1), the council's Virtual School (1) and its
# audit entry (1), with the savepoint around them (2).
@pytest.mark.parametrize("sections", [1, 9])
def test_saving_a_section(client, django_assert_max_num_queries, sections):
    editor, offer = _editor_and_offer(sections, 0)
    client.force_login(editor)
    url = reverse("localoffer_editor:section", args=[offer.slug, "financial"])
    client.get(url)
    with django_assert_max_num_queries(STAFF_PAGE + 1 + 12):
        response = client.post(url, {"body": "New words."})
    assert response.status_code == 302
    assert offer.changes.count() == 1
