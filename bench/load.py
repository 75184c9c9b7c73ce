"""A small closed-loop HTTP load generator: N clients, each on its own keep-alive connection."""

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=20)[18]


# One request: (connection, client number, request number) -> the response status.
Send = Callable[[http.client.HTTPConnection, int, int], int]


def _closed_loop(port: int, clients: int, per_client: int, send: Send, expect: int) -> Result:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for request in range(per_client):
            start = time.perf_counter()
            status = send(conn, number, request)
            mine.append((time.perf_counter() - start) * 1000)
            if status != expect:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(len(latencies), time.perf_counter() - started, latencies, errors[0])


def run(port: int, path: str, body: dict, headers: dict[str, str], clients: int,
        per_client: int, expect: int = 201) -> Result:  # fmt: skip
    """POST ``body`` as JSON to ``path``."""
    payload = json.dumps(body).encode()

    def send(conn: http.client.HTTPConnection, client: int, request: int) -> int:
        conn.request("POST", path, payload, {"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        response.read()
        return response.status

    return _closed_loop(port, clients, per_client, send, expect)


def run_get(port: int, path: str, clients: int, per_client: int,
            agent: Callable[[int, int], str], expect: int = 200) -> Result:  # fmt: skip
    """GET ``path``: client c's request r carries the browser string ``agent(c, r)``."""

    def send(conn: http.client.HTTPConnection, client: int, request: int) -> int:
        conn.request("GET", path, headers={"User-Agent": agent(client, request)})
        response = conn.getresponse()
        response.read()
        return response.status

    return _closed_loop(port, clients, per_client, send, expect)
