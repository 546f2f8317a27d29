from celery import shared_task

from carers import services


@shared_task
def send_due_digests() -> dict:
    return services.digests_claim_due()
