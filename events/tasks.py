"""Periodic event mail. Thin: find what is due, claim it, let core.tasks send it."""

from celery import shared_task

from events import services


@shared_task
def send_due_reminders() -> int:
    return services.reminders_claim_due()


@shared_task
def send_feedback_requests() -> int:
    return services.feedback_requests_claim_due()
