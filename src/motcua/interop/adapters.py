"""One interface, one adapter per upper-level system (see ``systems``).

``send`` delivers one status message and answers accepted or duplicate (both acknowledge it:
the portal de-duplicates on ``MaThongDiep``), or raises ``Rejected`` (the portal refused the
content: permanent, with its reason) or ``Unavailable`` (timeout, connection, 5xx, 429: try
again later). ``lookup`` returns what the portal holds of a dossier, for reconciliation.

The DVCQG transport follows INTEROP.md §2.2 (OpenCPS): ``POST {url}{auth}`` with
``{username, secret}`` and header ``dstcode`` gives a session; every call is
``POST {url}{integration}`` with ``{session, madonvi, service, isUpdating, data}``. Success is
``error_code`` 0 or "00" (both seen). The duplicate and expired-session codes are OUR
ASSUMPTIONS, kept in settings (``MOTCUA_DVCQG_*_CODES``) so a province can correct them.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
from django.conf import settings
from django.utils import timezone

from .simulator import check_dossier, check_progress

Payload = dict[str, Any]


@dataclass(frozen=True)
class Ack:
    outcome: str  # "accepted" or "duplicate"
    reference: str  # the portal's receipt number, or our message id


class PortalError(Exception):
    temporary = True


class Rejected(PortalError):
    temporary = False


class Unavailable(PortalError):
    temporary = True


class Adapter(Protocol):
    def send(self, message: Payload, *, first: bool) -> Ack: ...

    def lookup(self, unit_code: str, dossier_code: str) -> Payload | None: ...


class Inbox(Protocol):
    """A portal where citizens file dossiers for the unit (inbound, pulled on a schedule)."""

    def pull(self, unit_code: str) -> list[Payload]: ...

    def fetch(self, url: str, limit: int) -> bytes: ...

    def confirm(self, unit_code: str, national_code: str, reference: str) -> None: ...


_local = threading.local()


def _http() -> requests.Session:
    """One keep-alive session per thread (a Session is not shared across threads): a worker
    sending a burst of statuses reuses its connection instead of opening one per message."""
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def _post(url: str, timeout: float, **kwargs: Any) -> requests.Response:
    try:
        return _http().post(url, timeout=timeout, **kwargs)
    except requests.Timeout as error:
        raise Unavailable(f"Cổng không trả lời sau {timeout:g} giây.") from error
    except requests.RequestException as error:
        raise Unavailable(f"Không kết nối được cổng: {error}") from error


def _transient(response: requests.Response) -> None:
    if response.status_code == 429:
        wait = response.headers.get("Retry-After", "?")
        raise Unavailable(f"Cổng báo quá tải (HTTP 429, thử lại sau {wait} giây).")
    if response.status_code >= 500:
        raise Unavailable(f"Cổng lỗi (HTTP {response.status_code}).")


def _json(response: requests.Response) -> Payload:
    try:
        body = response.json()
    except ValueError as error:
        raise Unavailable(f"Cổng trả lời không phải JSON (HTTP {response.status_code}).") from error
    if not isinstance(body, dict):
        raise Unavailable("Cổng trả lời không đúng định dạng.")
    return body


class FileAdapter:
    """The laptop default: one JSON line per message in ``MOTCUA_PORTAL_FILE_DIR``, after the
    same field checks as the simulator's (a malformed message is rejected offline too)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> FileAdapter:
        return cls(Path(settings.MOTCUA_PORTAL_FILE_DIR))

    def _path(self) -> Path:
        return self.directory / f"{timezone.localdate():%Y-%m-%d}.jsonl"

    def send(self, message: Payload, *, first: bool) -> Ack:
        problems = [*check_dossier(message["HoSo"], message["MaDonVi"] or "")]
        problems += check_progress(message["TienDo"])
        if problems:
            raise Rejected("; ".join(problems))
        self.directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps({**message, "isUpdating": not first}, ensure_ascii=False)
        with self._lock, self._path().open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return Ack("accepted", f"tep:{message['MaThongDiep']}")

    def lookup(self, unit_code: str, dossier_code: str) -> Payload | None:
        held = None
        for path in sorted(self.directory.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record["HoSo"]["MaHoSo"] == dossier_code:
                    held = record["HoSo"]
        return held


class DvcqgAdapter:
    """Cổng DVCQG through the province's integration adapter / security server."""

    def __init__(self, **config: Any) -> None:
        self.url = config["url"].rstrip("/")
        self.auth_path, self.integration_path = config["auth_path"], config["integration_path"]
        self.username, self.secret, self.dstcode = (
            config["username"],
            config["secret"],
            config["dstcode"],
        )
        self.timeout = float(config["timeout"])
        self.success, self.duplicate, self.expired = (
            set(config["success_codes"]),
            set(config["duplicate_codes"]),
            set(config["session_codes"]),
        )
        self._session = ""
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> DvcqgAdapter:
        return cls(**settings.MOTCUA_DVCQG)

    def send(self, message: Payload, *, first: bool) -> Ack:
        unit = message["MaDonVi"]
        tag = {"MaThongDiep": message["MaThongDiep"]}
        outcome, body = self._call("DongBoHoSoMC", unit, [{**message["HoSo"], **tag}], not first)
        progress, _ = self._call("CapNhatTienDoHoSoMC", unit, [{**message["TienDo"], **tag}])
        both_held = outcome == progress == "duplicate"
        return Ack(
            "duplicate" if both_held else "accepted",
            str(body.get("ma_tiep_nhan") or message["MaThongDiep"]),
        )

    def lookup(self, unit_code: str, dossier_code: str) -> Payload | None:
        _, body = self._call("TraCuuHoSo", unit_code, [{"MaHoSo": dossier_code}])
        found = body.get("data") or []
        return found[0] if found else None

    # -- inbound: dossiers filed on the national portal (services are OUR ASSUMPTION) -------
    def pull(self, unit_code: str) -> list[Payload]:
        _, body = self._call("LayDanhSachHoSoMoi", unit_code, [{"MaDonVi": unit_code}])
        return [item for item in body.get("data") or [] if isinstance(item, dict)]

    def fetch(self, url: str, limit: int) -> bytes:
        """A file the portal links to, at most ``limit`` bytes (read in chunks, so a huge or
        endless answer is cut off rather than held in memory)."""
        for attempt in (1, 2):
            session = self._login()
            try:
                response = requests.get(
                    url,
                    params={"session": session},
                    timeout=self.timeout,
                    stream=True,
                    headers={"dstcode": self.dstcode},
                )
            except requests.RequestException as error:
                raise Unavailable(f"Không tải được tệp từ cổng: {error}") from error
            with response:
                if response.status_code == 401 and attempt == 1:
                    self._forget(session)
                    continue
                _transient(response)
                if response.status_code != 200:
                    raise Rejected(f"Cổng không cho tải tệp (HTTP {response.status_code}).")
                data = bytearray()
                for chunk in response.iter_content(1 << 16):
                    data += chunk
                    if len(data) > limit:
                        raise Rejected(f"Tệp lớn hơn {limit // (1024 * 1024)} MB.")
                return bytes(data)
        raise Unavailable("Cổng DVCQG không nhận phiên đăng nhập mới.")

    def confirm(self, unit_code: str, national_code: str, reference: str) -> None:
        item = {"MaHoSoQG": national_code, "MaHoSoDonVi": reference}
        self._call("XacNhanHoSoMoi", unit_code, [item])

    def _call(
        self, service: str, unit: str, data: list[Payload], updating: bool = False
    ) -> tuple[str, Payload]:
        for attempt in (1, 2):
            session = self._login()
            response = _post(
                f"{self.url}{self.integration_path}",
                self.timeout,
                json={
                    "session": session,
                    "madonvi": unit,
                    "service": service,
                    "isUpdating": updating,
                    "data": data,
                },
                headers={"dstcode": self.dstcode},
            )
            _transient(response)
            body = _json(response)
            code = str(body.get("error_code", ""))
            if code in self.success:
                return "accepted", body
            if code in self.duplicate:
                return "duplicate", body
            if code in self.expired and attempt == 1:
                self._forget(session)
                continue
            raise Rejected(f"{service}: {body.get('message') or 'mã lỗi ' + code}")
        raise Unavailable("Cổng DVCQG không nhận phiên đăng nhập mới.")

    def _login(self) -> str:
        with self._lock:
            if self._session:
                return self._session
            response = _post(
                f"{self.url}{self.auth_path}",
                self.timeout,
                json={"username": self.username, "secret": self.secret},
                headers={"dstcode": self.dstcode},
            )
            _transient(response)
            body = _json(response)
            if str(body.get("error_code", "")) not in self.success or not body.get("session"):
                raise Rejected(f"Đăng nhập cổng DVCQG bị từ chối: {body.get('message', '')}")
            self._session = str(body["session"])
            return self._session

    def _forget(self, session: str) -> None:
        with self._lock:
            if self._session == session:
                self._session = ""


class LgspAdapter:
    """The province's system through its LGSP: OAuth2 client-credentials token, JSON."""

    def __init__(self, **config: Any) -> None:
        self.url = config["url"].rstrip("/")
        self.token_url = config["token_url"] or f"{self.url}/token"
        self.client_id, self.client_secret = config["client_id"], config["client_secret"]
        self.status_path, self.lookup_path = config["status_path"], config["lookup_path"]
        self.timeout = float(config["timeout"])
        self._token, self._expires = "", 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> LgspAdapter:
        return cls(**settings.MOTCUA_LGSP)

    def send(self, message: Payload, *, first: bool) -> Ack:
        response = self._authorised(
            "POST",
            f"{self.url}{self.status_path}",
            json={**message, "isUpdating": not first},
            headers={"X-Message-Id": message["MaThongDiep"]},
        )
        body = _json(response)
        if response.status_code == 200 and body.get("ketQua") in ("accepted", "duplicate"):
            return Ack(body["ketQua"], str(body.get("maTiepNhan") or message["MaThongDiep"]))
        raise Rejected(str(body.get("lyDo") or f"HTTP {response.status_code}"))

    def lookup(self, unit_code: str, dossier_code: str) -> Payload | None:
        path = self.lookup_path.format(code=requests.utils.quote(dossier_code, safe=""))
        response = self._authorised("GET", f"{self.url}{path}", params={"MaDonVi": unit_code})
        if response.status_code == 404:
            return None
        body = _json(response)
        return body.get("HoSo")

    def _authorised(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        for attempt in (1, 2):
            token = self._bearer()
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {token}"}
            try:
                response = requests.request(
                    method, url, timeout=self.timeout, headers=headers, **kwargs
                )
            except requests.Timeout as error:
                raise Unavailable(f"LGSP không trả lời sau {self.timeout:g} giây.") from error
            except requests.RequestException as error:
                raise Unavailable(f"Không kết nối được LGSP: {error}") from error
            kwargs["headers"] = headers
            if response.status_code == 401 and attempt == 1:
                self._forget(token)
                continue
            _transient(response)
            if response.status_code in (401, 403):
                raise Rejected(f"LGSP từ chối quyền truy cập (HTTP {response.status_code}).")
            return response
        raise Unavailable("LGSP không nhận mã truy cập mới.")

    def _bearer(self) -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires:
                return self._token
            response = _post(
                self.token_url,
                self.timeout,
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
            )
            _transient(response)
            body = _json(response)
            if response.status_code != 200 or not body.get("access_token"):
                raise Rejected(f"LGSP không cấp mã truy cập: {body.get('error', '')}")
            self._token = str(body["access_token"])
            # Renew 30 s early so a token never expires between the check and the call.
            self._expires = time.monotonic() + max(float(body.get("expires_in", 300)) - 30, 1)
            return self._token

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token, self._expires = "", 0.0
