"""The people and records the form properties start from, made once per test function."""

import datetime

import pytest

from schools.services import records as record_services
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority
from tests.properties.checks import signed_in


@pytest.fixture
def leeds(db):
    return VirtualSchoolFactory(local_authority=local_authority("E08000035"))


@pytest.fixture
def head(leeds):
    membership = StaffMembershipFactory(virtual_school=leeds, role="head")
    give_mfa(membership.user)
    return membership.user


@pytest.fixture
def head_client(head):
    return signed_in(head)


@pytest.fixture
def schools(leeds):
    """Two schools on the Virtual School's list."""
    return [
        record_services.school_save(
            virtual_school=leeds,
            name=name,
            urn=urn,
            phase="primary",
            local_authority=leeds.local_authority,
        )
        for name, urn in (("Park Primary", "107654"), ("Ysgol y Castell", ""))
    ]


@pytest.fixture
def pupil(leeds, head, schools):
    return record_services.pupil_create(
        virtual_school=leeds,
        actor=head,
        first_name="Ada",
        last_name="Okafor",
        date_of_birth=datetime.date(2015, 3, 27),
        upn="",
        school=schools[0],
        arrangement="sgo",
        previously_looked_after=False,
        send_status="none",
        social_worker_involved=False,
        notes="",
    )
