"""Changing a council's local offer: by its own editors (the Virtual School's pages) and by
content admins (Django admin). Every change goes through `changing`, which locks the offer,
compares it before and after, and writes what changed to the offer's history and to the
Virtual School's audit log, so an offer cannot change without a record of who and what."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from localoffer.models import LocalOffer, LocalOfferChange, LocalOfferSection, SectionKind
from schools.models import AuditEntry, VirtualSchool
from schools.services.audit import audit_record

DETAILS_FIELDS = ("intro", "intro_cy", "last_reviewed_on", "review_due_on")
SECTION_FIELDS = ("body", "body_cy", "link_url", "link_text", "link_text_cy")

Snapshot = dict[str, dict[str, str]]


class LocalOfferError(Exception):
    """A change that cannot be made; the message is for the person who tried."""


def _values(obj, fields) -> dict[str, str]:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = (
            ""
            if value is None
            else (value.isoformat() if hasattr(value, "isoformat") else str(value))
        )
    return values


def snapshot(offer: LocalOffer) -> Snapshot:
    """The offer as its history compares it: its details, its status and each section it
    has (a section it does not have is absent). One query for the sections."""
    parts = {
        LocalOfferChange.DETAILS: _values(offer, DETAILS_FIELDS),
        LocalOfferChange.STATUS: {"status": offer.status},
    }
    for section in LocalOfferSection.objects.filter(offer_id=offer.pk):
        parts[section.kind] = _values(section, SECTION_FIELDS)
    return parts


def _field_changes(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"field": name, "before": before.get(name, ""), "after": after.get(name, "")}
        for name in dict.fromkeys([*before, *after])
        if before.get(name, "") != after.get(name, "")
    ]


def _part_order(part: str) -> int:
    order = [LocalOfferChange.STATUS, LocalOfferChange.DETAILS, *SectionKind.values]
    return order.index(part) if part in order else len(order)


def differences(before: Snapshot | None, after: Snapshot) -> list[tuple[str, str, list]]:
    """(part, action, field changes) for each part that differs. `before` is None for an offer
    that did not exist."""
    if before is None:
        return [(LocalOfferChange.DETAILS, LocalOfferChange.Action.CREATED, [])]
    found = []
    for part in sorted(set(before) | set(after), key=_part_order):
        old, new = before.get(part), after.get(part)
        if part == LocalOfferChange.STATUS:
            if old != new:
                published = new["status"] == LocalOffer.Status.PUBLISHED
                action = (
                    LocalOfferChange.Action.PUBLISHED
                    if published
                    else LocalOfferChange.Action.UNPUBLISHED
                )
                found.append((part, action, []))
        elif old is None:
            found.append((part, LocalOfferChange.Action.ADDED, _field_changes({}, new)))
        elif new is None:
            found.append((part, LocalOfferChange.Action.REMOVED, _field_changes(old, {})))
        elif changes := _field_changes(old, new):
            found.append((part, LocalOfferChange.Action.CHANGED, changes))
    return found


AUDIT_ACTIONS = {
    LocalOfferChange.Action.CREATED: AuditEntry.Action.CREATE,
    LocalOfferChange.Action.ADDED: AuditEntry.Action.CREATE,
    LocalOfferChange.Action.REMOVED: AuditEntry.Action.DELETE,
}


def record_changes(*, offer: LocalOffer, by, before: Snapshot | None, after: Snapshot) -> int:
    """Write one history row per changed part, and the same to the council's Virtual School
    audit log (if it has one). Returns how many parts changed."""
    found = differences(before, after)
    if not found:
        return 0
    label = (by.get_full_name() or by.email) if getattr(by, "pk", None) else "System"
    LocalOfferChange.objects.bulk_create(
        LocalOfferChange(
            offer=offer,
            changed_by=by if getattr(by, "pk", None) else None,
            changed_by_label=label,
            part=part,
            action=action,
            changes=changes,
        )
        for part, action, changes in found
    )
    school = VirtualSchool.objects.filter(local_authority_id=offer.local_authority_id).first()
    if school is not None:
        for part, action, _changes in found:
            audit_record(
                actor=by,
                virtual_school=school,
                action=AUDIT_ACTIONS.get(action, AuditEntry.Action.UPDATE),
                obj=offer,
                summary=f"Local offer: {LocalOfferChange.Action(action).name.lower()} {part}",
            )
    return len(found)


@contextmanager
def changing(offer: LocalOffer, *, by) -> Iterator[LocalOffer]:
    """Change an offer inside a transaction that holds its row, then record what changed.
    Two editors saving at once take turns, and each history row compares with what the
    other saved."""
    with transaction.atomic():
        locked = LocalOffer.objects.select_for_update().get(pk=offer.pk)
        before = snapshot(locked)
        yield locked
        record_changes(offer=locked, by=by, before=before, after=snapshot(locked))


def offer_start(*, local_authority, by) -> LocalOffer:
    """A draft offer for this council, or the one it already has."""
    with transaction.atomic():
        offer, created = LocalOffer.objects.get_or_create(local_authority=local_authority)
        if created:
            record_changes(offer=offer, by=by, before=None, after=snapshot(offer))
    return offer


def offer_details_update(*, offer: LocalOffer, by, **values) -> LocalOffer:
    unknown = set(values) - set(DETAILS_FIELDS)
    if unknown:
        raise TypeError(f"Not an offer detail: {', '.join(sorted(unknown))}")
    with changing(offer, by=by) as locked:
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def offer_status_set(*, offer: LocalOffer, by, status: str) -> LocalOffer:
    with changing(offer, by=by) as locked:
        if status == LocalOffer.Status.PUBLISHED and not locked.sections.exists():
            raise LocalOfferError(_("Write at least one section before you publish the offer"))
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    return locked


def section_save(*, offer: LocalOffer, kind: str, by, **values) -> LocalOfferSection:
    """Write one section of the offer, adding it if the offer does not have it yet."""
    if kind not in SectionKind.values:
        raise ValueError(f"Not a section: {kind}")
    unknown = set(values) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"Not a section field: {', '.join(sorted(unknown))}")
    with changing(offer, by=by) as locked:
        section = LocalOfferSection.objects.filter(offer=locked, kind=kind).first()
        section = section or LocalOfferSection(offer=locked, kind=kind)
        for name, value in values.items():
            setattr(section, name, value)
        section.save()
        locked.save(update_fields=["updated_at"])
    return section


def section_remove(*, offer: LocalOffer, kind: str, by) -> None:
    with changing(offer, by=by) as locked:
        LocalOfferSection.objects.filter(offer=locked, kind=kind).delete()
        if locked.is_published and not locked.sections.exists():
            raise LocalOfferError(
                _("A published offer must keep at least one section. Unpublish it first.")
            )
        locked.save(update_fields=["updated_at"])
