"""The outbox's sender for the portal channel: one claimed message, through its adapter.

Runs outside any transaction (core's delivery). Killed between the portal's answer and the
outbox's update, the message is sent again by the crash recovery and the portal answers
"duplicate" on its ``MaThongDiep``: at least once, held once.
"""

import json

from motcua.core.messaging.sms import DeliveryError
from motcua.core.models import OutboxMessage

from . import payload
from .adapters import PortalError
from .models import SyncMessage
from .systems import adapter_for


def send(message: OutboxMessage) -> str:
    sync = SyncMessage.objects.select_related("dossier__unit", "dossier__procedure__field").get(
        outbox_id=message.pk
    )
    # The catalogue part (procedure and unit codes) is read now: a correction an officer made
    # after a rejection reaches every message still waiting, not only the one sent again.
    body = payload.refresh_reference(json.loads(message.body), sync.dossier)
    try:
        ack = adapter_for(message.recipient).send(body, first=sync.seq == 1)
    except PortalError as error:
        if not error.temporary:
            SyncMessage.objects.filter(pk=sync.pk).update(outcome="rejected")
        raise DeliveryError(str(error), temporary=error.temporary) from error
    except LookupError as error:
        raise DeliveryError(str(error), temporary=False) from error
    SyncMessage.objects.filter(pk=sync.pk).update(outcome=ack.outcome)
    return ack.reference
