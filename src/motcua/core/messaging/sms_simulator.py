"""A local stand-in for eSMS.vn's send endpoint, for tests and offline demos (stdlib only).

It answers like the real service: HTTP 200 with a JSON ``CodeResult`` ("100" accepted, "101"
wrong keys, "104" unknown brandname, "108" bad phone, "118" unsupported SmsType, "124" repeated
RequestId). ``fail_next`` makes the next requests fail as an outage would (HTTP 503, or
CodeResult "99"), so that retry logic can be tested over real HTTP.

    python -m motcua.core.messaging.sms_simulator --port 8766
"""

import argparse
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from ..simulation import Served, StartResponse, json_reply, read_json, serve_until_interrupted

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
FAILURE_MODES = ("503", "99")
# eSMS takes national (0xxxxxxxxx) and international (84xxxxxxxxx) mobile numbers.
PHONE = re.compile(r"(?:0|84)[35789]\d{8}", re.ASCII)


class SmsSimulator:
    """The WSGI app; ``messages`` holds every accepted request body plus its ``SMSID``."""

    def __init__(self, api_key: str, secret_key: str, brandname: str) -> None:
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.messages: list[dict[str, Any]] = []
        self.on_accept: Callable[[dict[str, Any]], None] | None = None
        self._by_request: dict[str, str] = {}
        self._failures: list[str] = []
        self._lock = threading.Lock()

    def fail_next(self, n: int, mode: str = "503") -> None:
        """Fail the next ``n`` requests: "503" (HTTP 503) or "99" (CodeResult 99)."""
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}, not {mode!r}")
        with self._lock:
            self._failures = [mode] * n

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").rstrip("/") != SEND_PATH.rstrip("/"):
            return json_reply(start_response, "404 Not Found", {"error": "Not found"})
        if environ["REQUEST_METHOD"] != "POST":
            return json_reply(start_response, "405 Method Not Allowed", {"error": "POST only"})
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure == "503":
            return json_reply(start_response, "503 Service Unavailable", {"error": "Unavailable"})
        if failure == "99":
            return json_reply(start_response, "200 OK", _result("99", "Simulated failure"))
        body = read_json(environ)
        if body is None:
            return json_reply(start_response, "400 Bad Request", {"error": "Invalid request"})
        return json_reply(start_response, "200 OK", self.handle(body))

    def handle(self, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON answer to one send request."""
        if (body.get("ApiKey"), body.get("SecretKey")) != (self.api_key, self.secret_key):
            return _result("101", "Authorize Failed")
        if str(body.get("SmsType")) != "2":
            return _result("118", "SmsType not supported")
        if body.get("Brandname") != self.brandname:
            return _result("104", "Brand name code is not exist")
        if not PHONE.fullmatch(str(body.get("Phone", ""))):
            return _result("108", "Phone number is not valid")
        return self._accept(body)

    def _accept(self, body: dict[str, Any]) -> dict[str, Any]:
        request_id = str(body.get("RequestId") or "")
        with self._lock:
            if request_id and request_id in self._by_request:
                return _result("124", "Request exist", self._by_request[request_id])
            sms_id = uuid.uuid4().hex
            if request_id:
                self._by_request[request_id] = sms_id
            message = {**body, "SMSID": sms_id}
            self.messages.append(message)
        if self.on_accept:
            self.on_accept(message)
        return _result("100", "", sms_id)


def _result(code: str, error: str, sms_id: str = "") -> dict[str, Any]:
    result: dict[str, Any] = {"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": error}
    if sms_id:
        result["SMSID"] = sms_id
    return result


class RunningSimulator(Served):
    """A simulator serving on 127.0.0.1 in a daemon thread until ``stop()``."""

    app: SmsSimulator

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.app.messages

    def fail_next(self, n: int, mode: str = "503") -> None:
        self.app.fail_next(n, mode)


def start_sms_simulator(
    api_key: str, secret_key: str, brandname: str, port: int = 0
) -> RunningSimulator:
    """Start a simulator on 127.0.0.1 (``port=0``: any free port; see ``.base_url``)."""
    return RunningSimulator(SmsSimulator(api_key, secret_key, brandname), port=port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local eSMS.vn simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--api-key", default="demo-key")
    parser.add_argument("--secret-key", default="demo-secret")
    parser.add_argument("--brandname", default="MOTCUA")
    args = parser.parse_args(argv)
    app = SmsSimulator(args.api_key, args.secret_key, args.brandname)
    app.on_accept = lambda message: print(f"SMS to {message['Phone']}: {message['Content']}")
    serve_until_interrupted(
        app,
        args.host,
        args.port,
        f"eSMS simulator on http://{args.host}:{args.port}{SEND_PATH}",
        f"MOTCUA_SMS_BACKEND=esms MOTCUA_SMS_URL=http://{args.host}:{args.port} "
        f"MOTCUA_SMS_API_KEY={args.api_key} MOTCUA_SMS_SECRET_KEY={args.secret_key} "
        f"MOTCUA_SMS_BRANDNAME={args.brandname}",
    )


if __name__ == "__main__":
    main()
