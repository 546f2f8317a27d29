from celery import shared_task

from portal.retention import retention_apply


@shared_task
def apply_retention_schedule() -> dict:
    """Nightly: delete or anonymise what the retention schedule no longer keeps."""
    return retention_apply()
