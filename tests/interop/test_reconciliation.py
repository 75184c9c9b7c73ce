"""Reconciliation: per day and per dossier, what the portal acknowledged against what MotCua
holds (not sent, unacknowledged, rejected, out of date), on the page and from the command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.core.messaging.delivery import sweep
from motcua.core.models import AdministrativeUnit, AuditEvent, OutboxStatus
from motcua.dossiers.services.intake import receive
from motcua.interop.models import SyncMessage
from motcua.interop.selectors import reconcile
from tests.dossiers.conftest import at, new_dossier

from .test_outbound import walk_in


def _month(ward):  # type: ignore[no-untyped-def]
    return (
        AdministrativeUnit.objects.filter(pk=ward.pk),
        at("01/03/2026 00:00"),
        at("01/04/2026 00:00"),
    )


@pytest.fixture
def four_dossiers(ward, procedure, staff, portal, settings):  # type: ignore[no-untyped-def]
    """One in step, one rejected, one waiting (portal down), one received before the
    connection was configured; then the portal loses one it had acknowledged."""
    settings.MOTCUA_PORTALS = ["dvcqg"]
    synced = walk_in(ward, procedure, staff)
    sweep()
    settings.MOTCUA_PORTALS = []
    old = new_dossier(ward, procedure, staff["desk"])
    receive(old, actor=staff["desk"], at=at("05/03/2026 09:00"))
    settings.MOTCUA_PORTALS = ["dvcqg"]
    procedure.code = "HT-01"
    procedure.save()
    rejected = new_dossier(ward, procedure, staff["desk"])
    receive(rejected, actor=staff["desk"], at=at("06/03/2026 09:00"))
    sweep()
    procedure.code = "1.001022"
    procedure.save()
    portal.outage(True)
    waiting = new_dossier(ward, procedure, staff["desk"])
    receive(waiting, actor=staff["desk"], at=at("07/03/2026 09:00"))
    sweep()
    portal.outage(False)
    return {"synced": synced, "old": old, "rejected": rejected, "waiting": waiting}


def test_every_dossier_is_put_in_one_state_with_the_reason(ward, four_dossiers, portal):
    found = reconcile(*_month(ward)[:1], "dvcqg", *_month(ward)[1:], ask_portal=True)
    states = {line.dossier.pk: line.state for line in found.dossiers}
    assert states == {
        four_dossiers["synced"].pk: "in_step",
        four_dossiers["old"].pk: "not_sent",
        four_dossiers["rejected"].pk: "rejected",
        four_dossiers["waiting"].pk: "unacknowledged",
    }
    rejected = next(line for line in found.dossiers if line.state == "rejected")
    assert "MaTTHC" in rejected.reason
    day = {d.day.day: d for d in found.days}
    assert (day[2].queued, day[2].on_time) == (2, 0)  # backdated events: acknowledged late
    assert (day[6].rejected, day[7].waiting) == (1, 1)
    portal.held["dvcqg"][four_dossiers["synced"].code]["HoSo"]["TrangThaiHoSo"] = 4
    again = reconcile(*_month(ward)[:1], "dvcqg", *_month(ward)[1:], ask_portal=True)
    out = next(line for line in again.dossiers if line.dossier == four_dossiers["synced"])
    assert out.state == "out_of_date" and (out.on_portal, out.acknowledged) == (4, 10)


def test_the_command_reports_and_queues_what_the_portal_never_got(ward, four_dossiers, portal):
    output = StringIO()
    call_command(
        "reconcile_portal",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--queue-missing",
        stdout=output,
    )
    text = output.getvalue()
    assert "dvcqg: 4 hồ sơ" in text and "đã xếp gửi 1" in text
    assert four_dossiers["rejected"].code in text and "MaTTHC" in text
    old = four_dossiers["old"]
    assert SyncMessage.objects.get(dossier=old).status_code == 2
    assert AuditEvent.objects.filter(action="interop.queue_missing").count() == 1
    sweep()
    assert portal.progress_of(old.code) == [2]


def test_the_command_refuses_a_bad_range_in_vietnamese(ward, portal):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Khoảng ngày"):
        call_command("reconcile_portal", "--from", "2026-03-31", "--to", "2026-03-01")


def test_leaders_see_the_page_and_send_a_rejected_status_again(
    client, ward, staff, four_dossiers, portal
):
    client.force_login(staff["chairman"])
    page = client.get(reverse("interop-reconciliation"), {"thang": "2026-03", "cong": "dvcqg"})
    assert page.status_code == 200
    text = page.content.decode()
    assert four_dossiers["rejected"].code in text and "MaTTHC" in text
    assert four_dossiers["old"].code in text
    sync = SyncMessage.objects.get(dossier=four_dossiers["rejected"])
    answer = client.post(reverse("interop-send-again", args=[sync.pk]))
    assert answer.status_code == 302
    sync.outbox.refresh_from_db()
    assert sync.outbox.status == OutboxStatus.PENDING and sync.outcome == "rejected"
    sweep()  # what the worker does once the request's transaction commits
    sync.outbox.refresh_from_db()
    assert sync.outbox.status == OutboxStatus.SENT  # the code was fixed meanwhile
    assert portal.progress_of(four_dossiers["rejected"].code) == [2]


def test_a_desk_officer_may_not_see_the_reconciliation(client, ward, staff, portal):
    client.force_login(staff["desk"])
    assert client.get(reverse("interop-reconciliation")).status_code == 403
