"""Work discipline in a real browser: an officer's field-work plan, approved by the chairman,
reaches the weekly schedule published on the ward's website; an inspection finding becomes a
remediation task that the desk officer closes with evidence."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.planning.models import Engagement, RemediationTask, WorkPlan
from tests import sample_files

from .axe import assert_accessible
from .test_desk_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PLACE = "Sở Tư pháp tỉnh Lâm Đồng"
PURPOSE = "Dự tập huấn nghiệp vụ chứng thực điện tử"
SHORTCOMING = "Bảng niêm yết thủ tục tại quầy số 2 chưa cập nhật quyết định công bố mới"


def check(page, shot, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, name)
    assert_accessible(page, context=name)


def test_a_field_work_plan_reaches_the_published_schedule_and_a_finding_is_remedied(
    browser, live_server, shot, tmp_path
):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())  # next week: not yet published
    tuesday = monday + timedelta(days=1)

    officer = sign_in(browser, base, "diachinh")
    officer.goto(f"{base}/lam-viec/ke-hoach/")
    officer.fill("#id_purpose", PURPOSE)
    officer.select_option("#id_place_kind", label="cơ quan cấp trên")
    officer.fill("#id_place", PLACE)
    officer.fill("#id_starts_at", f"{tuesday:%Y-%m-%d}T13:30")
    officer.fill("#id_ends_at", f"{tuesday:%Y-%m-%d}T17:00")
    officer.select_option("#id_companions", label="Hoàng Thị Em")
    officer.check("#id_on_schedule")
    check(officer, shot, "planning-1-plan-form")
    officer.get_by_role("button", name="Gửi lãnh đạo").click()
    officer.wait_for_url("**/lam-viec/ke-hoach/*/")
    plan = WorkPlan.objects.get(purpose=PURPOSE)
    assert "Chờ lãnh đạo duyệt" in officer.inner_text("p.status-big")

    leader = sign_in(browser, base, "chutich")
    leader.goto(f"{base}/lam-viec/ke-hoach/")
    waiting = leader.locator("section", has_text="Chờ bạn duyệt")
    # The demo may hold other plans of the same officer: open the row of this one.
    waiting.locator("tr", has_text=PLACE).filter(has_text=f"{tuesday:%d/%m/%Y}").get_by_role(
        "link", name="Đặng Quốc Giang"
    ).click()
    leader.wait_for_url(f"**/lam-viec/ke-hoach/{plan.pk}/")
    leader.fill("#approve-note", "Đồng ý, báo cáo kết quả ngay sau buổi tập huấn")
    leader.get_by_role("button", name="Duyệt", exact=True).click()
    leader.wait_for_load_state()
    assert "Đã duyệt" in leader.inner_text("p.status-big")
    check(leader, shot, "planning-2-approved")
    assert Engagement.objects.filter(plan=plan, cancelled=False).count() == 1

    clerk = sign_in(browser, base, "vanthu")
    clerk.goto(f"{base}/lam-viec/lich-tuan/?tuan={monday:%Y-%m-%d}")
    assert "chưa công bố" in clerk.inner_text(".status-big")
    assert PLACE in clerk.inner_text("table")
    clerk.get_by_role("button", name="Công bố lịch tuần trên trang thông tin điện tử").click()
    clerk.wait_for_load_state()
    assert "đã công bố" in clerk.inner_text(".status-big")
    check(clerk, shot, "planning-3-week-published")

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{base}/lich-cong-tac/?tuan={monday:%Y-%m-%d}")
    row = public.locator("table.schedule tr", has_text=PURPOSE)
    assert row.count() == 1 and PLACE in row.inner_text()
    check(public, shot, "planning-4-website-schedule")

    # The chairman inspects the desk; the finding becomes a task for the desk officer.
    leader.goto(f"{base}/lam-viec/kiem-tra/")
    leader.fill("#id_title", "Kiểm tra Bộ phận Một cửa tháng này")
    leader.fill("#id_scope", "Niêm yết thủ tục, tác phong tiếp dân, sổ theo dõi hồ sơ")
    leader.fill("#id_starts_on", f"{today:%Y-%m-%d}")
    leader.fill("#id_ends_on", f"{today:%Y-%m-%d}")
    leader.select_option("#id_team", label="Lê Thị Cúc")
    leader.get_by_role("button", name="Lưu").click()
    leader.wait_for_url("**/lam-viec/kiem-tra/*/")
    photo = tmp_path / "bien-ban-kiem-tra.pdf"
    photo.write_bytes(sample_files.PDF)
    leader.fill("#id_shortcoming", SHORTCOMING)
    leader.select_option("#id_criterion", index=1)
    leader.set_input_files("#id_evidence", str(photo))
    leader.get_by_role("button", name="Ghi nhận").click()
    leader.wait_for_load_state()
    finding = leader.locator("article", has_text=SHORTCOMING)
    finding.locator("summary").click()
    finding.locator("[name=title]").fill("Cập nhật bảng niêm yết tại quầy số 2")
    finding.locator("[name=owner]").select_option(label="Phạm Minh Dũng")
    deadline = timezone.localtime() + timedelta(days=5)
    finding.locator("[name=deadline]").fill(f"{deadline:%Y-%m-%dT%H:%M}")
    finding.get_by_role("button", name="Giao nhiệm vụ").click()
    leader.wait_for_load_state()
    check(leader, shot, "planning-5-finding-and-task")
    task = RemediationTask.objects.get(finding__shortcoming=SHORTCOMING)
    assert task.status == "open"

    desk = sign_in(browser, base, "motcua")
    desk.goto(f"{base}/lam-viec/khac-phuc/")
    desk.get_by_role("link", name="Cập nhật bảng niêm yết tại quầy số 2").first.click()
    desk.wait_for_url(f"**/lam-viec/khac-phuc/{task.pk}/")
    evidence = tmp_path / "anh-bang-niem-yet.png"
    evidence.write_bytes(_png())
    desk.fill("#id_note", "Đã thay bảng niêm yết theo quyết định công bố mới")
    desk.set_input_files("#evidence", str(evidence))
    desk.get_by_role("button", name="Hoàn thành, kèm minh chứng này").click()
    desk.wait_for_load_state()
    assert "anh-bang-niem-yet.png" in desk.inner_text("dl.facts")
    check(desk, shot, "planning-6-task-closed")
    task.refresh_from_db()
    assert task.status == "done" and task.evidence.count() == 1
    href = desk.get_by_role("link", name="anh-bang-niem-yet.png").get_attribute("href")
    assert desk.request.get(f"{base}{href}").body() == evidence.read_bytes()

    report = leader.request.get(f"{base}/lam-viec/kiem-tra/{task.finding.inspection_id}/?dang=pdf")
    assert report.ok and report.body().startswith(b"%PDF")


def _png() -> bytes:
    """A real 1×1 PNG (the evidence upload checks the file's type by its content)."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
