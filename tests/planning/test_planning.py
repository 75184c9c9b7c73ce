"""Work discipline and reform management: plans (approve, reject, report, overdue), the
weekly schedule (published, changes marked), inspections and remediation (escalation),
initiatives (recognise), propaganda, desk conduct, and the counts handed to the reports."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motcua.core import periods
from motcua.core.calendar import VN_TZ
from motcua.core.figures import Share, compute
from motcua.core.models import AuditEvent, OutboxMessage, Position, Role
from motcua.planning import selectors
from motcua.planning.models import (
    InitiativeStatus,
    PlanStatus,
    TaskStatus,
)
from motcua.planning.services import fieldwork, recognition, remediation, schedule
from motcua.planning.views.pdf import inspection_report
from tests import sample_files
from tests.conftest import make_user

PDF = sample_files.PDF


@pytest.fixture
def people(ward):  # type: ignore[no-untyped-def]
    found = {
        "chairman": make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN),
        "clerk": make_user("vanthu", ward, Role.CLERK),
        "officer": make_user("diachinh", ward, Role.SPECIALIST, Position.LAND_CONSTRUCTION),
        "other": make_user("vanhoa", ward, Role.SPECIALIST, Position.CULTURE_SOCIETY),
        "desk": make_user("motcua", ward, Role.DESK_OFFICER),
    }
    for user in found.values():
        user.email = f"{user.username}@phuthuy.gov.vn"
        user.save()
    return found


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def trip(ward, people, **changes):  # type: ignore[no-untyped-def]
    data = fieldwork.PlanData(
        purpose="Làm việc với Sở Nông nghiệp và Môi trường về hồ sơ đất đai",
        place_kind="upper_agency",
        place="Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=4),
        companions=[people["other"]],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return fieldwork.file_plan(ward, data, actor=people["officer"])


def give_task(ward, people, title, owner, deadline, finding=None):  # type: ignore[no-untyped-def]
    """The clerk gives a remediation task (after ``finding`` when given)."""
    data = remediation.TaskData(title=title, owner=owner, deadline=deadline)
    return remediation.assign_task(ward, data, actor=people["clerk"], finding=finding)


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")


# --- work plans --------------------------------------------------------------------------------
def test_only_a_leader_approves_and_the_report_falls_due_the_next_working_day(ward, people):
    plan = trip(ward, people)
    with pytest.raises(PermissionDenied):
        fieldwork.decide(plan, actor=people["clerk"], approve=True)
    fieldwork.decide(plan, actor=people["chairman"], approve=True)
    assert plan.status == PlanStatus.APPROVED and plan.report_due_at > plan.ends_at
    assert OutboxMessage.objects.filter(
        kind="workplan_decided", recipient="diachinh@phuthuy.gov.vn"
    )
    with pytest.raises(PermissionDenied):
        fieldwork.decide(plan, actor=people["chairman"], approve=False, note="Thôi")  # once


def test_a_rejection_says_why(ward, people):
    plan = trip(ward, people)
    with pytest.raises(ValidationError):
        fieldwork.decide(plan, actor=people["chairman"], approve=False)
    fieldwork.decide(plan, actor=people["chairman"], approve=False, note="Trùng lịch họp")
    assert (plan.status, plan.decision_note) == (PlanStatus.REJECTED, "Trùng lịch họp")


def test_bad_plans_get_every_error(ward, people):
    with pytest.raises(ValidationError) as raised:
        trip(ward, people, purpose=" ", place="", ends_at=timezone.now() - timedelta(days=1))
    assert set(raised.value.message_dict) == {"purpose", "place", "ends_at"}


def test_the_officer_reports_and_an_unreported_trip_is_overdue(ward, people):
    late = trip(
        ward,
        people,
        starts_at=timezone.now() - timedelta(days=5),
        ends_at=timezone.now() - timedelta(days=5) + timedelta(hours=3),
    )
    fieldwork.decide(late, actor=people["chairman"], approve=True)
    assert late not in selectors.reports_overdue(people["chairman"])  # due after approval
    later = timezone.now() + timedelta(days=5)
    assert late in selectors.reports_overdue(people["chairman"], now=later)
    ok = trip(ward, people)
    fieldwork.decide(ok, actor=people["chairman"], approve=True)
    with pytest.raises(PermissionDenied):
        fieldwork.report(ok, actor=people["other"], result="Đã làm việc xong với sở.")
    fieldwork.report(
        ok,
        actor=people["officer"],
        result="Sở đồng ý phối hợp rà soát 12 hồ sơ.",
        at=ok.starts_at + timedelta(hours=5),
    )
    assert ok.status == PlanStatus.REPORTED
    assert ok not in selectors.reports_overdue(people["chairman"], now=later)


def test_the_office_sees_who_is_out_now(ward, people):
    now = timezone.now()
    plan = trip(ward, people, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2))
    assert list(selectors.out_now(people["clerk"])) == []  # not approved yet
    fieldwork.decide(plan, actor=people["chairman"], approve=True)
    assert [p.officer for p in selectors.out_now(people["clerk"])] == [people["officer"]]


def test_an_officer_sees_his_own_plans_and_a_leader_those_of_the_unit(ward, people):
    plan = trip(ward, people)
    assert plan in selectors.plans_for(people["officer"])
    assert plan in selectors.plans_for(people["chairman"])
    assert plan not in selectors.plans_for(people["other"])


# --- weekly schedule --------------------------------------------------------------------------
def test_an_approved_plan_goes_on_the_schedule_and_changes_after_publication_are_marked(
    ward, people
):
    monday = selectors.monday_of(timezone.localdate()) + timedelta(days=7)
    starts = datetime.combine(monday + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ)
    plan = trip(
        ward,
        people,
        on_schedule=True,
        starts_at=starts + timedelta(hours=8),
        ends_at=starts + timedelta(hours=11),
    )
    fieldwork.decide(plan, actor=people["chairman"], approve=True)
    meeting = schedule.add(
        ward,
        schedule.EngagementData(
            starts_at=starts + timedelta(days=2, hours=14),
            content="Giao ban cải cách hành chính",
            host="Chủ tịch UBND phường",
            place="Hội trường UBND",
        ),
        actor=people["clerk"],
    )
    with pytest.raises(PermissionDenied):
        schedule.publish(ward, monday, actor=people["officer"])
    assert selectors.published_week(ward, monday) is None  # not public before publication
    schedule.publish(ward, monday, actor=people["clerk"])
    week = selectors.published_week(ward, monday)
    entries = [e for _day, found in week.days for e in found]
    assert [e.item.content for e in entries] == [plan.purpose, meeting.content]
    assert not any(e.changed for e in entries) and not week.unannounced
    meeting.content = "Giao ban cải cách hành chính (đổi giờ)"
    schedule.change(
        meeting,
        schedule.EngagementData(
            starts_at=meeting.starts_at + timedelta(hours=1),
            content=meeting.content,
            place=meeting.place,
        ),
        actor=people["clerk"],
    )
    week = selectors.week(ward, monday)
    changed = {e.item.pk: e.changed for _d, found in week.days for e in found}
    assert changed == {plan.engagement.pk: False, meeting.pk: True} and week.unannounced
    schedule.publish(ward, monday, actor=people["clerk"])  # the changes are announced
    week = selectors.week(ward, monday)
    assert not week.unannounced and [e.changed for _d, f in week.days for e in f] == [False, True]


def test_the_published_week_is_on_the_website_and_exports_as_pdf_and_docx(
    client, ward, people, website
):
    from motcua.site.models import SchedulePage

    page = SchedulePage(title="Lịch công tác", slug="lich")
    website.root_page.add_child(instance=page)
    page.save_revision().publish()
    monday = selectors.monday_of(timezone.localdate())
    schedule.add(
        ward,
        schedule.EngagementData(
            starts_at=datetime.combine(monday, datetime.min.time(), tzinfo=VN_TZ)
            + timedelta(hours=7, minutes=30),
            content="Chào cờ đầu tuần",
            host="Chủ tịch",
        ),
        actor=people["clerk"],
    )
    assert "Chào cờ đầu tuần" not in client.get("/lich/").content.decode()
    schedule.publish(ward, monday, actor=people["chairman"])
    assert "Chào cờ đầu tuần" in client.get("/lich/").content.decode()
    client.force_login(people["clerk"])
    pdf = client.get(reverse("planning-week"), {"tuan": monday.isoformat(), "dang": "pdf"})
    docx = client.get(reverse("planning-week"), {"tuan": monday.isoformat(), "dang": "docx"})
    assert pdf.content.startswith(b"%PDF") and docx.content.startswith(b"PK")


# --- inspections and remediation -------------------------------------------------------------
def test_a_finding_becomes_a_task_closed_with_evidence_and_an_overdue_one_is_escalated(
    ward, people
):
    inspection = remediation.plan_inspection(
        ward,
        actor=people["clerk"],
        title="Kiểm tra CCHC quý IV",
        scope="Bộ phận Một cửa",
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 3),
        team=[people["other"]],
    )
    with pytest.raises(PermissionDenied):
        remediation.record_finding(inspection, actor=people["desk"], shortcoming="Thiếu")
    finding = remediation.record_finding(
        inspection,
        actor=people["other"],
        shortcoming="Chưa niêm yết đủ thủ tục",
        evidence=evidence(),
    )
    task = give_task(
        ward,
        people,
        "Niêm yết đủ 31 thủ tục tại quầy",
        people["desk"],
        timezone.now() + timedelta(days=3),
        finding=finding,
    )
    with pytest.raises(ValidationError):  # no evidence
        remediation.complete(task, actor=people["desk"], note="Đã niêm yết đủ", evidence=[])
    with pytest.raises(PermissionDenied):
        remediation.complete(
            task, actor=people["other"], note="Đã niêm yết đủ", evidence=[evidence()]
        )
    remediation.complete(
        task, actor=people["desk"], note="Đã niêm yết đủ 31 thủ tục", evidence=[evidence()]
    )
    assert task.status == TaskStatus.DONE and task.done_on_time and task.evidence.count() == 1
    late = give_task(
        ward,
        people,
        "Cập nhật trang thông tin",
        people["other"],
        timezone.now() + timedelta(minutes=1),
        finding=finding,
    )
    assert remediation.escalate_overdue(now=timezone.now() + timedelta(hours=1)) == 1
    assert remediation.escalate_overdue(now=timezone.now() + timedelta(hours=2)) == 0  # once
    late.refresh_from_db()
    assert late.escalated_at is not None
    told = OutboxMessage.objects.filter(kind="task_overdue")
    assert list(told.values_list("recipient", flat=True)) == ["chutich@phuthuy.gov.vn"]
    assert AuditEvent.objects.filter(action="task.escalate").count() == 1
    report = inspection_report(inspection)
    text = " ".join(PdfReader(BytesIO(report.content)).pages[0].extract_text().split())
    assert "BÁO CÁO KẾT QUẢ KHẮC PHỤC HẠN CHẾ SAU KIỂM TRA" in text
    assert "Niêm yết đủ 31 thủ tục tại quầy" in text and "1 tài liệu kiểm chứng" in text
    assert "Quá hạn, chưa hoàn thành" not in text  # the late one is due in a minute


def test_a_leaders_directive_spawns_its_tasks(ward, people):
    tasks = [
        remediation.TaskData(
            "Tăng tỷ lệ hồ sơ trực tuyến lên 50%",
            people["desk"],
            timezone.now() + timedelta(days=30),
        ),
        remediation.TaskData(
            "Cập nhật chuyên mục CCHC hằng tuần",
            people["other"],
            timezone.now() + timedelta(days=7),
        ),
    ]
    with pytest.raises(PermissionDenied):
        remediation.record_directive(
            ward, actor=people["clerk"], title="Chỉ đạo", tasks=tasks, issued_on=date(2026, 11, 26)
        )
    directive = remediation.record_directive(
        ward,
        actor=people["chairman"],
        title="Chỉ đạo đẩy mạnh cải cách hành chính",
        reference="15/CT-UBND",
        issued_on=date(2026, 11, 26),
        tasks=tasks,
    )
    assert [t.owner for t in directive.tasks.order_by("deadline")] == [
        people["other"],
        people["desk"],
    ]


# --- initiatives, propaganda, conduct ---------------------------------------------------------
def test_an_initiative_is_recognised_after_every_council_opinion_and_its_effect_recorded(
    ward, people
):
    initiative = recognition.submit_initiative(
        ward,
        actor=people["desk"],
        title="Quầy hỗ trợ nộp hồ sơ trực tuyến",
        problem="Người dân chưa quen nộp trực tuyến.",
        solution="Bố trí máy và người hướng dẫn.",
        expected_effect="Tăng tỷ lệ hồ sơ trực tuyến.",
        council=[people["chairman"], people["clerk"]],
    )
    recognition.give_opinion(initiative, actor=people["chairman"], in_favour=True)
    with pytest.raises(ValidationError):  # the clerk has not given hers
        recognition.decide_initiative(
            initiative, actor=people["chairman"], recognise=True, conclusion="Công nhận"
        )
    with pytest.raises(PermissionDenied):
        recognition.give_opinion(initiative, actor=people["other"], in_favour=True)
    recognition.give_opinion(initiative, actor=people["clerk"], in_favour=True)
    recognition.decide_initiative(
        initiative,
        actor=people["chairman"],
        recognise=True,
        conclusion="Công nhận sáng kiến cấp cơ sở",
    )
    assert initiative.status == InitiativeStatus.RECOGNISED
    recognition.record_application(
        initiative,
        actor=people["desk"],
        applied_from=date(2026, 12, 1),
        measured_effect="Tỷ lệ trực tuyến từ 30% lên 45%",
    )
    assert initiative.measured_effect.startswith("Tỷ lệ")


def test_the_counts_handed_to_the_reports(ward, people, website):
    from motcua.site.models import ArticlePage, SectionPage

    reform = SectionPage(title="Cải cách hành chính", slug="cchc", topic="reform")
    website.root_page.add_child(instance=reform)
    reform.save_revision().publish()
    article = ArticlePage(
        title="Tuyên truyền VNeID",
        slug="vneid",
        summary="VNeID",
        body="<p>VNeID</p>",
        date=date(2026, 11, 20),
    )
    reform.add_child(instance=article)
    article.save_revision().publish()
    recognition.record_activity(
        ward,
        actor=people["other"],
        kind="loudspeaker",
        title="Phát thanh về dịch vụ công",
        held_on=date(2026, 11, 12),
    )
    recognition.record_desk_check(
        ward,
        actor=people["clerk"],
        officer=people["desk"],
        inspected_on=date(2026, 11, 10),
        met={"greets", "thanks", "smiles", "listens", "helps", "gentle"},
    )
    complaint = recognition.record_complaint(
        ward,
        actor=people["clerk"],
        officer=people["desk"],
        received_on=date(2026, 11, 15),
        content="Hướng dẫn chưa rõ ràng",
    )
    recognition.settle_complaint(
        complaint,
        actor=people["chairman"],
        substantiated=True,
        resolution="Đã nhắc nhở, xin lỗi công dân",
    )
    november = periods.parse("2026-11")
    keys = ["propaganda", "desk_conduct", "complaints_substantiated", "inspections_held"]
    table = compute([ward.pk], november.start, november.end, keys)
    assert [table.value(k, ward.pk) for k in keys] == [2, Share(6, 8), 1, 0]


def test_a_substantiated_complaint_sets_the_officers_attitude_indicator_to_zero(march):
    from motcua.core.models import User
    from motcua.reports.evaluation import evaluate

    desk = User.objects.get(username="motcua")
    chairman = User.objects.get(username="chutich")
    clerk = make_user("vanthu", march.ward, Role.CLERK)
    complaint = recognition.record_complaint(
        march.ward, actor=clerk, officer=desk, received_on=date(2026, 3, 20), content="Thái độ"
    )
    recognition.settle_complaint(
        complaint, actor=chairman, substantiated=True, resolution="Kỷ luật"
    )
    officer = next(
        o for o in evaluate(march.ward, periods.parse("2026-03")).officers if o.officer == desk
    )
    assert officer.complaints == 1 and officer.indicators[7] == Decimal(0)


def test_the_pages_answer_and_forbid_what_they_should(client, ward, people):
    client.force_login(people["officer"])
    for name in (
        "planning-plans",
        "planning-week",
        "planning-inspections",
        "planning-tasks",
        "planning-initiatives",
        "planning-activities",
        "planning-conduct",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.post(reverse("planning-plans"), {"purpose": "", "place_kind": "upper_agency"})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    plan = trip(ward, people)
    client.post(reverse("planning-plan-action", args=[plan.pk, "duyet"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # an officer cannot approve
    client.force_login(people["chairman"])
    client.post(reverse("planning-plan-action", args=[plan.pk, "duyet"]), {"text": "Đồng ý"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_recognised_initiative_and_the_propaganda_score_the_self_assessment(ward, people):
    from motcua.reports import demo
    from motcua.reports.assessment import services as assessment_services
    from motcua.reports.assessment.models import CriteriaSet

    year = timezone.localdate().year
    demo.load(ward.province, year)
    criteria = CriteriaSet.objects.get(province=ward.province, year=year)
    initiative = recognition.submit_initiative(
        ward,
        actor=people["desk"],
        title="Quầy hỗ trợ nộp hồ sơ trực tuyến",
        problem="Người dân chưa quen nộp trực tuyến.",
        solution="Bố trí máy và người hướng dẫn.",
        expected_effect="Tăng tỷ lệ hồ sơ trực tuyến.",
        council=[people["chairman"]],
    )
    recognition.give_opinion(initiative, actor=people["chairman"], in_favour=True)
    recognition.decide_initiative(
        initiative, actor=people["chairman"], recognise=True, conclusion="Công nhận"
    )
    for month in (1, 2, 3):  # three activities: under the four the criterion asks for
        recognition.record_activity(
            ward,
            actor=people["other"],
            kind="meeting",
            title="Hội nghị",
            held_on=date(year, month, 5),
        )
    assessment = assessment_services.open_assessment(criteria, ward, actor=people["clerk"])
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert (scores["5.2"].points, scores["5.2"].measured) == (Decimal(3), "1")
    assert (scores["1.4"].points, scores["1.4"].measured) == (Decimal(0), "3")


def test_task_evidence_is_served_only_to_those_who_see_the_task(client, ward, people):
    task = give_task(
        ward,
        people,
        "Niêm yết đủ thủ tục tại quầy",
        people["desk"],
        timezone.now() + timedelta(days=3),
    )
    remediation.complete(
        task, actor=people["desk"], note="Đã niêm yết đủ 31 thủ tục", evidence=[evidence()]
    )
    url = reverse("planning-evidence", args=[task.pk, task.evidence.get().pk])
    for who, status in (("desk", 200), ("chairman", 200), ("other", 404)):
        client.force_login(people[who])
        answer = client.get(url)
        assert answer.status_code == status, who
        if status == 200:
            assert b"".join(answer.streaming_content) == PDF


def test_a_published_item_changed_from_its_page_is_marked_and_only_the_office_may(
    client, ward, people
):
    monday = selectors.monday_of(timezone.localdate()) + timedelta(days=7)
    starts = datetime.combine(monday, datetime.min.time(), tzinfo=VN_TZ) + timedelta(hours=8)
    item = schedule.add(
        ward,
        schedule.EngagementData(starts_at=starts, content="Giao ban đầu tuần"),
        actor=people["clerk"],
    )
    schedule.publish(ward, monday, actor=people["clerk"])
    url = reverse("planning-engagement", args=[item.pk])
    later = {"starts_at": f"{monday:%Y-%m-%d}T14:00", "content": "Giao ban đầu tuần (chiều)"}
    client.force_login(people["officer"])
    client.post(url, later)
    item.refresh_from_db()
    assert item.content == "Giao ban đầu tuần"  # an officer does not keep the schedule
    client.force_login(people["clerk"])
    bad = client.post(url, {**later, "ends_at": f"{monday:%Y-%m-%d}T13:00"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    answer = client.post(url, later)
    assert answer.status_code == 302 and f"tuan={monday:%Y-%m-%d}" in answer["Location"]
    week = selectors.published_week(ward, monday)
    (entry,) = [e for _d, found in week.days for e in found]
    assert entry.changed and entry.item.content == later["content"] and week.unannounced
    assert AuditEvent.objects.filter(action="schedule.change").count() == 1


def test_a_planning_date_column_is_headed_date_not_certification_date(client, ward, people):
    client.force_login(people["officer"])
    for name in ("planning-activities", "planning-conduct"):
        page = client.get(reverse(name)).content.decode()
        assert '<th scope="col">Ngày</th>' in page and "Ngày chứng thực" not in page, name
