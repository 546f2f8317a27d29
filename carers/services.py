from django.db import transaction
from django.utils import timezone

from accounts.models import User
from carers.models import CarerProfile, Child, ConsentEvent

CONSENT_STATEMENT = (
    "I agree that the Virtual School for my local authority can see {child}'s first name, "
    "year of birth, school year and school, so that they can support {child}'s education. "
    "I can withdraw this at any time."
)


class CarerError(Exception):
    """A carer operation is not allowed; the message says why, for the carer."""


def carer_profile_get_or_create(*, user: User) -> CarerProfile:
    profile, _ = CarerProfile.objects.select_related(
        "local_authority__virtual_school"
    ).get_or_create(user=user)
    profile.user = user  # reuse the signed-in user rather than load it again
    return profile


@transaction.atomic
def carer_profile_update(
    *,
    profile: CarerProfile,
    first_name: str,
    last_name: str,
    local_authority,
    relationship: str,
    arrangement: str,
    topics,
    digest_frequency: str,
    reminders_enabled: bool | None = None,
) -> CarerProfile:
    """Save the carer's profile. The first complete save finishes onboarding."""
    user = profile.user
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile.local_authority = local_authority
    profile.relationship = relationship
    profile.arrangement = arrangement
    profile.digest_frequency = digest_frequency
    if reminders_enabled is not None:
        profile.reminders_enabled = reminders_enabled
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
    profile.save()
    profile.topics.set(topics)
    return profile


def _child_fields(child: Child, *, first_name, year_of_birth, school_year, school_name) -> None:
    child.first_name = first_name.strip()
    child.year_of_birth = year_of_birth
    child.school_year = school_year or ""
    child.school_name = (school_name or "").strip()


@transaction.atomic
def child_create(
    *,
    profile: CarerProfile,
    first_name: str,
    year_of_birth: int | None,
    school_year: str,
    school_name: str = "",
    share_with_virtual_school: bool = False,
) -> Child:
    child = Child(carer=profile)
    _child_fields(
        child,
        first_name=first_name,
        year_of_birth=year_of_birth,
        school_year=school_year,
        school_name=school_name,
    )
    child.save()
    if share_with_virtual_school:
        child_consent_give(child=child, by=profile.user)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    first_name: str,
    year_of_birth: int | None,
    school_year: str,
    school_name: str = "",
) -> Child:
    _child_fields(
        child,
        first_name=first_name,
        year_of_birth=year_of_birth,
        school_year=school_year,
        school_name=school_name,
    )
    child.save()
    return child


@transaction.atomic
def child_delete(*, child: Child) -> None:
    child.delete()


@transaction.atomic
def child_consent_give(*, child: Child, by: User) -> Child:
    """Record that the carer lets their Virtual School see this child's details."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.shares_with_virtual_school:
        return child
    child.shares_with_virtual_school = True
    child.save(update_fields=["shares_with_virtual_school", "updated_at"])
    ConsentEvent.objects.create(
        child=child,
        action=ConsentEvent.Action.GIVEN,
        recorded_by=by,
        statement=CONSENT_STATEMENT.format(child=child.first_name),
    )
    return child


@transaction.atomic
def child_consent_withdraw(*, child: Child, by: User) -> Child:
    """Stop sharing this child's details with the Virtual School, from now on."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not child.shares_with_virtual_school:
        return child
    child.shares_with_virtual_school = False
    child.save(update_fields=["shares_with_virtual_school", "updated_at"])
    ConsentEvent.objects.create(
        child=child,
        action=ConsentEvent.Action.WITHDRAWN,
        recorded_by=by,
        statement=CONSENT_STATEMENT.format(child=child.first_name),
    )
    return child


@transaction.atomic
def calendar_token_reset(*, profile: CarerProfile) -> str:
    """A new private calendar feed address; the old one stops working at once."""
    import secrets

    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["calendar_token", "updated_at"])
    return profile.calendar_token


@transaction.atomic
def carer_delete(*, user: User) -> None:
    """Remove the carer's account and every piece of personal data held about them.

    The profile, children, consent records, email addresses, MFA devices and
    sessions go with the account (they cascade or are deleted here).
    """
    from django.contrib.sessions.models import Session

    if not user.is_carer:
        raise CarerError("Staff accounts are closed by a content admin, not from the profile page.")
    user_pk = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_pk:
            session.delete()
    user.delete()
