"""/healthz/ stays cheap: the load balancer asks every few seconds on every web process, so
the broker check keeps one Redis connection open instead of opening one per check, and
still answers 503 naming the broker when Redis is gone (test_foundation covers that one
without a Redis server)."""

import os
import socket
import threading
from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from core import health

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_broker():
    """The Celery app's broker pointed at the Redis under test, with no health-check client
    left from an earlier test. Yields a separate client to look at the server with."""
    from kinship_portal.celery import app

    url = os.environ["REDIS_URL"]
    original = app.conf.broker_url, app.conf.broker_transport
    app.conf.broker_url, app.conf.broker_transport = url, None
    _forget_clients()
    observer = redis.Redis.from_url(url)
    try:
        yield observer
    finally:
        observer.close()
        _forget_clients()
        app.conf.broker_url, app.conf.broker_transport = original


def _forget_clients() -> None:
    for client in health._clients.values():
        client.close()
    health._clients.clear()


def _health_check_connections(observer: redis.Redis) -> list[int]:
    """Ids of the connections this process's health check holds open, as Redis sees them."""
    name = f"kinship-portal-healthz-{os.getpid()}"
    return sorted(int(c["id"]) for c in observer.client_list() if c.get("name") == name)


def test_health_checks_in_a_row_share_one_broker_connection(client, redis_broker):
    assert client.get("/healthz/").status_code == 200
    first = _health_check_connections(redis_broker)
    assert len(first) == 1, f"the health check holds {len(first)} Redis connections after one check"

    for _ in range(4):
        response = client.get("/healthz/")
        assert response.status_code == 200
        assert response.json()["checks"]["broker"] == "ok"

    assert _health_check_connections(redis_broker) == first, (
        "each health check opened a Redis connection of its own instead of reusing the first"
    )


def test_health_check_reconnects_after_redis_drops_its_connection(client, redis_broker):
    """As after a Redis restart: the next check opens a new connection and still says ok,
    so the load balancer does not take a healthy web process out of service."""
    assert client.get("/healthz/").status_code == 200
    [dropped] = _health_check_connections(redis_broker)
    redis_broker.client_kill_filter(_id=dropped)

    response = client.get("/healthz/")

    assert response.status_code == 200, response.json()
    [reopened] = _health_check_connections(redis_broker)
    assert reopened != dropped


def test_health_check_names_the_broker_when_its_redis_goes_away(client, redis_broker):
    """The kept connection must not hide a Redis that has gone: each check talks to it."""
    from kinship_portal.celery import app

    with RedisInTheMiddle(os.environ["REDIS_URL"]) as proxy:
        app.conf.broker_url = proxy.url
        assert client.get("/healthz/").status_code == 200
        proxy.stop()  # Redis stops: the open connection closes, new ones are refused

        response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "unavailable"},
        "failing": ["broker"],
    }


class RedisInTheMiddle:
    """A TCP relay to the real Redis on a port of its own, which can be stopped as if Redis
    had gone: it closes every connection it carries and refuses new ones. Its threads (one
    accepting, two pumping each connection) are all finished once stop() returns."""

    def __init__(self, url: str):
        target = urlsplit(url)
        self.target = (target.hostname or "127.0.0.1", target.port or 6379)
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        self.url = urlunsplit(target._replace(netloc=f"127.0.0.1:{port}"))
        self.sockets: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while True:
            try:
                inbound, _ = self.listener.accept()
            except OSError:  # stopped
                return
            outbound = socket.create_connection(self.target)
            self.sockets += [inbound, outbound]
            for source, sink in ((inbound, outbound), (outbound, inbound)):
                pump = threading.Thread(target=self._pump, args=(source, sink), daemon=True)
                self.threads.append(pump)
                pump.start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with suppress(OSError):  # wakes the accept() (close alone would leave it listening)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self.threads:
            thread.join(timeout=5)
        assert not any(thread.is_alive() for thread in self.threads), "the relay did not stop"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
