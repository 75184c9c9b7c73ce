"""The figure "dossier progress synchronised on time": a dossier counts when every one of its
statuses was acknowledged within the delay; one late or still-waiting status spoils it."""

from datetime import timedelta

from django.utils import timezone

from motcua.core.figures import compute
from motcua.core.messaging.delivery import sweep
from motcua.core.models import OutboxMessage
from motcua.dossiers.services.handling import transfer
from motcua.dossiers.services.intake import receive
from motcua.interop.models import SyncMessage
from tests.dossiers.conftest import new_dossier


def test_only_dossiers_whose_every_status_arrived_within_the_delay_count(
    ward, procedure, staff, settings
):
    settings.MOTCUA_PORTAL_SYNC_DELAY_HOURS = 24
    now = timezone.now()
    dossiers = []
    for _ in range(4):
        d = new_dossier(ward, procedure, staff["desk"])
        receive(d, actor=staff["desk"], at=now - timedelta(hours=30))
        transfer(d, actor=staff["desk"], to_user=staff["justice"], at=now - timedelta(hours=29))
        dossiers.append(d)
    sweep()  # every status acknowledged now, 29–30 hours after its event: late
    on_time, one_late, waiting, _never = dossiers
    for d, lag in ((on_time, 2), (one_late, 2)):
        for sync in SyncMessage.objects.filter(dossier=d):
            OutboxMessage.objects.filter(pk=sync.outbox_id).update(
                sent_at=sync.event_at + timedelta(hours=lag)
            )
    late = SyncMessage.objects.filter(dossier=one_late).order_by("seq").last()
    OutboxMessage.objects.filter(pk=late.outbox_id).update(
        sent_at=late.event_at + timedelta(hours=25)
    )
    pending = SyncMessage.objects.filter(dossier=waiting).order_by("seq").last()
    OutboxMessage.objects.filter(pk=pending.outbox_id).update(status="pending", sent_at=None)
    table = compute([ward.pk], now - timedelta(days=2), now + timedelta(hours=1))
    value = table.value("synced_national_portal", ward.pk)
    assert (value.numerator, value.denominator) == (1, 4)
    figure = next(f for f in table.figures if f.key == "synced_national_portal")
    rows = figure.rows(table.scope)
    assert list(rows) == [on_time]
