"""Read the ward's official mailbox over IMAP: each unread message becomes an incoming document.

Fetching uses ``BODY.PEEK[]`` so nothing is marked read until ``mark_processed`` says so: a
crash between fetching and registering leaves the message unread, and the next poll takes it
again (callers deduplicate on ``message_id``).
"""

import base64
import contextlib
import email
import email.policy
import hashlib
import imaplib
import mimetypes
import re
import ssl as ssl_module
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Self

PROCESSED_FOLDER = "MotCua-Da-Xu-Ly"
_FETCH_ITEM = re.compile(rb"UID (\d+)|INTERNALDATE \"([^\"]+)\"")
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]+")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul"}


class MailboxError(Exception):
    """The mail server could not be reached, refused the login, or refused a command."""


@dataclass
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class FetchedMail:
    uid: int
    message_id: str
    sender: str  # decoded "Display Name <address>", or the bare address
    subject: str
    received_at: datetime  # always timezone-aware
    text: str
    attachments: list[MailAttachment]


class ImapMailbox:
    """One IMAP folder; use as a context manager, or call ``connect``/``close`` yourself."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        ssl: bool = True,
        folder: str = "INBOX",
        timeout: float = 30,
        ssl_context: ssl_module.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.username = host, port, username
        self._password, self._ssl, self.folder, self.timeout = password, ssl, folder, timeout
        # An internal CA (common on provincial mail servers) is trusted by passing its context.
        self._ssl_context = ssl_context
        self._conn: imaplib.IMAP4 | None = None
        self._capabilities: set[str] = set()

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def connect(self) -> None:
        if self._conn is not None:
            return
        conn = self._open()
        try:
            self._login(conn)
        except (imaplib.IMAP4.error, OSError) as error:
            _quietly_shut(conn)
            raise MailboxError(
                f"Máy chủ thư từ chối đăng nhập tài khoản {self.username}: {_reason(error)}"
            ) from error
        self._conn = conn
        try:
            # Servers announce more after login (Dovecot adds MOVE); imaplib keeps the first list.
            data = self._run("đọc khả năng máy chủ", "capability")
            self._capabilities = set((data[0] or b"").decode().upper().split())
            self._run("mở thư mục " + self.folder, "select", _mailbox_name(self.folder))
        except MailboxError:
            self.close()
            raise

    def _login(self, conn: imaplib.IMAP4) -> None:
        if (self.username + self._password).isascii():
            conn.login(self.username, self._password)
        else:  # imaplib's LOGIN is ASCII-only; SASL PLAIN carries UTF-8 (RFC 4616)
            credentials = f"\0{self.username}\0{self._password}".encode()
            conn.authenticate("PLAIN", lambda _challenge: credentials)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()  # a failure means the connection is gone anyway

    def fetch_unseen(self, limit: int = 50) -> list[FetchedMail]:
        """Up to ``limit`` unread messages, oldest first, left unread on the server."""
        data = self._run("tìm thư chưa đọc", "uid", "SEARCH", "UNSEEN")
        uids = sorted(int(uid) for uid in (data[0] or b"").split())[:limit]
        if not uids:
            return []
        items = "(UID INTERNALDATE BODY.PEEK[])"
        data = self._run("tải thư", "uid", "FETCH", _uid_set(uids), items)
        return [_parse(head, raw) for head, raw in _fetched_parts(data)]

    def mark_processed(self, uids: list[int], move_to: str | None = PROCESSED_FOLDER) -> None:
        """Mark ``uids`` read and, unless ``move_to`` is None, move them into that folder."""
        if not uids:
            return
        uid_set = _uid_set(uids)
        self._run("đánh dấu đã đọc", "uid", "STORE", uid_set, "+FLAGS.SILENT", r"(\Seen)")
        if move_to is not None:
            self._ensure_folder(move_to)
            self._move(uid_set, _mailbox_name(move_to))

    def _open(self) -> imaplib.IMAP4:
        try:
            if self._ssl:
                context = self._ssl_context or ssl_module.create_default_context()
                return imaplib.IMAP4_SSL(
                    self.host, self.port, ssl_context=context, timeout=self.timeout
                )
            return imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        except (imaplib.IMAP4.error, OSError, UnicodeError, ValueError) as error:
            # UnicodeError: a mistyped host name ("mail..phuthuy.gov.vn") fails IDNA encoding
            raise MailboxError(
                f"Không kết nối được tới máy chủ thư {self.host}:{self.port}: {_reason(error)}"
            ) from error

    def _ensure_folder(self, folder: str) -> None:
        name = _mailbox_name(folder)
        if any(self._run("liệt kê thư mục", "list", '""', name)):
            return
        self._run("tạo thư mục " + folder, "create", name)
        # Subscribed, so staff reading the mailbox in a mail client see the folder too.
        self._run("đăng ký thư mục " + folder, "subscribe", name)

    def _move(self, uid_set: str, target: str) -> None:
        if "MOVE" in self._capabilities:
            self._run("chuyển thư", "uid", "MOVE", uid_set, target)
            return
        # Without MOVE (RFC 6851): copy, flag deleted, expunge; only these UIDs with UIDPLUS.
        self._run("sao chép thư", "uid", "COPY", uid_set, target)
        self._run("xoá thư khỏi thư mục", "uid", "STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)")
        if "UIDPLUS" in self._capabilities:
            self._run("dọn thư đã xoá", "uid", "EXPUNGE", uid_set)
        else:
            self._run("dọn thư đã xoá", "expunge")

    def _run(self, action: str, method: str, *args: str) -> list[Any]:
        """Call one imaplib method; any failure becomes a MailboxError that says ``action``."""
        self.connect()
        assert self._conn is not None
        try:
            typ, data = getattr(self._conn, method)(*args)
        except (imaplib.IMAP4.error, OSError) as error:
            if isinstance(error, imaplib.IMAP4.abort | OSError):
                self._conn = None  # the connection is unusable; the next call reconnects
            raise MailboxError(f"Máy chủ thư báo lỗi khi {action}: {_reason(error)}") from error
        if typ != "OK":
            raise MailboxError(f"Máy chủ thư báo lỗi khi {action}: {_reason(data)}")
        return list(data)


def _quietly_shut(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown()


def _reason(error: object) -> str:
    if isinstance(error, imaplib.IMAP4.error) and error.args:
        error = error.args[0]  # imaplib wraps the server's answer, often as bytes
    if isinstance(error, list):
        error = b" ".join(item for item in error if isinstance(item, bytes))
    if isinstance(error, bytes):
        return error.decode("utf-8", "replace")
    if isinstance(error, TimeoutError):
        return "hết thời gian chờ"
    return str(error) or type(error).__name__


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _mailbox_name(folder: str) -> str:
    """``folder`` quoted, in IMAP's modified UTF-7 (RFC 3501 5.1.3), e.g. "Đã xử lý"."""

    def encode(run: re.Match[str]) -> str:
        utf16 = base64.b64encode(run[0].encode("utf-16-be")).decode()
        return "&" + utf16.rstrip("=").replace("/", ",") + "-"

    encoded = _NOT_PRINTABLE_ASCII.sub(encode, folder.replace("&", "&-"))
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetched_parts(data: list[Any]) -> list[tuple[bytes, bytes]]:
    # Message data arrives as (head, literal) tuples; bare bytes are closing ")" or flag updates.
    return [(item[0], item[1]) for item in data if isinstance(item, tuple)]


