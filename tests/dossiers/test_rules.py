from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import OutboxMessage, Role
from motcua.dossiers.deadlines import is_due_soon, judge
from motcua.dossiers.models import Dossier, Status, Timeliness
from motcua.dossiers.services.closing import return_result
from motcua.dossiers.services.handling import (
    approve,
    attach_result,
    hand_over,
    receive_supplement,
    request_supplement_in_appraisal,
    transfer,
)
from motcua.dossiers.services.intake import PaperIn, receive
from motcua.dossiers.services.lateness import allow_late_return, issue_apology
from motcua.dossiers.workflow import TRANSITIONS, TransitionRefused, allowed_actions, guard
from tests import sample_files
from tests.conftest import make_user

from .conftest import at, new_dossier


def in_appraisal(ward, procedure, staff, received="02/03/2026 09:00"):  # type: ignore[no-untyped-def]
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at(received))
    transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at(received) + timedelta(hours=1))
    return d


def ready(ward, procedure, staff):  # type: ignore[no-untyped-def]
    d = in_appraisal(ward, procedure, staff)
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 09:00"))
    approve(d, actor=staff["chairman"], to_user=staff["desk"], at=at("03/03/2026 10:00"))
    attach_result(d, actor=staff["desk"], paper=True, at=at("03/03/2026 10:05"))
    return d


