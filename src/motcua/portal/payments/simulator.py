"""A local stand-in for the VNPAY gateway, for tests and the offline demo.

It plays the gateway's side of protocol 2.1.0 with the same checks and signatures as
``vnpay``: it refuses a payment URL from an unknown terminal (code 71), with a bad signature
(code 70) or malformed fields (code 03); shows the citizen a confirmation page; then, like the
real gateway, notifies the merchant's IPN URL server-to-server *before* sending the browser
back to ``vnp_ReturnUrl`` with the same signed result. Every IPN call and reply is kept in
``ipn_log`` so tests can replay one or send a tampered one.

Standard library only (wsgiref), so it runs without Django::

    python -m motcua.portal.payments.simulator --port 8765 --tmn-code MOTCUA01 \\
        --secret SECRET --ipn-url http://127.0.0.1:8000/cong-dan/thanh-toan/ipn/
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from motcua.portal.payments import vnpay

PAY_PATH = "/paymentv2/vpcpay.html"
CONFIRM_PATH = "/paymentv2/confirm"
IPN_TIMEOUT_SECONDS = 10
MAX_BODY_BYTES = 64 * 1024
SIMULATED_BANK = "NCB"

# Codes the gateway shows on its own error page (not sent to the merchant).
ERROR_FORMAT = ("03", "Dữ liệu gửi sang không đúng định dạng")
ERROR_SIGNATURE = ("70", "Sai chữ ký")
ERROR_TERMINAL = ("71", "Website chưa được phê duyệt")
ERROR_DUPLICATE = ("94", "Giao dịch đã được xử lý")

_REQUIRED_FIELDS = {
    "vnp_Version": re.compile(r"2\.1\.0"),
    "vnp_Command": re.compile(r"pay"),
    "vnp_TmnCode": re.compile(r"[A-Za-z0-9]{1,8}"),
    "vnp_Amount": re.compile(r"[1-9][0-9]{0,9}00"),  # whole đồng, Numeric[1,12]
    "vnp_CurrCode": re.compile(r"VND"),
    "vnp_TxnRef": re.compile(r"[A-Za-z0-9_.\-]{1,100}"),
    "vnp_OrderInfo": re.compile(r".{1,255}", re.DOTALL),
    "vnp_Locale": re.compile(r"vn|en"),
    "vnp_ReturnUrl": re.compile(r"https?://\S{1,247}"),
    "vnp_IpAddr": re.compile(r"[0-9A-Fa-f:.]{2,45}"),
    "vnp_CreateDate": re.compile(r"[0-9]{14}"),
}
_OPTIONAL_FIELDS = {
    "vnp_ExpireDate": re.compile(r"[0-9]{14}"),
    "vnp_BankCode": re.compile(r"[A-Za-z0-9]{3,20}"),
    "vnp_OrderType": re.compile(r"[A-Za-z0-9_]{1,100}"),
}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True)
class Merchant:
    secret: str = field(repr=False)
    ipn_url: str


@dataclass(frozen=True)
class IpnCall:
    """One server-to-server notification and what the merchant answered."""

    url: str
    params: dict[str, str]
    status: int  # HTTP status; 0 when the merchant could not be reached
    reply: dict[str, Any]  # the merchant's JSON answer; {} when there was none


class RequestRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def format_vnd(amount_vnd: int) -> str:
    """150000 -> '150.000 đ', the Vietnamese grouping."""
    return f"{amount_vnd:,}".replace(",", ".") + " đ"


def _page(title: str, body: str) -> bytes:
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – Cổng thanh toán mô phỏng</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #1a1a1a; background: #ffffff;
  margin: 0; line-height: 1.5; }}
main {{ max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }}
dt {{ font-weight: 600; }}
dd {{ margin: 0; }}
.actions {{ display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 1.5rem; }}
button {{ font: inherit; padding: .6rem 1.2rem; border-radius: .25rem; cursor: pointer;
  border: 2px solid #0b4f8a; }}
.pay {{ background: #0b4f8a; color: #ffffff; }}
.cancel {{ background: #ffffff; color: #0b4f8a; }}
button:focus-visible {{ outline: 3px solid #b35900; outline-offset: 2px; }}
.note {{ color: #404040; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
""".encode()


def _confirm_page(params: Mapping[str, str], raw_query: str) -> bytes:
    amount = vnpay.amount_from_gateway(params["vnp_Amount"])
    rows = [
        ("Đơn vị nhận tiền", params["vnp_TmnCode"]),
        ("Nội dung thanh toán", params["vnp_OrderInfo"]),
        ("Mã tham chiếu", params["vnp_TxnRef"]),
        ("Số tiền", format_vnd(amount)),
    ]
    details = "\n".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>" for label, value in rows
    )
    body = f"""<h1 id="title">Xác nhận thanh toán</h1>
<p class="note">Cổng thanh toán mô phỏng dùng cho kiểm thử: không có tiền thật được chuyển.</p>
<dl>
{details}
</dl>
<form method="post" action="confirm" aria-labelledby="title">
<input type="hidden" name="query" value="{html.escape(raw_query, quote=True)}">
<div class="actions">
<button type="submit" class="pay" name="action" value="pay">Thanh toán</button>
<button type="submit" class="cancel" name="action" value="cancel">Hủy giao dịch</button>
</div>
</form>"""
    return _page("Xác nhận thanh toán", body)


