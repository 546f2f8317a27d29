"""What /healthz/ checks: the database answers, and the Celery broker can take a task.

A load balancer asks every few seconds, on every web process, so a check must cost little.
The database check runs on the request's own (persistent) connection. The broker check,
on Redis, sends one PING over a connection this process keeps open between checks: opening
a new one each time (connect, PING, HELLO, SELECT, PING, close) had each check cost a Redis
connection and several round trips. A connection Redis has dropped (a restart, an idle
timeout) is opened again at once, once; a Redis that does not answer fails the check
after two tries of at most BROKER_TIMEOUT seconds each, never after a series of retries.

Other broker URLs are checked as before: the embedded file broker by whether its folder
can be written to, anything else by a kombu connection opened for the check.
"""

import os
import threading
from urllib.parse import urlsplit

import redis
from django.db import connection
from redis.backoff import NoBackoff
from redis.retry import Retry

BROKER_TIMEOUT = 2  # seconds, to connect and for an answer
# URLs that redis-py reads as kombu does; others (sentinel://, amqp://) go through kombu.
REDIS_SCHEMES = ("redis", "rediss")

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    from celery import current_app

    url = current_app.conf.broker_url or ""
    if urlsplit(url).scheme in REDIS_SCHEMES:
        broker_client(url).ping()
        return
    with current_app.connection_for_write() as conn:
        if conn.transport.driver_type == "filesystem":  # kombu's, or core.broker's
            # The embedded broker is a folder: "reachable" means we can write to it.
            folder = conn.transport_options["data_folder_out"]
            if not os.access(folder, os.W_OK):
                raise OSError(f"Cannot write to the broker folder {folder}")
            return
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)


def broker_client(url: str) -> redis.Redis:
    """This process's client for the broker's Redis. Its pool keeps the connection open from
    one check to the next (and opens a new one in a forked child: redis-py checks the pid)."""
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            for old in _clients.values():  # the broker URL changed (a test): let the old go
                old.close()
            _clients.clear()
            client = _clients[url] = redis.Redis.from_url(
                url,
                socket_connect_timeout=BROKER_TIMEOUT,
                socket_timeout=BROKER_TIMEOUT,
                # One immediate retry: a connection Redis dropped since the last check is
                # opened again, while a Redis that is down fails the check at once.
                retry=Retry(NoBackoff(), retries=1),
                # So an operator can tell it apart in CLIENT LIST.
                client_name=f"kinship-portal-healthz-{os.getpid()}",
            )
        return client