# --- the transition table ---------------------------------------------------------------------
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_action_is_refused_from_a_status_outside_the_table(action, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    rule = TRANSITIONS[action]
    outside = [s for s in Status.values if s not in rule.sources]
    for status in outside:
        d.status = status
        with pytest.raises(TransitionRefused, match="Không thể"):
            guard(action, d, staff["chairman"])


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_action_is_allowed_to_its_roles_only(action, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    rule = TRANSITIONS[action]
    d.status = sorted(rule.sources)[0]
    users = {
        Role.DESK_OFFICER: staff["desk"],
        Role.SPECIALIST: staff["justice"],
        Role.LEADER: staff["vice"],
    }
    for role, user in users.items():
        # An assignee-only role (the specialist) qualifies on a dossier given to them.
        d.assignee = user if role in rule.assignee_only else None
        if role in rule.roles:
            assert guard(action, d, user) is rule
            assert action in allowed_actions(d, user)
        else:
            with pytest.raises(TransitionRefused, match="Vai trò"):
                guard(action, d, user)


@pytest.mark.parametrize(
    "action", sorted(a for a, t in TRANSITIONS.items() if Role.SPECIALIST in t.assignee_only)
)
def test_a_specialist_cannot_act_on_a_dossier_given_to_someone_else(action, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    d.status = sorted(TRANSITIONS[action].sources)[0]
    d.assignee = staff["land"]

    with pytest.raises(TransitionRefused, match="giao cho"):
        guard(action, d, staff["justice"])
    assert action not in allowed_actions(d, staff["justice"])
    assert guard(action, d, staff["vice"]) is TRANSITIONS[action]  # a leader acts for anyone


def test_an_unassigned_specialist_cannot_issue_the_apology_and_nothing_changes(
    ward, procedure, staff
):
    d = in_appraisal(ward, procedure, staff)  # given to the justice officer
    due = d.due_at

    with pytest.raises(TransitionRefused):
        issue_apology(
            d, actor=staff["land"], reason="Chờ xác minh", new_due_at=due + timedelta(days=7)
        )
    d.refresh_from_db()
    assert d.due_at == due and not d.apologies.exists()


def test_the_specialist_who_held_a_step_may_apologise_once_the_dossier_moved_on(
    ward, procedure, staff
):
    d = in_appraisal(ward, procedure, staff)
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 09:00"))
    assert "issue_apology" in allowed_actions(d, staff["justice"])
    assert "hand_over" not in allowed_actions(d, staff["justice"])  # now the chairman's
    assert "issue_apology" not in allowed_actions(d, staff["land"])  # never held a step

    issue_apology(
        d, actor=staff["justice"], reason="Chờ xác minh", new_due_at=d.due_at + timedelta(days=7)
    )
    assert d.apologies.count() == 1


def test_an_officer_of_another_ward_cannot_act_on_the_dossier(ward, other_ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    stranger = make_user("motcua2", other_ward, Role.DESK_OFFICER)
    with pytest.raises(TransitionRefused):
        receive(d, actor=stranger, at=at("02/03/2026 09:00"))
    d.refresh_from_db()
    assert d.status == Status.DRAFT and d.code is None


# --- supplement during appraisal ---------------------------------------------------------------
def test_a_supplement_may_be_asked_only_within_3_working_days_of_receipt(ward, procedure, staff):
    late = in_appraisal(ward, procedure, staff)  # received Mon 02/03 09:00: window ends Thu 09:00
    with pytest.raises(TransitionRefused, match="3 ngày làm việc"):
        request_supplement_in_appraisal(
            late,
            actor=staff["justice"],
            items=["Bản sao CCCD"],
            reason="Thiếu",
            at=at("05/03/2026 09:01"),
        )
    late.refresh_from_db()
    assert late.status == Status.IN_PROGRESS and not late.supplements.exists()
    ok = in_appraisal(ward, procedure, staff)
    request_supplement_in_appraisal(
        ok,
        actor=staff["justice"],
        items=["Bản sao CCCD"],
        reason="Thiếu",
        at=at("05/03/2026 09:00"),
    )
    assert ok.status == Status.AWAITING_SUPPLEMENT


def test_the_processing_time_restarts_from_zero_when_the_supplement_arrives(ward, procedure, staff):
    d = in_appraisal(ward, procedure, staff)
    request_supplement_in_appraisal(
        d, actor=staff["justice"], items=["Bản sao CCCD"], reason="Thiếu", at=at("03/03/2026 10:00")
    )
    with pytest.raises(TransitionRefused):
        request_supplement_in_appraisal(d, actor=staff["justice"], items=["x"], reason="y")
    receive_supplement(d, actor=staff["desk"], at=at("09/03/2026 14:00"))
    assert d.status == Status.IN_PROGRESS
    assert d.clock_start == at("09/03/2026 14:00")
    assert d.due_at == at("12/03/2026 14:00")  # three full working days again
    assert d.steps.get(order=2).due_at == at("12/03/2026 08:15")
    with pytest.raises(TransitionRefused):  # only once during appraisal
        request_supplement_in_appraisal(
            d, actor=staff["justice"], items=["x"], reason="y", at=at("10/03/2026 09:00")
        )


# --- lateness and apology ----------------------------------------------------------------------
def test_the_due_date_can_be_reset_only_once_with_an_apology_signed_by_the_chairman(
    ward, procedure, staff
):
    d = in_appraisal(ward, procedure, staff)  # due Thu 05/03 09:00
    apology = issue_apology(
        d,
        actor=staff["justice"],
        reason="Chờ xác minh của công an",
        new_due_at=at("10/03/2026 09:00"),
        at=at("04/03/2026 09:00"),
    )
    assert apology.timely and apology.signed_by == staff["chairman"]
    assert apology.original_due_at == at("05/03/2026 09:00") and d.due_at == at("10/03/2026 09:00")
    assert d.steps.get(order=3).due_at == at("10/03/2026 09:00")
    assert (
        OutboxMessage.objects.filter(about=f"dossier:{d.pk}", kind="apology").count() == 2
    )  # e-mail + SMS
    with pytest.raises(TransitionRefused, match="một lần"):
        issue_apology(
            d,
            actor=staff["justice"],
            reason="Lần nữa",
            new_due_at=at("12/03/2026 09:00"),
            at=at("09/03/2026 09:00"),
        )
    d.refresh_from_db()
    assert d.due_at == at("10/03/2026 09:00") and d.apologies.count() == 1


def test_an_apology_later_than_one_working_day_before_the_due_date_is_marked_late(
    ward, procedure, staff
):
    d = in_appraisal(ward, procedure, staff)  # due Thu 05/03 09:00; apology due by Wed 09:00
    apology = issue_apology(
        d,
        actor=staff["justice"],
        reason="Quá tải",
        new_due_at=at("09/03/2026 09:00"),
        at=at("04/03/2026 09:30"),
    )
    assert not apology.timely


def test_a_new_due_date_must_be_later_and_on_a_working_day(ward, procedure, staff):
    d = in_appraisal(ward, procedure, staff)
    with pytest.raises(ValidationError, match="muộn hơn"):
        issue_apology(d, actor=staff["justice"], reason="x", new_due_at=at("04/03/2026 09:00"))
    with pytest.raises(ValidationError, match="ngày làm việc"):
        issue_apology(d, actor=staff["justice"], reason="x", new_due_at=at("07/03/2026 09:00"))
    assert not d.apologies.exists()


def test_a_late_dossier_cannot_be_returned_without_an_apology(ward, procedure, staff):
    d = ready(ward, procedure, staff)  # due Thu 05/03 09:00
    with pytest.raises(TransitionRefused, match="Mẫu 04"):
        return_result(d, actor=staff["desk"], method="desk", at=at("06/03/2026 09:00"))
    d.refresh_from_db()
    assert d.status == Status.RESULT_READY
    with pytest.raises(TransitionRefused):
        allow_late_return(d, actor=staff["justice"], reason="x")  # only a leader
    allow_late_return(d, actor=staff["vice"], reason="Người dân đồng ý nhận muộn")
    return_result(d, actor=staff["desk"], method="post", at=at("06/03/2026 09:00"))
    assert (d.status, d.timeliness) == (Status.RETURNED, Timeliness.LATE)


def test_a_late_dossier_with_an_apology_is_returned_and_still_counted_late(ward, procedure, staff):
    d = in_appraisal(ward, procedure, staff)
    issue_apology(
        d,
        actor=staff["justice"],
        reason="Chờ xác minh",
        new_due_at=at("10/03/2026 09:00"),
        at=at("04/03/2026 08:00"),
    )
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("06/03/2026 09:00"))
    approve(d, actor=staff["chairman"], to_user=staff["desk"], at=at("09/03/2026 09:00"))
    attach_result(d, actor=staff["desk"], paper=True)
    return_result(d, actor=staff["desk"], method="desk", at=at("09/03/2026 10:00"))
    assert d.timeliness == Timeliness.LATE
    assert d.steps.get(order=2).timeliness == Timeliness.EARLY  # its due moved with the apology


def test_a_result_is_needed_before_return(ward, procedure, staff):
    d = in_appraisal(ward, procedure, staff)
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 09:00"))
    approve(d, actor=staff["chairman"], at=at("03/03/2026 10:00"))
    with pytest.raises(TransitionRefused, match="kết quả"):
        return_result(d, actor=staff["desk"], method="desk", at=at("03/03/2026 11:00"))
    with pytest.raises(ValidationError):
        attach_result(d, actor=staff["desk"])


# --- timeliness --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        ("04/03/2026 16:59", "early"),
        ("05/03/2026 08:00", "on_time"),
        ("05/03/2026 09:00", "on_time"),
        ("05/03/2026 09:01", "late"),
        ("09/03/2026 08:00", "late"),
    ],
)
def test_a_step_or_dossier_is_early_on_time_or_late(finished, expected):
    assert judge(at(finished), at("05/03/2026 09:00")) == expected


def test_due_soon_means_one_working_day_or_less_left(ward, procedure, staff):
    d = in_appraisal(ward, procedure, staff)  # due Thu 05/03 09:00
    assert not is_due_soon(d, at("04/03/2026 08:59"))
    assert is_due_soon(d, at("04/03/2026 09:00"))
    assert not is_due_soon(d, at("05/03/2026 09:01"))  # late, not "soon"


# --- uploads -----------------------------------------------------------------------------------
def test_scans_are_checked_by_content_and_a_bad_one_saves_nothing(ward, procedure, staff):
    from .conftest import Applicant, start_dossier

    fake = SimpleUploadedFile("giay-khai-sinh.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    good = SimpleUploadedFile("cccd.png", sample_files.PNG, "image/png")
    applicant = Applicant(kind="citizen", name="Lê Thị C")
    with pytest.raises(ValidationError, match="không phải tệp PDF"):
        start_dossier(
            actor=staff["desk"],
            unit=ward,
            procedure=procedure,
            channel="desk",
            applicant=applicant,
            papers=[PaperIn("CCCD", copies=1, scan=good), PaperIn("Giấy khai sinh", 1, scan=fake)],
        )
    assert Dossier.objects.count() == 0
    d = start_dossier(
        actor=staff["desk"],
        unit=ward,
        procedure=procedure,
        channel="desk",
        applicant=applicant,
        papers=[PaperIn("CCCD", copies=1, scan=good)],
    )
    paper = d.papers.get()
    assert len(paper.scan_sha256) == 64 and paper.scan.name.endswith(".png")


def test_reports_can_count_late_returns_without_an_apology(ward, procedure, staff):
    from motcua.dossiers.selectors import returned_late_without_apology

    without = ready(ward, procedure, staff)
    allow_late_return(without, actor=staff["vice"], reason="Người dân đồng ý")
    return_result(without, actor=staff["desk"], method="desk", at=at("06/03/2026 09:00"))
    with_apology = in_appraisal(ward, procedure, staff)
    issue_apology(
        with_apology,
        actor=staff["justice"],
        reason="Chờ xác minh",
        new_due_at=at("10/03/2026 09:00"),
        at=at("04/03/2026 08:00"),
    )
    hand_over(with_apology, actor=staff["justice"], at=at("06/03/2026 09:00"))
    approve(with_apology, actor=staff["chairman"], at=at("06/03/2026 10:00"))
    attach_result(with_apology, actor=staff["desk"], paper=True)
    return_result(with_apology, actor=staff["desk"], method="desk", at=at("06/03/2026 11:00"))
    assert list(returned_late_without_apology(Dossier.objects.all())) == [without]
