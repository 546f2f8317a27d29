"""Load generator for the benchmark: drives a running portal with Locust, one page at a time.

Runs in its own process (Locust patches the standard library with gevent) and knows
nothing about Django. It reads a JSON plan on stdin and writes JSON results on stdout:

    {"base_url": "http://127.0.0.1:8765", "users": 8, "warmup": 2, "duration": 10,
     "pages": [{"name": "home", "path": "/", "cookie": ""}, ...],
     "mixed": false}

For each page it runs `users` Locust users with no think time (each sends its next
request as soon as the last is answered), throws away the first `warmup` seconds and
reports requests per second and latency percentiles over the next `duration` seconds.

With "mixed": true it instead cycles through all the pages for `duration` seconds and
reports every request's second and outcome, for the PostgreSQL restart drill.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402 - after gevent's patching, as Locust requires
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def user_class(base_url: str, pages: list[dict]):
    class PageUser(FastHttpUser):
        host = base_url
        wait_time = constant(0)
        # Keep-alive connections, as a browser behind a proxy would have.
        network_timeout = 30.0
        connection_timeout = 10.0

        def on_start(self):
            self.turn = 0

        @task
        def get_page(self):
            page = pages[self.turn % len(pages)]
            self.turn += 1
            headers = {"Cookie": page["cookie"]} if page.get("cookie") else {}
            with self.client.get(
                page["path"],
                headers=headers,
                name=page["name"],
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    return PageUser


def run(base_url: str, pages: list[dict], users: int, seconds: float, record) -> None:
    env = Environment(user_classes=[user_class(base_url, pages)], events=events)
    listener = env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    runner.quit()
    env.events.request.remove_listener(listener)


def measure_page(plan: dict, page: dict) -> dict:
    state = {"measuring": False, "times": [], "failures": 0, "errors": {}}

    def record(response_time, exception, **kwargs):
        if not state["measuring"]:
            return
        if exception is None:
            state["times"].append(response_time)
        else:
            state["failures"] += 1
            key = str(exception)[:80]
            state["errors"][key] = state["errors"].get(key, 0) + 1

    def start_measuring():
        gevent.sleep(plan["warmup"])
        state["measuring"] = True
        state["started"] = time.perf_counter()
        gevent.sleep(plan["duration"])
        state["measuring"] = False
        state["stopped"] = time.perf_counter()

    timer = gevent.spawn(start_measuring)
    run(plan["base_url"], [page], plan["users"], plan["warmup"] + plan["duration"] + 0.2, record)
    timer.join()
    times = sorted(state["times"])
    elapsed = state["stopped"] - state["started"]
    return {
        "name": page["name"],
        "path": page["path"],
        "requests": len(times),
        "failures": state["failures"],
        "errors": state["errors"],
        "rps": len(times) / elapsed,
        "p50_ms": statistics.median(times) if times else float("nan"),
        "p95_ms": percentile(times, 0.95),
        "max_ms": times[-1] if times else float("nan"),
    }


def drill(plan: dict) -> dict:
    """Mixed traffic for `duration` seconds; every request's time (from the start) and outcome."""
    started = time.time()
    outcomes = []

    def record(response_time, exception, response=None, **kwargs):
        status = getattr(response, "status_code", None) if response is not None else None
        outcomes.append([round(time.time() - started, 3), exception is None, status])

    run(plan["base_url"], plan["pages"], plan["users"], plan["duration"], record)
    return {"started": started, "outcomes": outcomes}


def main() -> None:
    plan = json.load(sys.stdin)
    if plan.get("mixed"):
        result = drill(plan)
    else:
        result = {"pages": [measure_page(plan, page) for page in plan["pages"]]}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
