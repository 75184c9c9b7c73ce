"""The demo ward's synchronised history: every status message of the demo dossiers delivered
through the configured adapters (the laptop default: the file, with the portal's checks), then
dated like the rest of the demo (a few minutes after each event; a few a day or more late).
One message is rejected as a real portal would: it is sent while the procedure's national
code is mistyped in the catalogue ("minh họa"), so the officer's view shows the portal's
reason, the dossier's later statuses waiting behind it, and "Send again" once it is fixed."""

import random
from datetime import timedelta

from motcua.core.messaging.delivery import deliver
from motcua.core.models import AdministrativeUnit, OutboxMessage, OutboxStatus

from .models import SyncMessage

TYPO = "1.00102"  # the national code 1.001022 with its last digit lost


def load(ward: AdministrativeUnit) -> int:
    syncs = SyncMessage.objects.filter(dossier__unit=ward).select_related("dossier__procedure")
    if syncs.filter(outbox__status=OutboxStatus.SENT).exists():
        return 0  # loaded before
    staged = syncs.filter(seq=1).order_by("-event_at", "-pk").first()
    if staged is not None:
        _reject(staged)
    pending = syncs.filter(outbox__status=OutboxStatus.PENDING).order_by("outbox_id")
    for outbox_id in list(pending.values_list("outbox_id", flat=True)):
        deliver(outbox_id)
    _date_like_the_demo(ward)
    return syncs.count()


def _reject(sync: SyncMessage) -> None:
    procedure = sync.dossier.procedure
    code, procedure.code = procedure.code, TYPO
    procedure.save(update_fields=["code"])
    try:
        deliver(sync.outbox_id)
    finally:
        procedure.code = code
        procedure.save(update_fields=["code"])


def _date_like_the_demo(ward: AdministrativeUnit) -> None:
    """Acknowledged minutes after the event, as a connected portal would; about one dossier in
    twelve a day and more late (the portal was down), so the figure is not a flat 100%."""
    rng = random.Random(18)
    sent = SyncMessage.objects.filter(dossier__unit=ward, outbox__status=OutboxStatus.SENT)
    late = {
        pk
        for pk in sent.order_by("dossier_id").values_list("dossier_id", flat=True).distinct()
        if rng.random() < 1 / 12
    }
    for sync in sent.order_by("pk").only("pk", "outbox_id", "dossier_id", "event_at"):
        late_one = sync.dossier_id in late
        lag = (
            timedelta(hours=rng.randint(25, 40))
            if late_one
            else timedelta(minutes=rng.randint(1, 90))
        )
        OutboxMessage.objects.filter(pk=sync.outbox_id).update(
            sent_at=sync.event_at + lag, created_at=sync.event_at
        )
