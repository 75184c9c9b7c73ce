"""Feedback and questions through the website: clear errors and nothing lost, spam kept out
without third parties, a deadline in working days, answered and published by the right people."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from motcua.core.calendar import VN_TZ
from motcua.core.models import AuditEvent, OutboxMessage, Position, Role
from motcua.site.models import Feedback, FeedbackPage, FeedbackStatus
from motcua.site.services import feedback as service
from tests.conftest import make_user

GOOD = {
    "name": "Nguyễn Thị Hoa",
    "phone": "0912 345 678",
    "email": "hoa@example.vn",
    "subject": "Đèn đường Khu phố 3",
    "content": "Ba bóng đèn trên đường ven biển bị hỏng nhiều ngày.",
}


@pytest.fixture
def form_page(website):  # type: ignore[no-untyped-def]
    page = FeedbackPage(title="Phản ánh, kiến nghị", slug="phan-anh")
    website.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_citizen_sends_feedback_and_is_told_its_number_and_due_date(client, form_page, ward):
    response = client.post("/phan-anh/", GOOD)
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/phan-anh/?da-gui={item.pk}"
    assert (item.phone, item.email, item.status) == ("0912345678", "hoa@example.vn", "received")
    assert f"số {item.pk}" in client.get(response["Location"]).content.decode()
    mail = OutboxMessage.objects.get(kind="feedback_received")
    assert mail.recipient == "hoa@example.vn" and item.due_at.strftime("%d/%m/%Y") in mail.body
    assert AuditEvent.objects.filter(action="feedback.receive").exists()


def test_bad_input_gets_every_error_in_vietnamese_and_keeps_what_was_typed(client, form_page):
    response = client.post(
        "/phan-anh/",
        {**GOOD, "name": " ", "phone": "12345", "email": "khong-hop-le", "content": "ngắn"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and Feedback.objects.count() == 0
    for message in (
        "Vui lòng ghi họ tên.",
        "Nhập số điện thoại Việt Nam, ví dụ 0912 345 678.",
        "Nhập địa chỉ thư điện tử hợp lệ.",
        "Vui lòng ghi nội dung phản ánh, kiến nghị hoặc câu hỏi (từ 10 ký tự trở lên).",
    ):
        assert message in text
    assert 'value="Đèn đường Khu phố 3"' in text and 'aria-invalid="true"' in text


def test_feedback_needs_a_way_to_answer(client, form_page):
    text = client.post("/phan-anh/", {**GOOD, "phone": "", "email": ""}).content.decode()
    assert "Vui lòng ghi số điện thoại hoặc thư điện tử để nhận trả lời." in text
    assert Feedback.objects.count() == 0


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(client, form_page):
    response = client.post("/phan-anh/", {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302 and Feedback.objects.count() == 0


def test_too_many_messages_from_one_address_are_refused_with_a_clear_message(
    client, form_page, settings
):
    settings.MOTCUA_FEEDBACK_RATE = "2/h"
    for _ in range(2):
        assert client.post("/phan-anh/", GOOD).status_code == 302
    text = client.post("/phan-anh/", GOOD).content.decode()
    assert "Địa chỉ này đã gửi quá nhiều lần. Vui lòng thử lại sau." in text
    assert Feedback.objects.count() == 2 and 'value="Nguyễn Thị Hoa"' in text


def test_the_answer_is_due_ten_working_days_later_on_the_units_calendar(ward):
    # Friday 21/08/2026 09:00; Saturday 22/08 is a working day that year (DOMAIN.md §6), and
    # 31/08, 01/09 and 02/09 are days off: the tenth working day after is Tuesday 08/09.
    item = service.submit(
        ward, service.FeedbackData(**GOOD), at=datetime(2026, 8, 21, 9, tzinfo=VN_TZ)
    )
    assert item.due_at.astimezone(VN_TZ).date().isoformat() == "2026-09-08"


def test_staff_answer_the_sender_is_told_and_a_leader_publishes_without_the_senders_details(
    client, form_page, ward
):
    item = service.submit(ward, service.FeedbackData(**GOOD))
    officer = make_user("diachinh", ward, Role.SPECIALIST, Position.LAND_CONSTRUCTION)
    chairman = make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN)
    with pytest.raises(ValidationError):
        service.set_published(item, actor=chairman, published=True)  # not answered yet
    client.force_login(officer)
    text = "Phường đã cử công nhân thay ba bóng đèn trong ngày 02/12."
    client.post(reverse("site-feedback", args=[item.pk]), {"answer": text})
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ANSWERED and item.answered_by == officer
    assert item.answered_on_time
    told = OutboxMessage.objects.filter(kind="feedback_answered")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "sms"]
    with pytest.raises(PermissionDenied):
        service.set_published(item, actor=officer, published=True)  # a specialist does not
    client.force_login(chairman)
    client.post(reverse("site-feedback-publish", args=[item.pk]), {"cong-khai": "1"})
    item.refresh_from_db()
    assert item.status == FeedbackStatus.PUBLISHED
    client.logout()
    page = client.get("/phan-anh/").content.decode()
    assert text in page and GOOD["subject"] in page
    assert GOOD["name"] not in page and "0912345678" not in page and GOOD["email"] not in page


def test_the_staff_desk_lists_overdue_feedback_and_only_the_units_own(client, ward, other_ward):
    late = service.submit(
        ward, service.FeedbackData(**GOOD), at=datetime(2026, 1, 5, 9, tzinfo=VN_TZ)
    )
    theirs = service.submit(other_ward, service.FeedbackData(**{**GOOD, "subject": "Khác"}))
    client.force_login(make_user("vanthu", ward, Role.CLERK))
    overdue = client.get(reverse("site-feedback-list"), {"trang-thai": "qua-han"})
    assert list(overdue.context["items"]) == [late]
    assert client.get(reverse("site-feedback", args=[theirs.pk])).status_code == 404


def test_the_on_time_figure_counts_feedback_due_in_the_period(ward):
    from motcua.core.figures import compute

    people = make_user("vanphong", ward, Role.SPECIALIST)
    early = service.submit(
        ward, service.FeedbackData(**GOOD), at=datetime(2026, 3, 2, 9, tzinfo=VN_TZ)
    )
    service.answer(early, actor=people, text="Đã xử lý xong trong tuần.",
                   at=datetime(2026, 3, 4, 9, tzinfo=VN_TZ))  # fmt: skip
    late = service.submit(
        ward, service.FeedbackData(**GOOD), at=datetime(2026, 3, 3, 9, tzinfo=VN_TZ)
    )
    service.answer(late, actor=people, text="Xin lỗi vì trả lời chậm.",
                   at=datetime(2026, 3, 30, 9, tzinfo=VN_TZ))  # fmt: skip
    service.submit(ward, service.FeedbackData(**GOOD), at=datetime(2026, 3, 4, 9, tzinfo=VN_TZ))
    march = (datetime(2026, 3, 1, tzinfo=VN_TZ), datetime(2026, 4, 1, tzinfo=VN_TZ))
    share = compute([ward.pk], *march, ["feedback_on_time"]).value("feedback_on_time", ward.pk)
    assert (share.numerator, share.denominator) == (1, 3)  # one late, one never answered
