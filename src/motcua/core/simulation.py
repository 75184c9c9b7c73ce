"""What the local simulators of external services share (stdlib only): a threaded WSGI server
that does not log every request, JSON in and out, serving in a daemon thread for tests and in
the foreground for the laptop demo."""

import json
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Any]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def read_json(environ: dict[str, Any]) -> dict[str, Any] | None:
    """The request's JSON object, or None (not JSON, not an object)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def json_reply(
    start_response: StartResponse,
    status: str,
    body: dict[str, Any],
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(data))),
        *(extra or []),
    ]
    start_response(status, headers)
    return [data]


def server_for(app: WsgiApp, host: str, port: int) -> WSGIServer:
    return make_server(host, port, app, server_class=ThreadingServer, handler_class=QuietHandler)


class Served:
    """``app`` serving on ``host`` in a daemon thread until ``stop()`` (``port=0``: any free
    port; see ``base_url``)."""

    def __init__(self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.server = server_for(app, host, port)
        self.base_url = f"http://{host}:{self.server.server_port}"
        # A short poll interval keeps stop() quick; tests start and stop one per test.
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def serve_until_interrupted(app: WsgiApp, host: str, port: int, *banner: str) -> None:
    server = server_for(app, host, port)
    for line in banner:
        print(line, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
