"""The audit log: who viewed, changed, exported or imported pupil data. Every service that
does one of those writes its row through audit_record."""

from schools.models import AuditEntry, KinshipPupil


def audit_record(
    *, actor, virtual_school, action: str, obj=None, object_type: str = "", summary: str
) -> AuditEntry:
    """Write one audit entry. Services call this for every view, change, export and import."""
    return AuditEntry.objects.create(
        virtual_school=virtual_school,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(actor.get_full_name() or actor.email)
        if getattr(actor, "pk", None)
        else "System",
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else ""),
        object_id=getattr(obj, "pk", None),
        summary=summary[:300],
    )


def pupil_viewed(*, pupil: KinshipPupil, actor) -> None:
    audit_record(
        actor=actor,
        virtual_school=pupil.virtual_school,
        action=AuditEntry.Action.VIEW,
        obj=pupil,
        summary=f"Viewed {pupil}",
    )


def page_viewed(*, virtual_school, actor, summary: str, obj=None) -> None:
    """A page that shows children's details (a list, the staff home, an edit form) was opened."""
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.VIEW,
        obj=obj,
        object_type="" if obj is not None else "KinshipPupil",
        summary=summary,
    )


def pupils_exported(*, virtual_school, actor, count: int, what: str) -> None:
    audit_record(
        actor=actor,
        virtual_school=virtual_school,
        action=AuditEntry.Action.EXPORT,
        object_type="KinshipPupil",
        summary=f"Exported {what} ({count} rows)",
    )