def _parse(head: bytes, raw: bytes) -> FetchedMail:
    uid, internal_date = 0, ""
    for match in _FETCH_ITEM.finditer(head):
        if match[1]:
            uid = int(match[1])
        if match[2]:
            internal_date = match[2].decode()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return FetchedMail(
        uid=uid,
        message_id=_header(message, "Message-ID") or _synthetic_id(raw),
        sender=_header(message, "From"),
        subject=_header(message, "Subject"),
        received_at=_received_at(message, internal_date),
        text=_body_text(message),
        attachments=_attachments(message),
    )


def _header(message: EmailMessage, name: str) -> str:
    """The decoded header on one line, in NFC (macOS mail clients send decomposed Vietnamese)."""
    try:
        value = str(message.get(name, ""))
    except (ValueError, IndexError, TypeError):  # too broken for the parser: decode it plainly
        raw = (value for key, value in message.raw_items() if key.lower() == name.lower())
        value = _decode_words(next(raw, ""))
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _decode_words(value: str) -> str:
    return str(email.header.make_header(email.header.decode_header(value)))


def _synthetic_id(raw: bytes) -> str:
    # A mail without Message-ID still needs a stable key so a re-fetch is not registered twice.
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:32]}@motcua.invalid>"


def _received_at(message: EmailMessage, internal_date: str) -> datetime:
    """The Date header, else the server's arrival time; never a naive datetime."""
    for value in (_header(message, "Date"), internal_date.strip().replace("-", " ", 2)):
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is not None:  # "-0000" means an unknown zone: not good enough
            return moment
    # Refusing the mail would block the mailbox on it at every poll; now is nearly right.
    return datetime.now(UTC)


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if not isinstance(body, EmailMessage):
        return ""
    text = _part_text(body)
    if body.get_content_subtype() == "html":
        text = html_to_text(text)
    return unicodedata.normalize("NFC", text.strip())


def _part_text(part: Message) -> str:
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _attachments(message: EmailMessage) -> list[MailAttachment]:
    body = message.get_body(preferencelist=("plain", "html"))
    found: list[MailAttachment] = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        filename = part.get_filename()
        if part.get_content_disposition() != "attachment" and not filename:
            continue  # inline parts without a name are the body's alternatives or images
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        content_type = part.get_content_type()
        name = _safe_filename(filename or "", content_type, len(found) + 1)
        found.append(MailAttachment(filename=name, content_type=content_type, data=data))
    return found


def _safe_filename(filename: str, content_type: str, number: int) -> str:
    """Decoded, NFC, without any directory part; a made-up name when the sender gave none."""
    if "=?" in filename:  # RFC 2047 inside a parameter: not standard, but common
        filename = _decode_words(filename)
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in {"", ".", ".."}:
        name = f"tep-dinh-kem-{number}{mimetypes.guess_extension(content_type) or '.bin'}"
    return name


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head"}:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"}:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail body: tags dropped, one line per block, no blank runs."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.chunks).splitlines())
    return "\n".join(line for line in lines if line)
