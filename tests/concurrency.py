"""Real concurrency for tests: threads, each with its own database connection, released
together by a barrier."""

import threading

from django.db import connection


def run_together(work, items) -> list[Exception]:
    """Run `work(item)` for every item in its own thread, all starting at once; the errors
    raised, for the test to judge. Each thread closes its connection when done."""
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
    assert not any(thread.is_alive() for thread in threads)
    return errors
