"""Senders of the outbox channels that core does not deliver itself.

The app that owns a channel registers its sender in ``AppConfig.ready`` (the upper-level
portals: ``motcua.interop``), so core's delivery calls it without importing the app. A sender
takes the claimed message and returns the receiver's id for it, or raises
``messaging.sms.DeliveryError`` (``temporary`` decides between a retry and a failure).
"""

from collections.abc import Callable

from ..models import OutboxMessage
from .sms import DeliveryError

Sender = Callable[[OutboxMessage], str]

_senders: dict[str, Sender] = {}


def register(channel: str, sender: Sender) -> None:
    _senders[channel] = sender


def send(message: OutboxMessage) -> str:
    sender = _senders.get(message.channel)
    if sender is None:  # the owning app is not installed: keep the message until it is
        raise DeliveryError(f"Chưa có bộ gửi cho kênh {message.channel}.", temporary=True)
    return sender(message)
