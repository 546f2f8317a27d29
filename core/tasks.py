from celery import shared_task

from core.mail import deliver


@shared_task(
    bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=8
)
def send_email(self, message: dict) -> None:
    deliver(message)
