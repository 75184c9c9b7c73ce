"""VNPAY 2.1.0 protocol rules, checked over real HTTP on 127.0.0.1 (no mocks, no database use)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from motcua.portal.payments import vnpay
from motcua.portal.payments.simulator import Merchant, RunningSimulator, start_simulator

TMN_CODE = "MOTCUA01"
SECRET = "TESTSECRETKEY0123456789ABCDEFGHI"
RETURN_URL = "http://127.0.0.1:8000/cong-dan/thanh-toan/ket-qua/"
CREATED = datetime(2025, 7, 1, 2, 30, 0, tzinfo=UTC)  # 09:30 in Hà Nội


# --- an independent reference implementation of the signing rule ---------------------------


def _reference_encode(text: str) -> str:
    # application/x-www-form-urlencoded by hand: unreserved bytes kept, space as '+'.
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char in "-_.~"):
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _reference_signature(params: dict[str, str], secret: str) -> str:
    data = "&".join(
        f"{_reference_encode(key)}={_reference_encode(params[key])}" for key in sorted(params)
    )
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def _payment_url(pay_url: str, **overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "txn_ref": "HS000123",
        "amount_vnd": 150_000,
        "order_info": "Lệ phí hồ sơ HS000123: cấp bản sao trích lục khai sinh",
        "return_url": RETURN_URL,
        "client_ip": "127.0.0.1",
        "created_at": datetime.now(UTC),
    }
    arguments.update(overrides)
    config = vnpay.GatewayConfig(tmn_code=TMN_CODE, secret=SECRET, pay_url=pay_url)
    return vnpay.payment_url(config, **arguments)


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _signed_reply(**overrides: str) -> dict[str, str]:
    params = {
        "vnp_Amount": "15000000",
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Lệ phí hồ sơ HS000123: cấp bản sao (lần 1)",
        "vnp_PayDate": "20250701093112",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "HS000123",
    }
    params.update(overrides)
    return {**params, "vnp_SecureHash": vnpay.sign(params, SECRET)}


# --- signing and parsing ------------------------------------------------------------------


def test_signature_covers_every_parameter_sorted_and_encoded() -> None:
    reply = _signed_reply()
    unsigned = {key: value for key, value in reply.items() if key != "vnp_SecureHash"}
    assert vnpay.sign(unsigned, SECRET) == _reference_signature(unsigned, SECRET)
    assert vnpay.sign(dict(reversed(unsigned.items())), SECRET) == reply["vnp_SecureHash"]
    assert vnpay.verify(reply, SECRET).txn_ref == "HS000123"
    for key in unsigned:
        tampered = {**reply, key: reply[key] + "1"}
        with pytest.raises(vnpay.InvalidSignature):
            vnpay.verify(tampered, SECRET)
        dropped = {k: v for k, v in reply.items() if k != key}
        with pytest.raises(vnpay.InvalidSignature):
            vnpay.check_signature(dropped, SECRET)
    with pytest.raises(vnpay.InvalidSignature):
        vnpay.verify({**reply, "vnp_Extra": "1"}, SECRET)


def test_hash_data_reproduces_vnpays_documented_payment_url() -> None:
    # The example URL of https://sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/
    documented = (
        "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
        "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5"
        "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl"
        "&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
    )
    params = dict(parse_qsl(documented))
    assert params["vnp_OrderInfo"] == "Thanh toan don hang :5"
    assert vnpay.hash_data(dict(reversed(params.items()))) == documented


def test_only_vnp_parameters_are_signed_and_the_hash_is_compared_case_insensitively() -> None:
    reply = _signed_reply()
    # The merchant's own return-URL parameters and a legacy hash type are outside the hash.
    extra = {**reply, "lang": "vi", "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay.verify(extra, SECRET).raw.keys() == reply.keys() | {"vnp_SecureHashType"}
    upper = {**reply, "vnp_SecureHash": reply["vnp_SecureHash"].upper()}
    assert vnpay.verify(upper, SECRET).succeeded


def test_forged_signature_is_rejected() -> None:
    reply = _signed_reply()
    forgeries = [
        {k: v for k, v in reply.items() if k != "vnp_SecureHash"},
        {**reply, "vnp_SecureHash": ""},
        {**reply, "vnp_SecureHash": "0" * 128},
        {**reply, "vnp_SecureHash": "é" * 128},
        {**reply, "vnp_SecureHash": vnpay.sign(reply, "another merchant's secret")},
        {**reply, "vnp_Amount": "1500000000"},
    ]
    for forged in forgeries:
        with pytest.raises(vnpay.InvalidSignature):
            vnpay.verify(forged, SECRET)
    assert issubclass(vnpay.InvalidSignature, vnpay.GatewayError)


def test_amount_is_sent_in_hundredths_of_a_dong() -> None:
    sent = _query(_payment_url("https://pay.example/vpcpay.html", amount_vnd=150_000))
    assert sent["vnp_Amount"] == "15000000"
    assert vnpay.verify(_signed_reply(vnp_Amount="15000000"), SECRET).amount_vnd == 150_000
    for garbled in ("15000050", "1.5e7", "-15000000", "", "１５０００００"):
        with pytest.raises(vnpay.GatewayError):
            vnpay.verify(_signed_reply(vnp_Amount=garbled), SECRET)
    for wrong in (0, -1, 10_000_000_000, 1500.0, True):
        with pytest.raises(ValueError):
            _payment_url("https://pay.example/vpcpay.html", amount_vnd=wrong)


def test_payment_url_carries_the_protocol_fields_with_times_in_gmt_plus_7() -> None:
    url = _payment_url("https://pay.example/vpcpay.html", created_at=CREATED)
    assert url.startswith("https://pay.example/vpcpay.html?vnp_Amount=")
    sent = _query(url)
    assert sent == {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": TMN_CODE,
        "vnp_Amount": "15000000",
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": "HS000123",
        "vnp_OrderInfo": "Le phi ho so HS000123: cap ban sao trich luc khai sinh",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": RETURN_URL,
        "vnp_IpAddr": "127.0.0.1",
        "vnp_CreateDate": "20250701093000",
        "vnp_ExpireDate": "20250701094500",
        "vnp_SecureHash": vnpay.sign(sent, SECRET),
    }
    assert list(sent)[-1] == "vnp_SecureHash"
    with_bank = _query(_payment_url("https://pay.example/p", created_at=CREATED, bank_code="NCB"))
    assert with_bank["vnp_BankCode"] == "NCB"
    with pytest.raises(ValueError):
        _payment_url("https://pay.example/p", created_at=datetime(2025, 7, 1, 9, 30))


def test_reply_is_parsed_with_pay_date_in_gmt_plus_7_and_success_needs_both_codes() -> None:
    reply = vnpay.verify(_signed_reply(), SECRET)
    assert reply.pay_date == datetime(2025, 7, 1, 2, 31, 12, tzinfo=UTC)
    assert (reply.transaction_no, reply.bank_code, reply.tmn_code) == ("14226112", "NCB", TMN_CODE)
    assert reply.succeeded
    assert not vnpay.verify(_signed_reply(vnp_TransactionStatus="02"), SECRET).succeeded
    assert not vnpay.verify(_signed_reply(vnp_ResponseCode="24"), SECRET).succeeded


def test_a_well_signed_reply_with_malformed_fields_is_a_gateway_error() -> None:
    for broken in ({"vnp_TxnRef": ""}, {"vnp_PayDate": "20251301093112"}, {"vnp_PayDate": "x"}):
        with pytest.raises(vnpay.GatewayError) as raised:
            vnpay.verify(_signed_reply(**broken), SECRET)
        assert not isinstance(raised.value, vnpay.InvalidSignature)


def test_ipn_answers_use_vnpays_codes_and_messages() -> None:
    assert vnpay.ipn_response(vnpay.IPN_CONFIRMED) == {
        "RspCode": "00",
        "Message": "Confirm Success",
    }
    assert {code: vnpay.ipn_response(code)["Message"] for code in vnpay.IPN_MESSAGES} == {
        "00": "Confirm Success",
        "01": "Order not found",
        "02": "Order already confirmed",
        "04": "Invalid amount",
        "97": "Invalid signature",
        "99": "Unknown error",
    }
    with pytest.raises(ValueError):
        vnpay.ipn_response("42")


# --- the simulator, over HTTP --------------------------------------------------------------


@dataclass
class FakeMerchant:
    """A minimal merchant IPN endpoint following VNPAY's IPN rules."""

    ipn_url: str = ""
    orders: dict[str, int] = field(default_factory=dict)  # txn_ref -> amount due
    confirmed: set[str] = field(default_factory=set)
    calls: list[dict[str, str]] = field(default_factory=list)

    def answer(self, query: dict[str, str]) -> dict[str, str]:
        self.calls.append(query)
        try:
            reply = vnpay.verify(query, SECRET)
        except vnpay.InvalidSignature:
            return vnpay.ipn_response(vnpay.IPN_INVALID_SIGNATURE)
        if reply.txn_ref not in self.orders:
            return vnpay.ipn_response(vnpay.IPN_ORDER_NOT_FOUND)
        if reply.amount_vnd != self.orders[reply.txn_ref]:
            return vnpay.ipn_response(vnpay.IPN_INVALID_AMOUNT)
        if reply.txn_ref in self.confirmed:
            return vnpay.ipn_response(vnpay.IPN_ALREADY_CONFIRMED)
        self.confirmed.add(reply.txn_ref)
        return vnpay.ipn_response(vnpay.IPN_CONFIRMED)


