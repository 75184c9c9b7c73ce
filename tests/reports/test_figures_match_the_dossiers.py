"""The figures engine counts several figures per scan (core.figures._batch: an OR of windows,
one FILTER per figure, uncorrelated sub-queries for apologies, papers and payments). Whatever
it does to be fast, each figure must equal counting the dossiers one by one: checked here on
random dossiers and random periods, for two units at once."""

import random
from datetime import datetime, timedelta

import pytest

from motcua.core.calendar import VN_TZ
from motcua.core.figures import Share as S
from motcua.core.figures import compute
from motcua.dossiers.models import Apology, Channel, Dossier, DossierPaper, Status, Timeliness
from motcua.portal.models import Payment
from tests.conftest import make_user
from tests.dossiers.conftest import make_procedure

START = datetime(2025, 1, 1, tzinfo=VN_TZ)
DAYS = 400
KEYS = [
    "received",
    "received_desk",
    "received_online",
    "online_share",
    "returned",
    "returned_late",
    "on_time_share",
    "withdrawn",
    "open_at_end",
    "overdue_at_end",
    "late_without_apology",
    "online_paid_share",
    "digitised_share",
    "apologies",
    "apologies_late",
]


def _moment(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(DAYS * 86400))


@pytest.fixture
def history(ward, other_ward, province):  # type: ignore[no-untyped-def]
    rng = random.Random(19)
    procedure = make_procedure(province)
    desk = make_user("motcua", ward, "desk_officer")
    rows = []
    for n in range(300):
        received = _moment(rng)
        d = Dossier(
            unit=rng.choice([ward, other_ward]),
            procedure=procedure,
            channel=rng.choice(list(Channel.values)),
            applicant_kind="citizen",
            applicant_name=f"Người {n}",
            received_at=received,
            clock_start=received,
            due_at=received + timedelta(days=rng.choice([1, 3, 10])),
            fee_due=rng.choice([0, 0, 20000]),
            status=Status.IN_PROGRESS,
        )
        fate = rng.random()
        if fate < 0.6:
            d.status, d.returned_at = Status.RETURNED, received + timedelta(days=rng.randrange(15))
            d.timeliness = rng.choice(list(Timeliness.values))
        elif fate < 0.7:
            d.status, d.withdrawn_at = (
                Status.WITHDRAWN,
                received + timedelta(hours=rng.randrange(400)),
            )
        rows.append(d)
    Dossier.objects.bulk_create(rows)
    for d in rows:
        if rng.random() < 0.3:
            Apology.objects.create(
                dossier=d,
                reason="Chậm",
                original_due_at=d.due_at,
                new_due_at=d.due_at + timedelta(days=2),
                issued_by=desk,
                signed_by=desk,
                issued_at=d.due_at,
                timely=rng.random() < 0.5,
            )
            if rng.random() < 0.3:  # a second apology: the dossier still counts once
                Apology.objects.create(
                    dossier=d,
                    reason="Chậm lần hai",
                    original_due_at=d.due_at + timedelta(days=2),
                    new_due_at=d.due_at + timedelta(days=5),
                    issued_by=desk,
                    signed_by=desk,
                    issued_at=d.due_at + timedelta(days=rng.choice([0, 1, 40])),
                    timely=rng.random() < 0.5,
                )
        for k in range(rng.choice([0, 1, 2])):
            DossierPaper.objects.create(
                dossier=d,
                name=f"Giấy {k}",
                originals=1,
                scan="" if rng.random() < 0.4 else f"scans/{d.pk}-{k}.pdf",
            )
        if d.fee_due and rng.random() < 0.6:
            Payment.objects.create(
                dossier=d,
                txn_ref=f"T{d.pk}",
                amount=d.fee_due,
                status=rng.choice(["paid", "pending"]),
                created_by=desk,
            )
    return [ward, other_ward]


def _counted(d: Dossier, start: datetime, end: datetime) -> dict[str, bool]:
    """Each figure's rule, read off one dossier (what an inspector would do by hand)."""

    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    received = within(d.received_at)
    returned = within(d.returned_at) and d.status == Status.RETURNED
    still_open = (
        d.received_at < end
        and not (d.returned_at and d.returned_at < end)
        and not (d.withdrawn_at and d.withdrawn_at < end)
    )
    papers = list(d.papers.all())
    paid = any(p.status == "paid" for p in d.payments.all())
    apologies = [a for a in d.apologies.all() if within(a.issued_at)]
    return {
        "received": received,
        "received_desk": received and d.channel == Channel.DESK,
        "received_online": received and d.channel == Channel.ONLINE,
        "online": received and d.channel in (Channel.ONLINE, Channel.ONLINE_ASSISTED),
        "returned": returned,
        "returned_late": returned and d.timeliness == Timeliness.LATE,
        "in_time": returned and d.timeliness in (Timeliness.EARLY, Timeliness.ON_TIME),
        "withdrawn": within(d.withdrawn_at),
        "open_at_end": still_open,
        "overdue_at_end": still_open and d.due_at < end,
        "late_without_apology": returned
        and d.timeliness == Timeliness.LATE
        and not d.apologies.exists(),
        "with_fee": received and d.fee_due > 0,
        "paid": received and d.fee_due > 0 and paid,
        "with_papers": received and bool(papers),
        "digitised": received and bool(papers) and all(p.scan for p in papers),
        "apologies": bool(apologies),
        "apologies_late": any(not a.timely for a in apologies),
    }


def test_every_figure_equals_counting_the_dossiers_on_random_periods(history):  # type: ignore[no-untyped-def]
    rng = random.Random(1906)
    dossiers = list(Dossier.objects.prefetch_related("papers", "payments", "apologies"))
    for _ in range(12):
        start = START + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(24))
        end = start + timedelta(days=rng.choice([1, 7, 31, 92, 365]))
        table = compute([u.pk for u in history], start, end, KEYS)
        for unit in history:
            mine = [_counted(d, start, end) for d in dossiers if d.unit_id == unit.pk]

            def n(rule: str, rows: list[dict[str, bool]] = mine) -> int:
                return sum(row[rule] for row in rows)

            expected = {
                **{
                    key: n(key)
                    for key in (
                        "received",
                        "received_desk",
                        "received_online",
                        "returned",
                        "returned_late",
                        "withdrawn",
                        "open_at_end",
                        "overdue_at_end",
                        "late_without_apology",
                        "apologies",
                        "apologies_late",
                    )
                },
                "online_share": S(n("online"), n("received")),
                "on_time_share": S(n("in_time"), n("returned")),
                "online_paid_share": S(n("paid"), n("with_fee")),
                "digitised_share": S(n("digitised"), n("with_papers")),
            }
            found = {key: table.value(key, unit.pk) for key in KEYS}
            assert found == expected, (start, end, unit.code)
