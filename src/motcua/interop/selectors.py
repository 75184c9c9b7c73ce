"""Reconciliation: what MotCua holds against what each portal acknowledged (and, asked by the
command, what the portal says it holds), per day and per dossier."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, OutboxStatus
from motcua.dossiers.models import Dossier, Status

from .adapters import PortalError
from .models import SyncMessage
from .services import mapping
from .systems import adapter_for

STATES = {
    "rejected": _("rejected by the portal"),
    "unacknowledged": _("sent, not yet acknowledged"),
    "not_sent": _("not yet sent"),
    "out_of_date": _("out of date on the portal"),
    "in_step": _("in step"),
}
WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass
class DossierLine:
    dossier: Dossier
    system: str
    state: str = "in_step"
    queued: int | None = None  # the last status code queued
    acknowledged: int | None = None  # the last status code the portal acknowledged
    on_portal: int | None = None  # what the portal says it holds (when asked)
    reason: str = ""
    messages: list[SyncMessage] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


@dataclass
class DayLine:
    day: date
    queued: int = 0
    on_time: int = 0
    late: int = 0
    waiting: int = 0
    rejected: int = 0


@dataclass
class Reconciliation:
    system: str
    start: datetime
    end: datetime
    days: list[DayLine]
    dossiers: list[DossierLine]

    def count(self, state: str) -> int:
        return sum(1 for line in self.dossiers if line.state == state)

    @property
    def totals(self) -> dict[str, int]:
        return {state: self.count(state) for state in STATES}


def dossiers_in(units: QuerySet[AdministrativeUnit], start: datetime, end: datetime) -> QuerySet:
    """Received in [start, end), or with a status message of an event in it."""
    touched = SyncMessage.objects.filter(event_at__gte=start, event_at__lt=end).values("dossier")
    return (
        Dossier.objects.filter(unit__in=units, code__isnull=False)
        .filter(Q(received_at__gte=start, received_at__lt=end) | Q(pk__in=touched))
        .select_related("unit")
        .order_by("received_at", "pk")
    )


def reconcile(
    units: QuerySet[AdministrativeUnit],
    system: str,
    start: datetime,
    end: datetime,
    *,
    ask_portal: bool = False,
) -> Reconciliation:
    dossiers = list(dossiers_in(units, start, end))
    by_dossier: dict[int, list[SyncMessage]] = defaultdict(list)
    rows = SyncMessage.objects.filter(system=system, dossier__in=[d.pk for d in dossiers])
    for row in rows.select_related("outbox").order_by("dossier", "seq"):
        by_dossier[row.dossier_id].append(row)
    sent_statuses = _sent_statuses()
    lines = [
        _line(d, system, by_dossier[d.pk], d.status in sent_statuses, ask_portal) for d in dossiers
    ]
    order = list(STATES)
    lines.sort(key=lambda line: order.index(line.state))
    return Reconciliation(system, start, end, _days(by_dossier.values(), start, end), lines)


def _sent_statuses() -> set[str]:
    keys = [f"status:{status}" for status in Status.values]
    found = mapping(keys)
    return {key.removeprefix("status:") for key, (code, send) in found.items() if code and send}


def _line(
    dossier: Dossier, system: str, messages: list[SyncMessage], expected: bool, ask: bool
) -> DossierLine:
    line = DossierLine(dossier, system, messages=messages)
    acknowledged = [m for m in messages if m.outbox.status == OutboxStatus.SENT]
    line.queued = messages[-1].status_code if messages else None
    line.acknowledged = acknowledged[-1].status_code if acknowledged else None
    failed = [m for m in messages if m.outbox.status == OutboxStatus.FAILED]
    if failed:
        line.state, line.reason = "rejected", failed[0].outbox.last_error
    elif any(m.outbox.status in WAITING for m in messages):
        line.state = "unacknowledged"
        line.reason = next(m.outbox.last_error for m in messages if m.outbox.status in WAITING)
    elif not messages:
        line.state = "not_sent" if expected else "in_step"
    elif ask:
        _ask_portal(line)
    return line


def _ask_portal(line: DossierLine) -> None:
    dossier = line.dossier
    try:
        held = adapter_for(line.system).lookup(dossier.unit.identifier_code, dossier.code or "")
    except PortalError as error:
        line.reason = str(error)
        return
    line.on_portal = int(held["TrangThaiHoSo"]) if held else None
    if line.on_portal != line.acknowledged:
        line.state = "out_of_date"
        line.reason = str(
            _("The portal holds status %(portal)s; MotCua's last acknowledged status is %(ours)s.")
            % {"portal": line.on_portal or "—", "ours": line.acknowledged}
        )


def _days(series: Iterable[list[SyncMessage]], start: datetime, end: datetime) -> list[DayLine]:
    delay = timedelta(hours=settings.MOTCUA_PORTAL_SYNC_DELAY_HOURS)
    now = timezone.now()
    days: dict[date, DayLine] = {}
    for messages in series:
        for m in messages:
            if not start <= m.event_at < end:
                continue
            day = m.event_at.astimezone(VN_TZ).date()
            line = days.setdefault(day, DayLine(day))
            line.queued += 1
            sent = m.outbox.sent_at if m.outbox.status == OutboxStatus.SENT else None
            if m.outbox.status == OutboxStatus.FAILED:
                line.rejected += 1
            elif sent is None:
                line.waiting += 1
                if now - m.event_at > delay:
                    line.late += 1
            elif sent - m.event_at <= delay:
                line.on_time += 1
            else:
                line.late += 1
    return [days[d] for d in sorted(days)]
