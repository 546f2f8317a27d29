"""Real concurrency for tests: threads, each with its own database connection, released
together by a barrier."""

import threading
from contextlib import contextmanager
from unittest import mock

from django.db import connection
from django.db.models import Model


def run_together(work, items) -> list[Exception]:
    """Run `work(item)` for every item in its own thread, all starting at once; the errors
    raised, for the test to judge. Each thread closes its connection when done. Fails the
    test if a thread has not finished within a minute."""
    barrier = threading.Barrier(len(items))
    errors: list[Exception] = []

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return errors


@contextmanager
def saves_held_together(model: type[Model], threads: int = 2):
    """Every save of `model` waits until `threads` threads are saving one. Saved after a
    service's duplicate check, this holds each thread past the check until all are there:
    each has passed it and none has inserted, which is exactly when a unique constraint
    must decide. Yields the names of the threads that got there; the test checks that all
    did (a thread refused by the check never arrives, and the others stop waiting after
    10 seconds with BrokenBarrierError)."""
    barrier = threading.Barrier(threads)
    arrived: list[str] = []
    save = model.save

    def held_save(self, *args, **kwargs):
        arrived.append(threading.current_thread().name)
        barrier.wait(timeout=10)
        return save(self, *args, **kwargs)

    with mock.patch.object(model, "save", held_save):
        yield arrived
