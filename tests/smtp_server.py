"""A real SMTP server for mail tests (aiosmtpd on 127.0.0.1, in a background thread)."""

import asyncio
import email
import email.policy
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class _Collector:
    """aiosmtpd handler: keeps each message parsed, or refuses it with a 451 when asked."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.reject_remaining = 0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            if self.reject_remaining > 0:
                self.reject_remaining -= 1
                return "451 4.3.0 Temporary failure, try again later"
            # SMTP carries CRLF line ends; tests compare with Python's "\n".
            raw = (envelope.original_content or envelope.content).replace(b"\r\n", b"\n")
            message = email.message_from_bytes(raw, policy=email.policy.default)
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted"


class _AnyPortController(Controller):
    """With port 0 the OS picks a free port; learn it before aiosmtpd's self-check connects."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    def __init__(self, port: int = 0) -> None:
        self._handler = _Collector()
        self._controller = _AnyPortController(self._handler, hostname="127.0.0.1", port=port)
        self._controller.start()
        self.host, self.port = "127.0.0.1", self._controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    def reject_next(self, n: int) -> None:
        """Answer the next ``n`` messages with a 451 temporary error, as a busy server does."""
        with self._handler.arrived:
            self._handler.reject_remaining = n

    def wait_for(self, n: int, timeout: float = 5) -> list[EmailMessage]:
        """Block until at least ``n`` messages have arrived; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._handler.arrived:
            while len(self.messages) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} of {n} messages within {timeout}s")
                self._handler.arrived.wait(left)
            return list(self.messages)

    def stop(self) -> None:
        self._controller.stop()


def start_smtp_server(port: int = 0) -> SmtpServer:
    """An SMTP server on 127.0.0.1 (``port=0``: any free port; see ``.port``)."""
    return SmtpServer(port)
