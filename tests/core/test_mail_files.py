"""The embedded mail files keep every message whole when worker processes send at once."""

import multiprocessing

from django.core import mail
from django.test import override_settings

from tests.system.portal import read_mail_files, recipients

SENDERS = 2
EACH = 25


def _send(barrier, sender: int, backend: str) -> None:
    barrier.wait()
    for number in range(EACH):
        mail.send_mail(
            "Your place is booked",
            "Body " * 200,
            None,
            [f"carer{sender}-{number}@example.org"],
            connection=mail.get_connection(backend),
        )


def test_two_forked_workers_sending_together_lose_no_message(tmp_path):
    backend = "core.mail.MailFileBackend"
    fork = multiprocessing.get_context("fork")
    barrier = fork.Barrier(SENDERS)
    with override_settings(EMAIL_FILE_PATH=str(tmp_path)):
        senders = [fork.Process(target=_send, args=(barrier, n, backend)) for n in range(SENDERS)]
        for process in senders:
            process.start()
        for process in senders:
            process.join(30)
            assert process.exitcode == 0

    # Each connection writes a file of its own: two processes appending to one file could
    # interleave, and a message merged into another is a message lost.
    assert len(list(tmp_path.glob("*.log"))) == SENDERS * EACH
    messages = read_mail_files(tmp_path)
    addresses = sorted(address for message in messages for address in recipients(message))
    assert addresses == sorted(
        f"carer{sender}-{number}@example.org" for sender in range(SENDERS) for number in range(EACH)
    )
    assert {str(message["Subject"]) for message in messages} == {"Your place is booked"}
