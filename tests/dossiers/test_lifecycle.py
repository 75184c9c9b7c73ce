import pytest
from django.core.exceptions import ValidationError

from motcua.core.errors import TransitionRefused
from motcua.core.models import AuditEvent, OutboxMessage
from motcua.core.services.audit import chains, verify_chain
from motcua.dossiers.models import Channel, EventKind, Status, Timeliness
from motcua.dossiers.services.closing import return_result, withdraw
from motcua.dossiers.services.handling import (
    approve,
    assign,
    attach_result,
    hand_over,
    record_work,
    refuse_after_appraisal,
    transfer,
)
from motcua.dossiers.services.intake import receive, refuse, request_supplement

from .conftest import at, new_dossier


def test_a_dossier_goes_from_the_counter_to_the_applicant(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    assert d.status == Status.DRAFT and d.code is None
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    assert d.status == Status.RECEIVED
    assert d.code == "000.00.24.H36-260302-0001" and (d.ledger_year, d.ledger_line) == (2026, 1)
    assert d.due_at == at("05/03/2026 09:00")
    due = [s.due_at for s in d.steps.order_by("order")]
    assert due == [
        at("02/03/2026 17:00"),
        at("04/03/2026 14:45"),
        at("05/03/2026 09:00"),
        at("05/03/2026 09:00"),
    ]
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    assert (d.status, d.assignee) == (Status.IN_PROGRESS, staff["justice"])
    record_work(
        d,
        actor=staff["justice"],
        kind=EventKind.CONSULTED,
        note="Hỏi công an",
        to_unit="Công an phường",
        at=at("03/03/2026 08:00"),
    )
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 10:00"))
    approve(d, actor=staff["chairman"], to_user=staff["desk"], at=at("04/03/2026 10:00"))
    assert d.status == Status.RESULT_READY
    attach_result(d, actor=staff["desk"], paper=True, note="Trích lục", at=at("04/03/2026 10:05"))
    return_result(d, actor=staff["desk"], method="desk", at=at("04/03/2026 15:00"))
    assert (d.status, d.timeliness) == (Status.RETURNED, Timeliness.EARLY)
    steps = [(s.timeliness, s.finished_by) for s in d.steps.order_by("order")]
    assert [t for t, _ in steps] == ["on_time", "early", "early", "early"]
    kinds = list(d.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "transferred",
        "consulted",
        "handed_over",
        "approved",
        "result_attached",
        "returned",
    ]
    actions = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk))
    assert actions.count() == 8  # start + 7 transitions
    assert all(verify_chain(c) is None for c in chains())
    assert (
        OutboxMessage.objects.filter(about=f"dossier:{d.pk}", kind="received").count() == 2
    )  # e-mail + SMS


def test_codes_run_per_day_and_ledger_lines_per_year(ward, procedure, staff):
    codes = []
    for when in ("02/03/2026 09:00", "02/03/2026 16:00", "03/03/2026 08:00"):
        d = new_dossier(ward, procedure, staff["desk"])
        receive(d, actor=staff["desk"], at=at(when))
        codes.append((d.code, d.ledger_line))
    assert codes == [
        ("000.00.24.H36-260302-0001", 1),
        ("000.00.24.H36-260302-0002", 2),
        ("000.00.24.H36-260303-0001", 3),
    ]


def test_receipt_after_15h_counts_from_the_next_working_day_and_transfers_early_next_day(
    ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 15:30"))
    assert d.clock_start == at("03/03/2026 07:30")
    assert d.due_at == at("05/03/2026 17:00")
    first = d.steps.get(order=1)
    assert first.due_at == at("03/03/2026 11:30")
    transfer(d, actor=staff["desk"], at=at("03/03/2026 14:00"))
    first.refresh_from_db()
    assert first.timeliness == Timeliness.LATE


def test_an_online_dossier_goes_to_the_handler_at_once(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"], channel=Channel.ONLINE)
    assert d.status == Status.PENDING
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    assert d.status == Status.IN_PROGRESS and d.current_step.order == 2


def test_an_incomplete_dossier_is_asked_once_for_everything_then_received(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    with pytest.raises(ValidationError):
        request_supplement(d, actor=staff["desk"], items=[" ", ""], reason="Thiếu")
    request_supplement(
        d, actor=staff["desk"], items=["Giấy chứng sinh", "CCCD của mẹ"], reason="Thiếu giấy tờ"
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED
    with pytest.raises(TransitionRefused, match="Không thể"):
        request_supplement(d, actor=staff["desk"], items=["Thêm"], reason="Lần hai")
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    assert d.supplements.get().fulfilled_at == at("02/03/2026 09:00")


def test_a_refusal_at_receipt_needs_reasons(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    with pytest.raises(ValidationError):
        refuse(d, actor=staff["desk"], reasons="  ")
    d.refresh_from_db()
    assert d.status == Status.DRAFT
    refuse(d, actor=staff["desk"], reasons="Không thuộc thẩm quyền của phường")
    assert d.status == Status.REFUSED and d.refusal.reasons.startswith("Không thuộc")


def test_a_refusal_after_appraisal_becomes_the_result_to_return(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    refuse_after_appraisal(
        d, actor=staff["justice"], reasons="Giấy tờ giả mạo", at=at("03/03/2026 10:00")
    )
    assert (d.status, d.outcome) == (Status.RESULT_READY, "refused")
    return_result(d, actor=staff["desk"], method="desk", at=at("03/03/2026 14:00"))
    assert d.status == Status.RETURNED


def test_withdrawal_stops_a_dossier_before_a_result_exists(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    withdraw(d, actor=staff["desk"], reason="Người dân xin rút hồ sơ", at=at("03/03/2026 09:00"))
    assert d.status == Status.WITHDRAWN
    other = new_dossier(ward, procedure, staff["desk"])
    receive(other, actor=staff["desk"], at=at("02/03/2026 09:00"))
    transfer(other, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    hand_over(other, actor=staff["justice"], at=at("02/03/2026 11:00"))
    approve(other, actor=staff["chairman"], at=at("02/03/2026 14:00"))
    with pytest.raises(TransitionRefused):
        withdraw(other, actor=staff["desk"], reason="Muộn rồi")


def test_work_is_done_by_the_assignee_and_handed_to_someone_of_the_right_position(
    ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    with pytest.raises(ValidationError, match="Thẩm định"):
        transfer(d, actor=staff["desk"], to_user=staff["land"], at=at("02/03/2026 10:00"))
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    transfer(d, actor=staff["desk"], at=at("02/03/2026 10:00"))
    assign(d, actor=staff["chairman"], to_user=staff["justice"])
    with pytest.raises(TransitionRefused, match="tuphap"):
        hand_over(d, actor=staff["land"])
    with pytest.raises(TransitionRefused):
        approve(d, actor=staff["chairman"])  # not at the leader's step yet
