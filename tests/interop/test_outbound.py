"""Every status of a dossier reaches the upper-level portals through the outbox, over real
HTTP to the simulator: in order, once, after outages, and a rejection is shown with its reason."""

import json

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core.messaging.delivery import sweep
from motcua.core.models import OutboxMessage, OutboxStatus
from motcua.dossiers.models import EventKind
from motcua.dossiers.services.closing import return_result
from motcua.dossiers.services.handling import (
    approve,
    attach_result,
    hand_over,
    record_work,
    transfer,
)
from motcua.dossiers.services.intake import receive
from motcua.interop.models import StatusMapping, SyncMessage
from motcua.interop.services import send_again
from tests.dossiers.conftest import at, new_dossier

WALK_IN = [2, 4, 4, 9, 10]  # received, transferred, handed over, result, returned


def walk_in(ward, procedure, staff):  # type: ignore[no-untyped-def]
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    record_work(
        d,
        actor=staff["justice"],
        kind=EventKind.APPRAISED,
        note="Đủ điều kiện",
        at=at("03/03/2026 08:00"),
    )
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 10:00"))
    approve(d, actor=staff["chairman"], to_user=staff["desk"], at=at("04/03/2026 10:00"))
    attach_result(d, actor=staff["desk"], paper=True, note="Trích lục", at=at("04/03/2026 10:05"))
    return_result(d, actor=staff["desk"], method="desk", at=at("04/03/2026 15:00"))
    return d


def portal_messages(dossier):  # type: ignore[no-untyped-def]
    return OutboxMessage.objects.filter(about=f"dossier:{dossier.pk}", channel="portal")


def due_now() -> None:
    OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(next_attempt_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_walk_in_dossier_reaches_both_portals_with_every_status_in_order(
    ward, procedure, staff, portal
):
    d = walk_in(ward, procedure, staff)
    assert portal.progress_of(d.code, "dvcqg") == WALK_IN
    assert portal.progress_of(d.code, "lgsp") == WALK_IN
    held = portal.held["dvcqg"][d.code]["HoSo"]
    assert held["MaTTHC"] == "1.001022" and held["TrangThaiHoSo"] == 10
    assert (held["NgayTiepNhan"], held["NgayTra"]) == ("20260302090000", "20260304150000")
    assert held["DinhDanhCHS"] == [{"LoaiDinhDanh": 1, "SoDinhDanh": "068090012345"}]
    assert "DiaChi" not in json.dumps(held)  # the address is not the portal's business
    rows = SyncMessage.objects.filter(dossier=d).order_by("system", "seq")
    assert [r.seq for r in rows if r.system == "dvcqg"] == [1, 2, 3, 4, 5]
    assert {r.outcome for r in rows} == {"accepted"}
    assert {m.status for m in portal_messages(d)} == {OutboxStatus.SENT}
    assert all(m.provider_id.startswith(("DVCQG-", "LGSP-")) for m in portal_messages(d))


@pytest.mark.django_db(transaction=True)
def test_a_state_change_that_rolls_back_sends_no_status(ward, procedure, staff, portal):
    d = new_dossier(ward, procedure, staff["desk"])
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
        raise RuntimeError("the receipt failed after the transition")
    assert not SyncMessage.objects.exists() and portal.requests == 0


def test_a_portal_outage_delays_the_statuses_and_loses_or_doubles_none(
    ward, procedure, staff, portal
):
    portal.outage(True)
    d = walk_in(ward, procedure, staff)
    sweep()
    sweep()
    first, *later = portal_messages(d).filter(recipient="dvcqg").order_by("pk")
    first.refresh_from_db()
    assert first.status == OutboxStatus.PENDING and "503" in first.last_error
    # The later statuses wait behind the first one: never tried, so never out of order.
    assert {m.attempts for m in later} == {0}
    portal.outage(False)
    due_now()
    sweep()
    assert portal.progress_of(d.code, "dvcqg") == WALK_IN
    assert portal.progress_of(d.code, "lgsp") == WALK_IN
    assert {m.status for m in portal_messages(d)} == {OutboxStatus.SENT}
    assert len(portal.received) == 2 * 5 + 5  # DVCQG: dossier + progress per status; LGSP: one


def test_a_timed_out_message_is_sent_again_and_held_once(ward, procedure, staff, portal, settings):
    settings.MOTCUA_PORTALS = ["dvcqg"]
    portal.fail_next(1, "timeout")  # the portal stores it, but answers after our timeout
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    sweep()
    message = portal_messages(d).get()
    assert message.status == OutboxStatus.PENDING and "không trả lời" in message.last_error
    due_now()
    sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert portal.progress_of(d.code) == [2]


@pytest.mark.parametrize("fault", ["500", "429", "expire"])
def test_server_errors_rate_limits_and_expired_sessions_are_survived(
    ward, procedure, staff, portal, fault
):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    sweep()  # both systems log in and send once
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    portal.fail_next(1, fault)
    sweep()
    due_now()
    sweep()
    assert portal.progress_of(d.code, "dvcqg") == [2, 4]
    assert portal.progress_of(d.code, "lgsp") == [2, 4]
    retried = portal_messages(d).filter(attempts=2)
    assert retried.count() == (0 if fault == "expire" else 1)  # a new session is taken at once


def test_a_rejected_status_shows_the_portals_reason_and_holds_back_the_later_ones(
    ward, procedure, staff, portal, settings
):
    settings.MOTCUA_PORTALS = ["dvcqg"]
    procedure.code = "HT-01"  # not a code of the national procedure database
    procedure.save()
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    sweep()
    first, second = portal_messages(d).order_by("pk")
    assert first.status == OutboxStatus.FAILED and "MaTTHC" in first.last_error
    assert second.status == OutboxStatus.PENDING and second.attempts == 0
    assert SyncMessage.objects.get(outbox=first).outcome == "rejected"
    procedure.code = "1.001022"  # the officer corrects the catalogue, then sends it again
    procedure.save()
    send_again(SyncMessage.objects.get(outbox=first), actor=staff["chairman"])
    sweep()
    assert portal.progress_of(d.code) == [2, 4]
    assert portal.held["dvcqg"][d.code]["HoSo"]["MaTTHC"] == "1.001022"


def test_the_status_table_is_data_a_province_can_change(ward, procedure, staff, portal, settings):
    settings.MOTCUA_PORTALS = ["dvcqg"]
    for key, change in [("action:transfer", {"send": False}), ("action:receive", {"code": 4})]:
        row = StatusMapping.objects.get(key=key)  # as the admin saves it: every process sees it
        for name, value in change.items():
            setattr(row, name, value)
        row.save()
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    sweep()
    assert portal.progress_of(d.code) == [4]
