from celery import shared_task

from schools import services


@shared_task
def send_staff_summaries() -> int:
    """Each member of Virtual School staff gets one morning summary a day, if anything needs them."""
    return services.staff_summaries_claim_due()
