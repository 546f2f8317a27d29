"""Benchmark the weekly digest: build it for every carer, then send it with the locmem backend.

    manage.py seed_demo --scale 100      # 10,000 generated carers
    manage.py bench_digest

Reports, for the build (choosing each carer's resources and events and claiming the
notifications, in batches) and for the sending (rendering and handing each mail to the
locmem backend, as the worker does), the time taken and the number of SQL queries.
"""

import time
from unittest import mock

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from carers.models import CarerProfile
from carers.services import DIGEST_BATCH_SIZE, digests_claim_due
from core.models import Notification
from resources.models import Resource


class Command(BaseCommand):
    help = "Time and count the queries of building and sending the weekly digest for all carers."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DIGEST_BATCH_SIZE)
        parser.add_argument(
            "--send", type=int, default=None, help="Send only this many (default all)."
        )

    def handle(self, *args, batch_size: int, send: int | None, **options):
        from core.tasks import send_notification

        Notification.objects.filter(kind=Notification.Kind.DIGEST).delete()
        CarerProfile.objects.exclude(digest_frequency="never").update(digest_frequency="weekly")
        fresh = Resource.objects.live().order_by("-published_at")[:5]
        Resource.objects.filter(pk__in=[r.pk for r in fresh]).update(
            published_at=timezone.now() - timezone.timedelta(hours=6)
        )
        carers = CarerProfile.objects.filter(digest_frequency="weekly").count()

        queued: list[int] = []
        build_queries = _Counter()
        with (
            mock.patch("core.notify.queue", queued.append),
            connection.execute_wrapper(build_queries),
        ):
            start = time.perf_counter()
            stats = digests_claim_due(batch_size=batch_size)
            build_seconds = time.perf_counter() - start
        ids = list(
            Notification.objects.filter(
                kind=Notification.Kind.DIGEST, status="pending"
            ).values_list("pk", flat=True)
        )[: send or None]

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            send_queries = _Counter()
            with connection.execute_wrapper(send_queries):
                start = time.perf_counter()
                for notification_id in ids:
                    send_notification.run(notification_id)
                send_seconds = time.perf_counter() - start
            sent = len(mail.outbox)

        self.stdout.write(
            f"database: {connection.vendor}; carers wanting a weekly digest: {carers}; batch size {batch_size}\n"
            f"build: {stats['claimed']} digests claimed in {stats['batches']} batches, "
            f"{build_seconds:.2f} s, {build_queries.count} SQL queries "
            f"({build_queries.count / max(stats['batches'], 1):.1f} per batch)\n"
            f"send:  {sent} mails to the locmem backend, {send_seconds:.2f} s "
            f"({1000 * send_seconds / max(sent, 1):.1f} ms each), {send_queries.count} SQL queries "
            f"({send_queries.count / max(sent, 1):.1f} per mail)"
        )


class _Counter:
    """Counts every SQL statement (Django's own query log stops at 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