def _error_page(refused: RequestRefused) -> bytes:
    body = f"""<h1>Giao dịch không thành công</h1>
<p role="alert">{html.escape(refused.message)}</p>
<p>Mã lỗi: <strong>{html.escape(refused.code)}</strong></p>"""
    return _page("Giao dịch không thành công", body)


def _check_fields(params: Mapping[str, str]) -> None:
    for key, pattern in _REQUIRED_FIELDS.items():
        if not pattern.fullmatch(params.get(key, "")):
            raise RequestRefused(*ERROR_FORMAT)
    for key, pattern in _OPTIONAL_FIELDS.items():
        if key in params and not pattern.fullmatch(params[key]):
            raise RequestRefused(*ERROR_FORMAT)
    try:
        for key in ("vnp_CreateDate", "vnp_ExpireDate"):
            if key in params:
                vnpay.parse_gateway_time(params[key])
    except vnpay.GatewayError as exc:
        raise RequestRefused(*ERROR_FORMAT) from exc


def _direct_opener() -> urllib.request.OpenerDirector:
    # Server-to-server call: never route it through an HTTP proxy from the environment.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _with_query(url: str, query: str) -> str:
    base, hash_mark, fragment = url.partition("#")
    return f"{base}{'&' if '?' in base else '?'}{query}{hash_mark}{fragment}"


