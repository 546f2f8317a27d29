"""Content admins: a group with exactly what curators curate.

They look after the resource library, the councils' kinship local offers and the support
groups directory, the "What help can I get?" rules, events and their bookings, and can see
and retry the mail ledger. They see nothing that holds children's or staff data: no pupils,
reviews, audit log, carer profiles, children, user accounts or team memberships.
A superuser is an operator made with `manage.py createsuperuser`, not a role.
"""

from django.contrib.auth.models import Group, Permission

CONTENT_ADMINS = "Content admins"

# app label -> model -> actions
PERMISSIONS = {
    "resources": {
        "topic": ["add", "change", "delete", "view"],
        "resource": ["add", "change", "delete", "view"],
        "resourcefeedback": ["view"],
        "entitlement": ["add", "change", "delete", "view"],
        "entitlementrule": ["add", "change", "delete", "view"],
        "searchsynonym": ["add", "change", "delete", "view"],
        "bestbet": ["add", "change", "delete", "view"],
        "searchcount": ["view"],  # counts go only by the retention schedule
    },
    "events": {
        "event": ["add", "change", "delete", "view"],
        "booking": ["add", "change", "view"],  # through the event tools and booking actions
        "eventfeedback": ["view"],
        "eventmessage": ["add"],  # e-mail an event's people (what was sent: on the event)
        "eventmaterial": ["add", "change", "delete", "view"],  # recordings and materials
        "eventseries": ["change", "view"],  # made by "Repeat this event"
        "eventsession": ["add", "change", "delete", "view"],  # a course's sessions
    },
    "localoffer": {
        "localoffer": ["add", "change", "delete", "view"],  # any council's
        "localoffersection": ["add", "change", "delete", "view"],
        "supportgroup": ["add", "change", "delete", "view"],
        "localofferchange": ["view"],  # each offer's history, written for them on save
    },
    "core": {"notification": ["view"]},  # the ledger; "Send again" is its action
    # Which council a resource or event is for (the autocomplete reads these).
    "schools": {"localauthority": ["view"]},
}


def content_admin_group_sync() -> Group:
    """Make the group hold exactly PERMISSIONS. Run after every migrate (accounts.receivers)."""
    group, _ = Group.objects.get_or_create(name=CONTENT_ADMINS)
    names = {
        (app, f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }
    wanted = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app for app, _ in names}
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in names
    ]
    if len(wanted) != len(names):  # a model was renamed: fail loudly, not with fewer rights
        found = {(p.content_type.app_label, p.codename) for p in wanted}
        raise LookupError(f"Permissions not found: {sorted(names - found)}")
    group.permissions.set(wanted)
    return group
