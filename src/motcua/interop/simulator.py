"""A local stand-in for the upper-level portals, for tests and the laptop demo (stdlib only).

It speaks both protocols of ``adapters`` on one port:
- DVCQG (under ``/dvcqg``): ``POST /auth`` {username, secret} + header ``dstcode`` → session;
  ``POST /integration`` {session, madonvi, service, isUpdating, data} for ``DongBoHoSoMC``,
  ``CapNhatTienDoHoSoMC`` and ``TraCuuHoSo``; answers ``error_code`` "0" accepted, "11"
  duplicate message, "401" session unknown or expired, "20" rejected with the reason.
- LGSP (under ``/lgsp``): ``POST /token`` (client credentials, HTTP Basic) → Bearer token;
  ``POST /dvc/v1/ho-so/trang-thai`` → 200 {ketQua: accepted|duplicate, maTiepNhan} or 422
  {ketQua: rejected, lyDo}; ``GET /dvc/v1/ho-so/<MaHoSo>`` → what it holds.

Every field is validated (codes, dates ``yyyyMMddHHmmss``, lengths, the dossier code's unit
prefix, an update of a dossier it does not hold). ``fail_next(n, mode)`` injects faults:
"timeout" (answers after ``hang_seconds``), "500", "429", "expire" (every session and token
expires first). ``outage(True)`` answers 503 to everything until ``outage(False)``.

    python -m motcua.interop.simulator --port 8767     (or: manage.py portal_simulator)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote

from motcua.core.simulation import (
    Served,
    StartResponse,
    json_reply,
    read_json,
    serve_until_interrupted,
)

FAULTS = ("timeout", "500", "429", "expire")
UNIT_CODE = re.compile(r"[0-9A-Z]{1,10}(?:\.[0-9A-Z]{1,10}){0,6}", re.ASCII)
PROCEDURE_CODE = re.compile(r"\d\.\d{6}(?:\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?", re.ASCII)
DATE_FIELDS = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
)
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
LOOKUP_PREFIX = "/lgsp/dvc/v1/ho-so/"


class PortalSimulator:
    """The WSGI app. ``held`` is what the portal holds per dossier code: the latest dossier
    object and every progress row in the order received; ``received`` every accepted
    message (system, service, MaThongDiep)."""

    def __init__(
        self,
        *,
        username: str = "motcua",
        secret: str = "demo-secret",
        client_id: str = "motcua",
        client_secret: str = "demo-secret",
        token_seconds: int = 300,
    ) -> None:
        self.username, self.secret = username, secret
        self.client_id, self.client_secret = client_id, client_secret
        self.token_seconds = token_seconds
        self.hang_seconds = 3.0
        self.held: dict[str, dict[str, dict[str, Any]]] = {"dvcqg": {}, "lgsp": {}}
        self.received: list[tuple[str, str, str]] = []
        self.requests = 0
        self._seen: dict[tuple[str, str], str] = {}
        self._sessions: set[str] = set()
        self._tokens: dict[str, float] = {}
        self._faults: list[str] = []
        # Dossiers citizens filed on the portal, per unit code, until the unit confirms them.
        self.inbox: dict[str, list[dict[str, Any]]] = {}
        self.confirmed: dict[str, str] = {}  # national code → the unit's dossier reference
        self.files: dict[str, bytes] = {}
        self.base_url = ""
        self._down = False
        self._lost_confirmations = 0
        self._lock = threading.Lock()

    # -- test controls ----------------------------------------------------------------------
    def fail_next(self, n: int, mode: str = "500") -> None:
        if mode not in FAULTS:
            raise ValueError(f"mode must be one of {FAULTS}, not {mode!r}")
        with self._lock:
            self._faults.extend([mode] * n)

    def lose_confirmations(self, n: int) -> None:
        """The next ``n`` XacNhanHoSoMoi calls fail (HTTP 500) before the portal records them,
        so the portal delivers those dossiers again."""
        self._lost_confirmations = n

    def outage(self, down: bool) -> None:
        self._down = down

    def file_on_portal(self, unit: str, dossier: dict[str, Any], files: dict[str, bytes]) -> str:
        """A citizen files ``dossier`` (HoSo fields) with ``files`` (name → bytes) on the
        portal for ``unit``; returns the portal's dossier code (MaHoSoQG)."""
        with self._lock:
            number = sum(len(items) for items in self.inbox.values()) + len(self.confirmed) + 1
            code = f"G22-{time.strftime('%y%m%d')}-{number:06d}"
            papers = []
            for n, (name, data) in enumerate(files.items(), start=1):
                file_id = f"{code}-{n}"
                self.files[file_id] = data
                papers.append(
                    {
                        "TepDinhKemId": file_id,
                        "TenTepDinhKem": name,
                        "DuongDanTaiTepTin": f"{self.base_url}/dvcqg/tep/{file_id}",
                        "MaBam": hashlib.sha256(data).hexdigest(),
                    }
                )
            self.inbox.setdefault(unit, []).append(
                {**dossier, "MaHoSoQG": code, "MaDonVi": unit, "TaiLieuNop": papers}
            )
        return code

    def progress_of(self, dossier_code: str, system: str = "dvcqg") -> list[int]:
        """The status codes of the dossier's progress rows, in the order the portal got them."""
        held = self.held[system].get(dossier_code, {})
        return [row["TrangThai"] for row in held.get("TienDo", [])]

    # -- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        with self._lock:
            self.requests += 1
            fault = self._faults.pop(0) if self._faults else None
            if fault == "expire":
                self._sessions.clear()
                self._tokens.clear()
        if self._down:
            return _reply(start_response, 503, {"error": "Service Unavailable"})
        if fault == "timeout":
            time.sleep(self.hang_seconds)
        elif fault == "500":
            return _reply(start_response, 500, {"error": "Internal Server Error"})
        elif fault == "429":
            return _reply(
                start_response, 429, {"error": "Too Many Requests"}, [("Retry-After", "1")]
            )
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        if path == "/dvcqg/auth" and method == "POST":
            return _reply(start_response, 200, self._dvcqg_auth(environ))
        if path.startswith("/dvcqg/tep/") and method == "GET":
            return self._file(environ, path.removeprefix("/dvcqg/tep/"), start_response)
        if path == "/dvcqg/integration" and method == "POST":
            answer = self._dvcqg_call(environ)
            if answer.get("lost"):
                return _reply(start_response, 500, {"error": "Internal Server Error"})
            return _reply(start_response, 200, answer)
        if path == "/lgsp/token" and method == "POST":
            return self._lgsp_token(environ, start_response)
        if path.startswith("/lgsp/"):
            if not self._bearer_ok(environ):
                return _reply(start_response, 401, {"error": "invalid_token"})
            if path == "/lgsp/dvc/v1/ho-so/trang-thai" and method == "POST":
                return self._lgsp_status(environ, start_response)
            if path.startswith(LOOKUP_PREFIX) and method == "GET":
                held = self.held["lgsp"].get(unquote(path[len(LOOKUP_PREFIX) :]))
                if held is None:
                    return _reply(start_response, 404, {"lyDo": "Không có hồ sơ"})
                return _reply(start_response, 200, {"HoSo": held["HoSo"], "TienDo": held["TienDo"]})
        return _reply(start_response, 404, {"error": "Not found"})

    # -- DVCQG ------------------------------------------------------------------------------
    def _dvcqg_auth(self, environ: dict[str, Any]) -> dict[str, Any]:
        body = read_json(environ) or {}
        if not environ.get("HTTP_DSTCODE"):
            return {"error_code": "400", "message": "Thiếu header dstcode"}
        if (body.get("username"), body.get("secret")) != (self.username, self.secret):
            return {"error_code": "403", "message": "Sai tài khoản hoặc mật khẩu"}
        session = secrets.token_hex(16)
        with self._lock:
            self._sessions.add(session)
        return {"error_code": "0", "session": session}

    def _dvcqg_call(self, environ: dict[str, Any]) -> dict[str, Any]:
        body = read_json(environ)
        if body is None:
            return {"error_code": "20", "message": "Yêu cầu không phải JSON"}
        if body.get("session") not in self._sessions:
            return {"error_code": "401", "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"}
        unit, data, service = body.get("madonvi"), body.get("data"), body.get("service")
        if not isinstance(unit, str) or not UNIT_CODE.fullmatch(unit):
            return {"error_code": "20", "message": f"madonvi không hợp lệ: {unit!r}"}
        if not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
            return {"error_code": "20", "message": "data phải là danh sách một phần tử"}
        item = data[0]
        if service == "TraCuuHoSo":
            held = self.held["dvcqg"].get(str(item.get("MaHoSo")))
            return {
                "error_code": "0",
                "data": [held["HoSo"] | {"TienDo": held["TienDo"]}] if held else [],
            }
        if service == "LayDanhSachHoSoMoi":
            return {"error_code": "0", "data": list(self.inbox.get(unit, []))}
        if service == "XacNhanHoSoMoi":
            with self._lock:
                lost, self._lost_confirmations = (
                    self._lost_confirmations > 0,
                    max(self._lost_confirmations - 1, 0),
                )
            return {"lost": True} if lost else self._confirm(unit, item)
        if service == "DongBoHoSoMC":
            outcome = self._accept("dvcqg", service, unit, item, None, bool(body.get("isUpdating")))
        elif service == "CapNhatTienDoHoSoMC":
            outcome = self._accept("dvcqg", service, unit, None, item, True)
        else:
            return {"error_code": "20", "message": f"Dịch vụ không hỗ trợ: {service!r}"}
        if outcome.startswith("rejected:"):
            return {"error_code": "20", "message": outcome.removeprefix("rejected:")}
        if outcome.startswith("duplicate:"):
            return {
                "error_code": "11",
                "message": "Thông điệp đã được tiếp nhận",
                "ma_tiep_nhan": outcome.removeprefix("duplicate:"),
            }
        return {"error_code": "0", "message": "Thành công", "ma_tiep_nhan": outcome}

    def _confirm(self, unit: str, item: dict[str, Any]) -> dict[str, Any]:
        code, ours = str(item.get("MaHoSoQG", "")), str(item.get("MaHoSoDonVi", ""))
        with self._lock:
            items = self.inbox.get(unit, [])
            found = [i for i in items if i["MaHoSoQG"] == code]
            if not found and code not in self.confirmed:
                return {"error_code": "20", "message": f"Không có hồ sơ {code} chờ đơn vị nhận"}
            self.inbox[unit] = [i for i in items if i["MaHoSoQG"] != code]
            self.confirmed.setdefault(code, ours)
        return {"error_code": "0", "message": "Thành công"}

    def _file(
        self, environ: dict[str, Any], file_id: str, start_response: StartResponse
    ) -> Iterable[bytes]:
        session = parse_qs(environ.get("QUERY_STRING", "")).get("session", [""])[0]
        if session not in self._sessions:
            return _reply(start_response, 401, {"error": "session"})
        data = self.files.get(file_id)
        if data is None:
            return _reply(start_response, 404, {"error": "Not found"})
        start_response(
            "200 OK",
            [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(data)))],
        )
        return [data]

    # -- LGSP -------------------------------------------------------------------------------
    def _lgsp_token(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = environ["wsgi.input"].read(length).decode("utf-8", "replace")
        if "grant_type=client_credentials" not in form:
            return _reply(start_response, 400, {"error": "unsupported_grant_type"})
        auth = environ.get("HTTP_AUTHORIZATION", "")
        try:
            user, _, password = (
                base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            )
        except ValueError:
            user = password = ""
        if (user, password) != (self.client_id, self.client_secret):
            return _reply(start_response, 401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.token_seconds
        reply = {"access_token": token, "token_type": "Bearer", "expires_in": self.token_seconds}
        return _reply(start_response, 200, reply)

    def _bearer_ok(self, environ: dict[str, Any]) -> bool:
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        return self._tokens.get(token, 0) > time.monotonic()

    def _lgsp_status(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        body = read_json(environ)
        if body is None:
            return _reply(start_response, 422, {"ketQua": "rejected", "lyDo": "Không phải JSON"})
        unit = body.get("MaDonVi")
        if not isinstance(unit, str) or not UNIT_CODE.fullmatch(unit):
            return _reply(
                start_response,
                422,
                {"ketQua": "rejected", "lyDo": f"MaDonVi không hợp lệ: {unit!r}"},
            )
        dossier, progress = body.get("HoSo"), body.get("TienDo")
        if not isinstance(dossier, dict) or not isinstance(progress, dict):
            return _reply(
                start_response, 422, {"ketQua": "rejected", "lyDo": "Thiếu HoSo hoặc TienDo"}
            )
        dossier = {**dossier, "MaThongDiep": body.get("MaThongDiep")}
        progress = {**progress, "MaThongDiep": body.get("MaThongDiep")}
        outcome = self._accept(
            "lgsp", "trang-thai", unit, dossier, progress, bool(body.get("isUpdating"))
        )
        if outcome.startswith("rejected:"):
            return _reply(
                start_response,
                422,
                {"ketQua": "rejected", "lyDo": outcome.removeprefix("rejected:")},
            )
        if outcome.startswith("duplicate:"):
            return _reply(
                start_response,
                200,
                {"ketQua": "duplicate", "maTiepNhan": outcome.removeprefix("duplicate:")},
            )
        return _reply(start_response, 200, {"ketQua": "accepted", "maTiepNhan": outcome})

    # -- the portal's store -------------------------------------------------------------------
    def _accept(
        self,
        system: str,
        service: str,
        unit: str,
        dossier: dict[str, Any] | None,
        progress: dict[str, Any] | None,
        updating: bool,
    ) -> str:
        """ "<receipt>", "duplicate:<receipt>" or "rejected:<reason>"."""
        message_id = str((dossier or progress or {}).get("MaThongDiep") or "")
        if not message_id or len(message_id) > 64:
            return "rejected:MaThongDiep thiếu hoặc dài quá 64 ký tự"
        with self._lock:
            if (system + service, message_id) in self._seen:
                return "duplicate:" + self._seen[(system + service, message_id)]
            problems = [*check_dossier(dossier, unit)] if dossier is not None else []
            problems += check_progress(progress) if progress is not None else []
            code = str((dossier or progress or {}).get("MaHoSo", ""))
            held = self.held[system].get(code)
            if dossier is not None and updating and held is None:
                problems.append(f"Hồ sơ {code} chưa có trên cổng, không cập nhật được")
            if dossier is None and held is None:
                problems.append(f"Hồ sơ {code} chưa có trên cổng, không ghi được tiến độ")
            if problems:
                return "rejected:" + "; ".join(problems)
            held = self.held[system].setdefault(code, {"MaDonVi": unit, "HoSo": {}, "TienDo": []})
            if dossier is not None:
                held["HoSo"] = dossier
            if progress is not None:
                held["TienDo"].append(progress)
            receipt = f"{system.upper()}-{len(self.received) + 1:08d}"
            self._seen[(system + service, message_id)] = receipt
            self.received.append((system, service, message_id))
            return receipt


def check_dossier(item: dict[str, Any], unit: str) -> Iterable[str]:
    code = str(item.get("MaHoSo") or "")
    if not code.startswith(unit + "-"):
        yield f"MaHoSo “{code}” phải bắt đầu bằng mã đơn vị {unit}"
    if not PROCEDURE_CODE.fullmatch(str(item.get("MaTTHC") or "")):
        yield f"MaTTHC “{item.get('MaTTHC')}” không có trong CSDL TTHC quốc gia"
    if not str(item.get("ChuHoSo") or "").strip():
        yield "ChuHoSo trống"
    if item.get("KenhThucHien") not in (1, 2, 3):
        yield "KenhThucHien phải là 1, 2 hoặc 3"
    if item.get("LoaiDoiTuong") not in (1, 2, 3, 4):
        yield "LoaiDoiTuong phải từ 1 đến 4"
    if item.get("TrangThaiHoSo") not in range(1, 11):
        yield "TrangThaiHoSo phải từ 1 đến 10"
    if len(str(item.get("TrichYeuHoSo") or "")) > 1000:
        yield "TrichYeuHoSo dài quá 1000 ký tự"
    for person in item.get("DinhDanhCHS") or []:
        number = str(person.get("SoDinhDanh", ""))
        if not number.isdigit() or len(number) not in (9, 12):
            yield "SoDinhDanh phải có 9 hoặc 12 chữ số"
    if not item.get("NgayTiepNhan"):
        yield "NgayTiepNhan trống"
    yield from _check_dates(item, DATE_FIELDS)


def check_progress(item: dict[str, Any]) -> list[str]:
    problems = list(_check_dates(item, PROGRESS_DATES))
    if item.get("TrangThai") not in range(1, 11):
        problems.append("TrangThai phải từ 1 đến 10")
    if len(str(item.get("NguoiXuLy") or "")) > 50:
        problems.append("NguoiXuLy dài quá 50 ký tự")
    if not item.get("ThoiDiemXuLy"):
        problems.append("ThoiDiemXuLy trống")
    return problems


def _check_dates(item: dict[str, Any], fields: Iterable[str]) -> Iterable[str]:
    for name in fields:
        value = item.get(name)
        if not value:
            continue
        try:
            datetime.strptime(str(value), "%Y%m%d%H%M%S")
        except ValueError:
            yield f"{name} “{value}” không đúng định dạng yyyyMMddHHmmss"


REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _reply(
    start_response: StartResponse,
    status: int,
    body: dict[str, Any],
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    return json_reply(start_response, f"{status} {REASONS.get(status, 'Error')}", body, extra)


class RunningPortal(Served):
    """A simulator serving on 127.0.0.1 in a daemon thread until ``stop()``."""

    app: PortalSimulator

    def __init__(self, app: PortalSimulator, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(app, host, port)
        app.base_url = self.base_url  # the files' links point here


def start_portal_simulator(port: int = 0, **credentials: Any) -> RunningPortal:
    return RunningPortal(PortalSimulator(**credentials), port=port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local DVCQG / LGSP portal simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args(argv)
    app = PortalSimulator()
    base = app.base_url = f"http://{args.host}:{args.port}"
    serve_until_interrupted(
        app,
        args.host,
        args.port,
        f"Portal simulator on {base} (DVCQG {base}/dvcqg, LGSP {base}/lgsp)",
        f"MOTCUA_PORTALS=dvcqg,lgsp MOTCUA_DVCQG_URL={base}/dvcqg MOTCUA_LGSP_URL={base}/lgsp",
    )


if __name__ == "__main__":
    main()
