"""Staff record that a pupil has left; the record then leaves the everyday lists but can still be
found, and the retention schedule counts from the leaving date."""

import pytest
from django.urls import reverse

from schools.models import KinshipPupil
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _edit(client, pupil, **changes):
    from schools.forms.records import PupilForm

    data = {}
    for name, value in PupilForm.initial_for(pupil).items():
        if name in ("date_of_birth", "left_on"):
            if value:
                data |= {
                    f"{name}_day": value.day,
                    f"{name}_month": value.month,
                    f"{name}_year": value.year,
                }
        elif name == "school":
            data[name] = value.pk if value else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data |= changes
    return client.post(reverse("schools:pupil_edit", args=[pupil.pk]), data)


def test_a_pupil_marked_as_left_drops_out_of_the_list_but_can_be_found(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    pupil = leeds["pupil"]
    client.force_login(leeds["officer"])
    response = _edit(
        client, pupil, left_on_day="20", left_on_month="7", left_on_year="2026", left_reason="moved"
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (str(pupil.left_on), pupil.left_reason) == ("2026-07-20", "moved")

    listed = client.get(reverse("schools:pupils")).content.decode()
    assert reverse("schools:pupil_detail", args=[pupil.pk]) not in listed
    only_left = client.get(reverse("schools:pupils") + "?left=only").content.decode()
    assert reverse("schools:pupil_detail", args=[pupil.pk]) in only_left
    page = client.get(reverse("schools:pupil_detail", args=[pupil.pk])).content.decode()
    assert "20 July 2026: Moved to another council" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"left_on_day": "20", "left_on_month": "7", "left_on_year": "2026"},
            "left_reason",
            "Choose why they left",
        ),
        ({"left_reason": "moved"}, "left_on", "Enter the date they left"),
        (
            {
                "left_on_day": "1",
                "left_on_month": "1",
                "left_on_year": "2099",
                "left_reason": "moved",
            },
            "left_on",
            "Date they left must be today or in the past",
        ),
    ],
)
def test_leaving_needs_a_date_and_a_reason(client, two_authorities, changes, field, message):  # noqa: F811
    leeds, _ = two_authorities
    client.force_login(leeds["officer"])
    response = _edit(client, leeds["pupil"], **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).left_on is None  # nothing half saved


def test_the_database_refuses_a_leaving_date_without_a_reason(two_authorities):  # noqa: F811
    from django.db import IntegrityError, transaction

    pupil = two_authorities[0]["pupil"]
    with pytest.raises(IntegrityError), transaction.atomic():
        KinshipPupil.objects.filter(pk=pupil.pk).update(left_on="2026-07-20")
    with pytest.raises(IntegrityError), transaction.atomic():
        KinshipPupil.objects.filter(pk=pupil.pk).update(left_reason="moved")
