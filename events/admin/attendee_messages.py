"""E-mailing an event's people from Django admin: write the message, check who it goes to
("Send to 12 people"), send; and what has been sent, with the notification ledger's count of
each message's e-mails. Every change goes through events.services."""

import uuid

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from events import selectors, services
from events.admin.forms import EventMessageForm
from events.models import Event

PERMISSION = "events.add_eventmessage"


def can_message(user: AbstractBaseUser) -> bool:
    return user.has_perm(PERMISSION)


def messages_sent(event: Event) -> str:
    """The event page's list of messages sent, with the link to write one (the page itself
    refuses anyone who may not send)."""
    return render_to_string(
        "admin/events/event/includes/messages_sent.html",
        {
            "sent": selectors.event_messages(event),
            "message_url": reverse("admin:events_event_message", args=[event.pk]),
        },
    )


def message_view(model_admin, request, event: Event):
    """Write (GET, or POST "continue" with errors), check (POST "continue"), change (POST
    "change") and send (POST "send"), then back here to see it in the list of messages sent."""
    if not can_message(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = EventMessageForm(
        data, event=event, sizes=selectors.audience_sizes(event), initial={"token": uuid.uuid4()}
    )
    checking = False
    if data is not None and form.is_valid():
        if "send" in data:
            try:
                _message, claimed = services.event_message_send(
                    event=event, sent_by=request.user, **form.cleaned_data
                )
            except services.BookingError as error:  # the group emptied since it was checked
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                if claimed is None:
                    messages.warning(
                        request, gettext("This message was already sent. Nobody was emailed twice.")
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "Your message is being sent to %(count)s person.",
                            "Your message is being sent to %(count)s people.",
                            claimed,
                        )
                        % {"count": claimed},
                    )
                return redirect(reverse("admin:events_event_message", args=[event.pk]) + "#sent")
        else:
            checking = "change" not in data
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        # CSS classes, as Django admin's own pages have them (kept out of the template's text).
        "body_class": f"app-{opts.app_label} model-{opts.model_name} change-form",
        "title": gettext("Email attendees"),
        "subtitle": event.title,
        "event": event,
        "form": form,
        "token": _token(form),
        "checking": checking,
        "audience_label": dict(form.fields["audience"].choices).get(form["audience"].value(), ""),
        "sent": selectors.event_messages(event),
        "attendees_url": reverse("admin:events_event_attendees", args=[event.pk]),
        "has_view_permission": True,
    }
    return TemplateResponse(request, "admin/events/event/message.html", context)


def _token(form: EventMessageForm) -> str:
    """The token the page carries on: the form's own, or a new one in place of a missing or
    broken one (its error asks for the form to be sent again)."""
    try:
        return str(uuid.UUID(str(form["token"].value())))
    except ValueError:
        return str(uuid.uuid4())
