"""VNPAY payment gateway, protocol version 2.1.0: a signed redirect out, a signed reply back.

The merchant sends the citizen to ``pay_url`` with ``vnp_*`` query parameters and a
``vnp_SecureHash``; the gateway answers twice with the same signed parameter set: a browser
redirect to ``vnp_ReturnUrl`` (for display only) and a server-to-server IPN GET (the one that
updates the order, answered with ``{"RspCode", "Message"}`` JSON).

The signature is the hex HMAC-SHA512, keyed with the merchant's hash secret, of the ``vnp_*``
parameters sorted by key, each key and value encoded with ``quote_plus`` (as VNPAY's sample
code does), joined with ``&``. Pure functions: configuration comes in as arguments so the
Django views, the local simulator and the tests share one implementation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

GATEWAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # every vnp_*Date is GMT+7 local time
DATE_FORMAT = "%Y%m%d%H%M%S"
HASH_PARAM = "vnp_SecureHash"
# 2.1.0 no longer sends vnp_SecureHashType, but a reply may still carry it; never signed.
UNSIGNED_PARAMS = frozenset({HASH_PARAM, "vnp_SecureHashType"})
LOCALES = frozenset({"vn", "en"})
MAX_AMOUNT_VND = 9_999_999_999  # vnp_Amount is Numeric[1,12] in hundredths

RESPONSE_SUCCESS = "00"
RESPONSE_EXPIRED = "11"
RESPONSE_CANCELLED = "24"
STATUS_SUCCESS = "00"
STATUS_FAILED = "02"

IPN_CONFIRMED = "00"
IPN_ORDER_NOT_FOUND = "01"
IPN_ALREADY_CONFIRMED = "02"
IPN_INVALID_AMOUNT = "04"
IPN_INVALID_SIGNATURE = "97"
IPN_UNKNOWN_ERROR = "99"
IPN_MESSAGES: Mapping[str, str] = {
    IPN_CONFIRMED: "Confirm Success",
    IPN_ORDER_NOT_FOUND: "Order not found",
    IPN_ALREADY_CONFIRMED: "Order already confirmed",
    IPN_INVALID_AMOUNT: "Invalid amount",
    IPN_INVALID_SIGNATURE: "Invalid signature",
    IPN_UNKNOWN_ERROR: "Unknown error",
}

MAX_ORDER_INFO = 255
# Characters every VNPAY sample encoder (.NET, Java, PHP, Python) encodes alike; the
# documented example URL signs ':' and '/'. Anything else risks a code-70 signature mismatch.
_ORDER_INFO_UNSAFE = re.compile(r"[^A-Za-z0-9 :/,._-]+")
_AMOUNT = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"[0-9]{14}")


class GatewayError(ValueError):
    """A gateway message that cannot be trusted or understood."""


class InvalidSignature(GatewayError):
    """vnp_SecureHash is missing or does not match the parameters."""


@dataclass(frozen=True)
class GatewayConfig:
    tmn_code: str
    secret: str = field(repr=False)
    pay_url: str
    version: str = "2.1.0"


@dataclass(frozen=True)
class GatewayReply:
    """The verified result the gateway sent to the return URL or the IPN URL."""

    txn_ref: str
    amount_vnd: int
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: datetime | None
    raw: dict[str, str] = field(hash=False)
    tmn_code: str = ""

    @property
    def succeeded(self) -> bool:
        return self.response_code == RESPONSE_SUCCESS and self.transaction_status == STATUS_SUCCESS


def _signed_items(params: Mapping[str, str]) -> list[tuple[str, str]]:
    # Only vnp_* keys are signed: a merchant's return URL may carry its own query parameters.
    # Empty values are left out, as VNPAY's .NET and Java samples (and the gateway) do.
    return sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in UNSIGNED_PARAMS and str(value) != ""
    )


def hash_data(params: Mapping[str, str]) -> str:
    """The exact string that is signed; also the query string of a payment URL."""
    pairs = _signed_items(params)
    return "&".join(f"{quote_plus(key)}={quote_plus(value)}" for key, value in pairs)


def sign(params: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512)
    return digest.hexdigest()


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """The signed parameters as a query string, ``vnp_SecureHash`` last like VNPAY's samples."""
    return f"{hash_data(params)}&{HASH_PARAM}={sign(params, secret)}"


def check_signature(query: Mapping[str, str], secret: str) -> None:
    """Raise InvalidSignature unless vnp_SecureHash signs the query's vnp_* parameters."""
    received = str(query.get(HASH_PARAM, "")).strip().lower()
    if not received:
        raise InvalidSignature("vnp_SecureHash is missing")
    # Bytes, so a non-ASCII forgery is a mismatch rather than a TypeError.
    if not hmac.compare_digest(sign(query, secret).encode(), received.encode()):
        raise InvalidSignature("vnp_SecureHash does not match")


