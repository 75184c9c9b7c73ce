"""Brand-name SMS: the eSMS.vn REST adapter, a file gateway for offline laptops, and helpers.

eSMS answers HTTP 200 with a JSON ``CodeResult``: "100" means accepted (not yet delivered),
anything else is an error. ``DeliveryError.temporary`` tells the outbox whether retrying can
help: outages and timeouts can; a wrong key, brandname or phone number cannot.
"""

import json
import re
import threading
import unicodedata
import uuid
from pathlib import Path
from typing import Any, Protocol

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.core import identity

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
CUSTOMER_CARE = "2"  # SmsType of brand-name customer-care messages
ACCEPTED = "100"
DUPLICATE_REQUEST = "124"  # eSMS refuses a RequestId seen in the last 24 hours
TEMPORARY_CODES = {"99"}
# Mobile prefixes since the 2018 move to ten digits: Viettel 03x/086/09x, Vinaphone 08x/09x,
# MobiFone 07x/089/09x, Vietnamobile 052/056/058/092, Gmobile 059/099, Reddi 055, Itel 087.
MOBILE = re.compile(r"0(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}", re.ASCII)


class DeliveryError(Exception):
    """The provider did not accept the message; ``temporary`` if a later retry may succeed."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


class Gateway(Protocol):
    def send(self, phone: str, text: str, request_id: str) -> str: ...


def normalise_phone(phone: str) -> str:
    """A Vietnamese mobile number in the national form 0xxxxxxxxx; ValueError if it is not one."""
    digits = identity.normalise_phone(phone)
    if not MOBILE.fullmatch(digits):
        raise ValueError(f"not a Vietnamese mobile number: {phone!r}")
    return digits


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics, case kept (``Đặng Thị Ánh`` → ``Dang Thi Anh``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_ascii(text: str) -> bool:
    try:
        text.encode("ascii")
    except UnicodeEncodeError:
        return False
    return True


class ESmsGateway:
    """eSMS.vn's JSON API, one customer-care message per request."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        secret_key: str,
        brandname: str,
        timeout: float = 10,
        *,
        sandbox: bool = False,
    ) -> None:
        self.url = base_url.rstrip("/") + SEND_PATH
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.timeout, self.sandbox = timeout, sandbox

    def send(self, phone: str, text: str, request_id: str) -> str:
        """Hand the message to eSMS; returns its SMSID. The same ``request_id`` is never sent
        twice, so an outbox retry after a lost reply cannot duplicate the SMS."""
        try:
            number = normalise_phone(phone)
        except ValueError as error:
            raise DeliveryError(str(error), temporary=False) from error
        reply = self._post(self._payload(number, text, request_id))
        return self._sms_id(reply, request_id)

    def _payload(self, phone: str, text: str, request_id: str) -> dict[str, str]:
        return {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": phone,
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": CUSTOMER_CARE,
            "IsUnicode": "0" if is_ascii(text) else "1",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id,
        }

    def _post(self, payload: dict[str, str]) -> dict[str, Any]:
        try:
            response = requests.post(self.url, json=payload, timeout=self.timeout)
        except requests.RequestException as error:
            raise DeliveryError(f"eSMS unreachable: {error}", temporary=True) from error
        if response.status_code != 200:
            # 5xx, 408 and 429 pass; any other 4xx is a wrong URL or request and stays wrong.
            temporary = response.status_code >= 500 or response.status_code in (408, 429)
            raise DeliveryError(f"eSMS HTTP {response.status_code}", temporary=temporary)
        try:
            reply = response.json()
        except ValueError as error:
            raise DeliveryError("eSMS replied without JSON", temporary=True) from error
        if not isinstance(reply, dict):
            raise DeliveryError(f"eSMS reply not understood: {reply!r}", temporary=True)
        return reply

    @staticmethod
    def _sms_id(reply: dict[str, Any], request_id: str) -> str:
        code = str(reply.get("CodeResult", ""))
        if code == ACCEPTED:
            return str(reply.get("SMSID", ""))
        if code == DUPLICATE_REQUEST:  # an earlier attempt got through; its reply was lost
            return str(reply.get("SMSID") or request_id)
        detail = reply.get("ErrorMessage") or reply.get("error") or ""
        raise DeliveryError(
            f"eSMS CodeResult {code or '?'}: {detail}".strip(),
            temporary=code in TEMPORARY_CODES or not code,
        )


class FileGateway:
    """Appends each message as one JSON line to ``<directory>/sms.jsonl`` (offline demo)."""

    _lock = threading.Lock()

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / "sms.jsonl"

    def send(self, phone: str, text: str, request_id: str) -> str:
        try:
            number = normalise_phone(phone)
        except ValueError as error:  # fail as the real provider would, to surface it early
            raise DeliveryError(str(error), temporary=False) from error
        sms_id = f"file-{uuid.uuid4().hex}"
        line = {
            "sms_id": sms_id,
            "request_id": request_id,
            "phone": number,
            "text": text,
            "sent_at": timezone.now().isoformat(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return sms_id


def get_gateway() -> Gateway:
    """The gateway chosen by ``MOTCUA_SMS_BACKEND``: "file" (default) or "esms"."""
    backend = getattr(settings, "MOTCUA_SMS_BACKEND", "file")
    if backend == "file":
        default_dir = Path(settings.VAR_DIR) / "sms"
        return FileGateway(getattr(settings, "MOTCUA_SMS_DIR", default_dir))
    if backend == "esms":
        return _esms_from_settings()
    raise ImproperlyConfigured(f"MOTCUA_SMS_BACKEND must be 'file' or 'esms', not {backend!r}")


def _esms_from_settings() -> ESmsGateway:
    names = ("MOTCUA_SMS_API_KEY", "MOTCUA_SMS_SECRET_KEY", "MOTCUA_SMS_BRANDNAME")
    if missing := [name for name in names if not getattr(settings, name, "")]:
        raise ImproperlyConfigured(f"MOTCUA_SMS_BACKEND 'esms' needs {', '.join(missing)}")
    return ESmsGateway(
        getattr(settings, "MOTCUA_SMS_URL", "https://rest.esms.vn"),
        settings.MOTCUA_SMS_API_KEY,
        settings.MOTCUA_SMS_SECRET_KEY,
        settings.MOTCUA_SMS_BRANDNAME,
        sandbox=getattr(settings, "MOTCUA_SMS_SANDBOX", False),
    )