class GatewaySimulator:
    """The gateway as a WSGI application; one instance serves any number of merchants."""

    def __init__(
        self,
        merchants: Mapping[str, Merchant],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.merchants = dict(merchants)
        self.ipn_log: list[IpnCall] = []
        self._clock = clock or (lambda: datetime.now(vnpay.GATEWAY_TZ))
        self._lock = threading.Lock()
        self._transaction_numbers = itertools.count(14_000_001)
        self._settled: set[tuple[str, str]] = set()

    # --- WSGI -------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        try:
            if path == PAY_PATH and method == "GET":
                return self._show(environ, start_response)
            if path == CONFIRM_PATH and method == "POST":
                return self._confirm(environ, start_response)
        except RequestRefused as refused:
            return self._respond(start_response, "400 Bad Request", _error_page(refused))
        if path in (PAY_PATH, CONFIRM_PATH):
            return self._respond(start_response, "405 Method Not Allowed", b"")
        return self._respond(start_response, "404 Not Found", b"", content_type="text/plain")

    @staticmethod
    def _respond(
        start_response: StartResponse,
        status: str,
        body: bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        extra: Iterable[tuple[str, str]] = (),
    ) -> list[bytes]:
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),
            *extra,
        ]
        start_response(status, headers)
        return [body]

    def _show(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        raw_query = environ.get("QUERY_STRING", "")
        params = self.validate_request(raw_query)
        return self._respond(start_response, "200 OK", _confirm_page(params, raw_query))

    def _confirm(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        form = dict(parse_qsl(_read_body(environ), keep_blank_values=True))
        # The hidden field went through the browser: check it again as the gateway would.
        params = self.validate_request(form.get("query", ""))
        result = self.settle(params, cancelled=form.get("action") == "cancel")
        location = _with_query(quote(params["vnp_ReturnUrl"], safe=":/?#[]@!$&'()*+,;=%~"), result)
        return self._respond(start_response, "302 Found", b"", extra=[("Location", location)])

    # --- gateway behaviour --------------------------------------------------------------------

    def validate_request(self, raw_query: str) -> dict[str, str]:
        """The gateway's checks on a payment URL's query, in the gateway's order."""
        params = dict(parse_qsl(raw_query, keep_blank_values=True))
        merchant = self.merchants.get(params.get("vnp_TmnCode", ""))
        if merchant is None:
            raise RequestRefused(*ERROR_TERMINAL)
        try:
            vnpay.check_signature(params, merchant.secret)
        except vnpay.InvalidSignature as exc:
            raise RequestRefused(*ERROR_SIGNATURE) from exc
        _check_fields(params)
        return params

    def settle(self, params: Mapping[str, str], *, cancelled: bool) -> str:
        """Decide the result, notify the merchant's IPN, return the signed result query."""
        key = (params["vnp_TmnCode"], params["vnp_TxnRef"])
        with self._lock:
            if key in self._settled:  # a double-submitted form must not pay twice
                raise RequestRefused(*ERROR_DUPLICATE)
            self._settled.add(key)
        result = self._result_params(params, cancelled=cancelled)
        merchant = self.merchants[params["vnp_TmnCode"]]
        query = vnpay.signed_query(result, merchant.secret)
        self._call_ipn(merchant.ipn_url, query)
        return query

    def _result_params(self, params: Mapping[str, str], *, cancelled: bool) -> dict[str, str]:
        now = self._clock()
        expires = params.get("vnp_ExpireDate", "")
        if cancelled:
            code = vnpay.RESPONSE_CANCELLED
        elif expires and now > vnpay.parse_gateway_time(expires):
            code = vnpay.RESPONSE_EXPIRED
        else:
            code = vnpay.RESPONSE_SUCCESS
        paid = code == vnpay.RESPONSE_SUCCESS
        number = str(next(self._transaction_numbers)) if paid else "0"
        result = {
            "vnp_Amount": params["vnp_Amount"],
            "vnp_BankCode": params.get("vnp_BankCode", SIMULATED_BANK),
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": params["vnp_OrderInfo"],
            "vnp_PayDate": vnpay.format_gateway_time(now),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": params["vnp_TmnCode"],
            "vnp_TransactionNo": number,
            "vnp_TransactionStatus": vnpay.STATUS_SUCCESS if paid else vnpay.STATUS_FAILED,
            "vnp_TxnRef": params["vnp_TxnRef"],
        }
        if paid:
            result["vnp_BankTranNo"] = f"VNP{number}"
        return result

    # --- IPN ------------------------------------------------------------------------------------

    def _call_ipn(self, ipn_url: str, query: str) -> dict[str, Any]:
        url = _with_query(ipn_url, query)
        status, reply = _http_get_json(url)
        with self._lock:
            self.ipn_log.append(IpnCall(url, dict(parse_qsl(query)), status, reply))
        return reply

    def replay_ipn(self, index: int = -1) -> dict[str, Any]:
        """Send a logged IPN again, byte for byte, as the gateway does when it retries."""
        return self._call_ipn(*self.ipn_log[index].url.split("?", 1))

    def send_ipn(self, params: Mapping[str, str], *, sign: bool = True) -> dict[str, Any]:
        """Send an IPN with these parameters; ``sign=False`` sends them exactly as given."""
        merchant = self.merchants[params["vnp_TmnCode"]]
        if sign:
            query = vnpay.signed_query(params, merchant.secret)
        else:
            query = urlencode(sorted(params.items()))
        return self._call_ipn(merchant.ipn_url, query)


def _read_body(environ: dict[str, Any]) -> str:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 <= length <= MAX_BODY_BYTES:
        raise RequestRefused(*ERROR_FORMAT)
    return environ["wsgi.input"].read(length).decode("utf-8", errors="replace")


def _http_get_json(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with _direct_opener().open(url, timeout=IPN_TIMEOUT_SECONDS) as response:
            return response.status, _json_object(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _json_object(exc.read())
    except (urllib.error.URLError, OSError):
        return 0, {}


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# --- serving ------------------------------------------------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    # A request thread per connection: the IPN call back into a live server never deadlocks.
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; the CLI keeps the default access log


@dataclass
class RunningSimulator:
    simulator: GatewaySimulator
    server: WSGIServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        host, port = self.server.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def pay_url(self) -> str:
        return self.base_url + PAY_PATH

    @property
    def ipn_log(self) -> list[IpnCall]:
        return self.simulator.ipn_log

    def replay_ipn(self, index: int = -1) -> dict[str, Any]:
        return self.simulator.replay_ipn(index)

    def send_ipn(self, params: Mapping[str, str], *, sign: bool = True) -> dict[str, Any]:
        return self.simulator.send_ipn(params, sign=sign)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _server(simulator: GatewaySimulator, host: str, port: int, *, quiet: bool) -> WSGIServer:
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(
        host, port, simulator, server_class=_ThreadingWSGIServer, handler_class=handler
    )


def start_simulator(
    merchants: dict[str, Merchant],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    clock: Callable[[], datetime] | None = None,
) -> RunningSimulator:
    """Serve a simulator in a daemon thread; port 0 picks a free port."""
    simulator = GatewaySimulator(merchants, clock=clock)
    server = _server(simulator, host, port, quiet=True)
    # A short poll keeps stop() quick between tests.
    serve = partial(server.serve_forever, poll_interval=0.05)
    thread = threading.Thread(target=serve, name="vnpay-simulator", daemon=True)
    thread.start()
    return RunningSimulator(simulator, server, thread)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local VNPAY 2.1.0 gateway simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tmn-code", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--ipn-url", required=True)
    args = parser.parse_args(argv)
    simulator = GatewaySimulator({args.tmn_code: Merchant(args.secret, args.ipn_url)})
    server = _server(simulator, args.host, args.port, quiet=False)
    host, port = server.socket.getsockname()[:2]
    print(f"VNPAY simulator: http://{host}:{port}{PAY_PATH}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