@pytest.fixture
def merchant() -> Iterator[FakeMerchant]:
    fake = FakeMerchant(orders={"HS000123": 150_000})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
            body = json.dumps(fake.answer(query)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    fake.ipn_url = f"http://127.0.0.1:{server.server_address[1]}/cong-dan/thanh-toan/ipn/"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def gateway(merchant: FakeMerchant) -> Iterator[RunningSimulator]:
    with start_simulator({TMN_CODE: Merchant(SECRET, merchant.ipn_url)}) as running:
        yield running


def _request(url: str, method: str = "GET", body: str = "") -> tuple[int, dict[str, str], str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=15)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, target, body=body.encode() or None, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "input"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.text.setdefault(self._open[-1], []).append(data.strip())

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _confirm(gateway: RunningSimulator, url: str, action: str) -> tuple[int, dict[str, str]]:
    status, _, page = _request(url)
    assert status == 200, page
    parser = _PageParser()
    parser.feed(page)
    (hidden,) = [attrs for attrs in parser.named("input") if attrs.get("name") == "query"]
    form = urlencode({"query": hidden["value"] or "", "action": action})
    status, headers, _ = _request(gateway.base_url + "/paymentv2/confirm", "POST", form)
    return status, headers


def test_order_info_is_sent_unaccented_without_special_characters() -> None:
    url = _payment_url("https://p.example/", order_info="Lệ phí hồ sơ HS-1 (cấp bản sao) – Đợt 2")
    assert _query(url)["vnp_OrderInfo"] == "Le phi ho so HS-1 cap ban sao Dot 2"
    assert (
        len(_query(_payment_url("https://p.example/", order_info="a" * 300))["vnp_OrderInfo"])
        == 255
    )
    with pytest.raises(ValueError):
        _payment_url("https://p.example/", order_info="()")


def test_simulator_shows_the_order_on_an_accessible_vietnamese_page(
    gateway: RunningSimulator,
) -> None:
    # Signed by hand: the real gateway accepts any order info, so the page must escape it.
    params = vnpay.payment_params(
        vnpay.GatewayConfig(tmn_code=TMN_CODE, secret=SECRET, pay_url=gateway.pay_url),
        txn_ref="HS000123",
        amount_vnd=150_000,
        order_info="x",
        return_url=RETURN_URL,
        client_ip="127.0.0.1",
        created_at=datetime.now(UTC),
    )
    params["vnp_OrderInfo"] = "Lệ phí <HS000123> & bản sao"
    status, headers, page = _request(f"{gateway.pay_url}?{vnpay.signed_query(params, SECRET)}")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    parser = _PageParser()
    parser.feed(page)
    assert parser.named("html") == [{"lang": "vi"}]
    assert len(parser.named("main")) == 1 and len(parser.named("h1")) == 1
    assert parser.text["title"] and parser.text["h1"] == ["Xác nhận thanh toán"]
    assert "150.000 đ" in parser.text["dd"]
    assert "Lệ phí <HS000123> & bản sao" in parser.text["dd"]  # shown, escaped, not markup
    assert parser.text["button"] == ["Thanh toán", "Hủy giao dịch"]
    assert [f["action"] for f in parser.named("form")] == ["confirm"]  # relative: mountable
    assert [f["method"] for f in parser.named("form")] == ["post"]


def test_simulator_refuses_a_payment_url_with_a_bad_signature(
    gateway: RunningSimulator, merchant: FakeMerchant
) -> None:
    url = _payment_url(gateway.pay_url)
    tampered = url.replace("vnp_Amount=15000000", "vnp_Amount=100")
    status, _, page = _request(tampered)
    assert status == 400
    assert "Sai chữ ký" in page and "<strong>70</strong>" in page and 'lang="vi"' in page
    unknown = _payment_url(gateway.pay_url).replace(TMN_CODE, "OTHER001")
    status, _, page = _request(unknown)
    assert status == 400 and "<strong>71</strong>" in page
    assert merchant.calls == [] and gateway.ipn_log == []


def test_simulator_calls_ipn_then_redirects_to_return_url_with_signed_result(
    gateway: RunningSimulator, merchant: FakeMerchant
) -> None:
    status, headers = _confirm(gateway, _payment_url(gateway.pay_url), "pay")
    assert status == 302
    # The IPN reached the merchant before the browser was sent back.
    assert len(merchant.calls) == 1
    location = headers["Location"]
    assert location.startswith(RETURN_URL + "?")
    returned = _query(location)
    assert returned == merchant.calls[0]
    reply = vnpay.verify(returned, SECRET)
    assert reply.succeeded and reply.amount_vnd == 150_000 and reply.txn_ref == "HS000123"
    assert reply.bank_code == "NCB" and reply.transaction_no and reply.pay_date is not None
    assert abs(reply.pay_date - datetime.now(UTC)) < timedelta(minutes=1)
    assert returned["vnp_PayDate"] == vnpay.format_gateway_time(reply.pay_date)
    (call,) = gateway.ipn_log
    assert call.status == 200 and call.reply == {"RspCode": "00", "Message": "Confirm Success"}
    assert call.url.startswith(merchant.ipn_url + "?") and call.params == returned
    # The same form submitted twice does not pay twice.
    status, _ = _confirm(gateway, _payment_url(gateway.pay_url), "pay")
    assert status == 400 and len(gateway.ipn_log) == 1


def test_cancelled_payment_returns_code_24(
    gateway: RunningSimulator, merchant: FakeMerchant
) -> None:
    status, headers = _confirm(gateway, _payment_url(gateway.pay_url), "cancel")
    assert status == 302
    reply = vnpay.verify(_query(headers["Location"]), SECRET)
    assert (reply.response_code, reply.transaction_status) == ("24", "02")
    assert not reply.succeeded
    assert vnpay.verify(merchant.calls[0], SECRET).response_code == "24"


def test_an_expired_payment_returns_code_11(gateway: RunningSimulator) -> None:
    late = datetime.now(UTC) - timedelta(minutes=16)
    status, headers = _confirm(gateway, _payment_url(gateway.pay_url, created_at=late), "pay")
    assert status == 302
    assert vnpay.verify(_query(headers["Location"]), SECRET).response_code == "11"


def test_a_tampered_confirmation_form_is_refused_without_ipn(
    gateway: RunningSimulator, merchant: FakeMerchant
) -> None:
    query = urlsplit(_payment_url(gateway.pay_url)).query.replace("15000000", "100")
    form = urlencode({"query": query, "action": "pay"})
    status, _, page = _request(gateway.base_url + "/paymentv2/confirm", "POST", form)
    assert status == 400 and "Sai chữ ký" in page
    assert merchant.calls == []


def test_replayed_forged_and_altered_ipns_reach_the_merchant_as_sent(
    gateway: RunningSimulator, merchant: FakeMerchant
) -> None:
    _confirm(gateway, _payment_url(gateway.pay_url), "pay")
    first = gateway.ipn_log[0]
    assert gateway.replay_ipn(0) == vnpay.ipn_response(vnpay.IPN_ALREADY_CONFIRMED)
    assert merchant.calls[1] == merchant.calls[0]
    unsigned = {k: v for k, v in first.params.items() if k != "vnp_SecureHash"}
    forged = {**first.params, "vnp_Amount": "100"}
    assert gateway.send_ipn(forged, sign=False) == vnpay.ipn_response("97")
    assert merchant.calls[-1]["vnp_SecureHash"] == first.params["vnp_SecureHash"]
    assert gateway.send_ipn({**unsigned, "vnp_Amount": "100"}) == vnpay.ipn_response("04")
    assert gateway.send_ipn({**unsigned, "vnp_TxnRef": "HS999"}) == vnpay.ipn_response("01")
    assert [call.reply["RspCode"] for call in gateway.ipn_log] == ["00", "02", "97", "04", "01"]


def test_an_unreachable_ipn_is_logged_and_the_citizen_still_returns() -> None:
    with start_simulator({TMN_CODE: Merchant(SECRET, "http://127.0.0.1:9/ipn/")}) as running:
        status, headers = _confirm(running, _payment_url(running.pay_url), "pay")
        assert status == 302 and headers["Location"].startswith(RETURN_URL)
        assert [(call.status, call.reply) for call in running.ipn_log] == [(0, {})]


def test_simulator_runs_standalone_from_the_command_line() -> None:
    command = [sys.executable, "-m", "motcua.portal.payments.simulator", "--port", "0"]
    command += ["--tmn-code", TMN_CODE, "--secret", SECRET, "--ipn-url", "http://127.0.0.1:9/"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        pay_url = banner.split(": ", 1)[1].strip()
        assert pay_url.endswith("/paymentv2/vpcpay.html")
        assert _request(_payment_url(pay_url))[0] == 200
        assert _request(_payment_url(pay_url).replace("HS000123", "HS000124"))[0] == 400
    finally:
        process.terminate()
        process.wait(timeout=10)
