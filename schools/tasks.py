from celery import shared_task

from schools.services.staff import staff_summaries_claim_due


@shared_task
def send_staff_summaries() -> int:
    """Each member of Virtual School staff gets one morning summary a day, if anything needs them."""
    return staff_summaries_claim_due()