def format_gateway_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("gateway times must be timezone-aware")
    return moment.astimezone(GATEWAY_TZ).strftime(DATE_FORMAT)


def parse_gateway_time(text: str) -> datetime:
    if not _DATE.fullmatch(text):
        raise GatewayError(f"not a yyyyMMddHHmmss time: {text!r}")
    try:
        return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=GATEWAY_TZ)
    except ValueError as exc:
        raise GatewayError(f"not a valid time: {text!r}") from exc


def amount_to_gateway(amount_vnd: int) -> str:
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise ValueError("amount_vnd must be a whole number of đồng")
    if not 0 < amount_vnd <= MAX_AMOUNT_VND:
        raise ValueError(f"amount_vnd out of range: {amount_vnd}")
    return str(amount_vnd * 100)


def amount_from_gateway(text: str) -> int:
    if not _AMOUNT.fullmatch(text):
        raise GatewayError(f"vnp_Amount is not a number: {text!r}")
    hundredths, remainder = divmod(int(text), 100)
    if remainder:  # VND has no subunit: a fraction means a forged or garbled amount
        raise GatewayError(f"vnp_Amount is not a whole number of đồng: {text!r}")
    return hundredths


def order_info_text(text: str) -> str:
    """Order info as VNPAY requires it: unaccented Vietnamese, no special characters."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(_ORDER_INFO_UNSAFE.sub(" ", plain).split())[:MAX_ORDER_INFO].rstrip()


def payment_params(
    config: GatewayConfig,
    *,
    txn_ref: str,
    amount_vnd: int,
    order_info: str,
    return_url: str,
    client_ip: str,
    created_at: datetime,
    expire_minutes: int = 15,
    locale: str = "vn",
    bank_code: str = "",
    order_type: str = "other",
) -> dict[str, str]:
    """The unsigned vnp_* parameters of a payment request."""
    order_info = order_info_text(order_info)
    if not txn_ref or not order_info or not return_url or not client_ip:
        raise ValueError("txn_ref, order_info, return_url and client_ip are required")
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {sorted(LOCALES)}")
    if expire_minutes <= 0:
        raise ValueError("expire_minutes must be positive")
    params = {
        "vnp_Version": config.version,
        "vnp_Command": "pay",
        "vnp_TmnCode": config.tmn_code,
        "vnp_Amount": amount_to_gateway(amount_vnd),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": order_type,
        "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": client_ip,
        "vnp_CreateDate": format_gateway_time(created_at),
        "vnp_ExpireDate": format_gateway_time(created_at + timedelta(minutes=expire_minutes)),
    }
    if bank_code:  # absent lets the citizen pick a bank on the gateway page
        params["vnp_BankCode"] = bank_code
    return params


def payment_url(
    config: GatewayConfig,
    *,
    txn_ref: str,
    amount_vnd: int,
    order_info: str,
    return_url: str,
    client_ip: str,
    created_at: datetime,
    expire_minutes: int = 15,
    locale: str = "vn",
    bank_code: str = "",
    order_type: str = "other",
) -> str:
    """The gateway URL to redirect the citizen to, signed with the merchant's secret."""
    params = payment_params(
        config,
        txn_ref=txn_ref,
        amount_vnd=amount_vnd,
        order_info=order_info,
        return_url=return_url,
        client_ip=client_ip,
        created_at=created_at,
        expire_minutes=expire_minutes,
        locale=locale,
        bank_code=bank_code,
        order_type=order_type,
    )
    return f"{config.pay_url}?{signed_query(params, config.secret)}"


def _required(query: Mapping[str, str], key: str) -> str:
    value = str(query.get(key, ""))
    if not value:
        raise GatewayError(f"{key} is missing")
    return value


def verify(query: Mapping[str, str], secret: str) -> GatewayReply:
    """Check the signature of a return/IPN query, then parse it; never trust it unverified."""
    check_signature(query, secret)
    pay_date = str(query.get("vnp_PayDate", ""))
    return GatewayReply(
        txn_ref=_required(query, "vnp_TxnRef"),
        amount_vnd=amount_from_gateway(_required(query, "vnp_Amount")),
        response_code=_required(query, "vnp_ResponseCode"),
        transaction_status=_required(query, "vnp_TransactionStatus"),
        transaction_no=str(query.get("vnp_TransactionNo", "")),
        bank_code=str(query.get("vnp_BankCode", "")),
        pay_date=parse_gateway_time(pay_date) if pay_date else None,
        raw={key: str(value) for key, value in query.items() if key.startswith("vnp_")},
        tmn_code=str(query.get("vnp_TmnCode", "")),
    )


def ipn_response(code: str) -> dict[str, str]:
    """The JSON body the merchant's IPN endpoint answers with."""
    if code not in IPN_MESSAGES:
        raise ValueError(f"unknown IPN response code: {code!r}")
    return {"RspCode": code, "Message": IPN_MESSAGES[code]}
