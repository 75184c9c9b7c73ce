"""The demo ward's work discipline: this week's schedule published on the website, field-work
plans in every state (one report overdue), an inspection with findings and remediation tasks,
the chairman's directive, a recognised initiative, propaganda and a desk-conduct check. Made
through the same services as real work, relative to the day it is loaded; loaded once."""

import json
from datetime import date, datetime, time, timedelta
from importlib import resources
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from weasyprint import HTML

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, User
from motcua.core.officedocs import font_dir
from motcua.core.selectors import calendar_for
from motcua.reports.assessment.models import Criterion

from .models import WorkPlan
from .selectors import monday_of
from .services import fieldwork, recognition, remediation, schedule

STAFF = ["chutich", "phochutich", "vanthu", "motcua", "vanhoa", "diachinh", "tuphap", "vanphong"]


def load(ward: AdministrativeUnit) -> bool:
    """False when the ward already has work plans or is not the demo ward."""
    if WorkPlan.objects.filter(unit=ward).exists():
        return False
    staff = {u.username: u for u in User.objects.filter(username__in=STAFF)}
    if set(staff) != set(STAFF):
        return False
    _Demo(ward, staff).run()
    return True


def _data() -> dict[str, Any]:
    text = resources.files("motcua.planning").joinpath("data/demo_planning.json").read_text()
    return json.loads(text)


def evidence(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page record (biên bản) as PDF, standing for the scanned paper one."""
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    html = (
        '<html lang="vi"><head><meta charset="utf-8"><style>@font-face{font-family:S;'
        f'src:url("{font_dir()}/LiberationSerif-Regular.ttf")}}body{{font-family:S;'
        f"font-size:13pt}}h1{{font-size:14pt;text-align:center}}</style></head><body>"
        f"<h1>{title}</h1>{paragraphs}</body></html>"
    )
    return SimpleUploadedFile(name, HTML(string=html).write_pdf(), "application/pdf")


class _Demo:
    def __init__(self, ward: AdministrativeUnit, staff: dict[str, User]) -> None:
        self.ward, self.staff = ward, staff
        self.calendar = calendar_for(ward)
        self.today = timezone.localdate()

    def run(self) -> None:
        self._week()
        self._plans()
        self._inspection()
        self._directive()
        self._initiative()
        self._propaganda_and_conduct()

    def _working_day(self, offset: int) -> date:
        """The working day ``offset`` working days from today (negative: before)."""
        day, step = self.today, (1 if offset > 0 else -1)
        for _ in range(abs(offset)):
            day += timedelta(days=step)
            while not self.calendar.is_working_day(day):
                day += timedelta(days=step)
        return day

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)

    def _week(self) -> None:
        """This week's engagements, published by the office clerk."""
        monday = monday_of(self.today)
        for item in _data()["schedule"]:
            day = monday + timedelta(days=item["weekday"])
            hour, minute = (int(n) for n in item["time"].split(":"))
            schedule.add(
                self.ward,
                schedule.EngagementData(
                    starts_at=self._at(day, hour, minute),
                    content=item["content"],
                    host=item.get("host", ""),
                    participants=item.get("participants", ""),
                    place=item.get("place", ""),
                ),
                actor=self.staff["vanthu"],
            )
        schedule.publish(self.ward, monday, actor=self.staff["vanthu"])

    def _plan(self, who: str, day: date, hours: tuple[int, int], **fields: Any) -> WorkPlan:
        data = fieldwork.PlanData(
            starts_at=self._at(day, hours[0]), ends_at=self._at(day, hours[1]), **fields
        )
        return fieldwork.file_plan(self.ward, data, actor=self.staff[who])

    def _plans(self) -> None:
        s, chairman = self.staff, self.staff["chutich"]
        upper = "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng"
        done = self._plan(
            "diachinh",
            self._working_day(-8),
            (8, 11),
            place_kind="upper_agency",
            place=upper,
            companions=[s["tuphap"]],
            purpose="Làm việc về hồ sơ cấp giấy chứng nhận quyền sử dụng đất tồn đọng",
        )
        fieldwork.decide(
            done, actor=chairman, approve=True, note="Đồng ý", at=self._at(self._working_day(-9), 9)
        )
        fieldwork.report(
            done,
            actor=s["diachinh"],
            at=self._at(self._working_day(-8), 15),
            result="Sở thống nhất phối hợp rà soát 12 hồ sơ tồn đọng, trả lời trước 30 ngày.",
        )
        late = self._plan(
            "vanhoa",
            self._working_day(-4),
            (14, 16),
            place_kind="neighbourhood",
            place="Khu phố 3",
            companions_other="Trưởng Khu phố 3",
            purpose="Rà soát hộ cận nghèo đề nghị hỗ trợ cuối năm",
        )
        fieldwork.decide(
            late, actor=s["phochutich"], approve=True, at=self._at(self._working_day(-5), 10)
        )
        trip = self._plan(
            "tuphap",
            self.today,
            (8, 11),
            place_kind="neighbourhood",
            place="Khu phố 2",
            purpose="Tuyên truyền đăng ký khai sinh trực tuyến qua VNeID",
        )
        fieldwork.decide(trip, actor=chairman, approve=True, at=self._at(self._working_day(-1), 16))
        self._plan(
            "diachinh",
            self._working_day(3),
            (8, 11),
            place_kind="upper_agency",
            place="Ủy ban nhân dân tỉnh Lâm Đồng",
            on_schedule=True,
            purpose="Dự họp về quy hoạch chi tiết khu dân cư ven biển",
        )
        refused = self._plan(
            "vanphong",
            self._working_day(2),
            (14, 17),
            place_kind="other",
            place="Trung tâm Hội nghị tỉnh",
            purpose="Dự tập huấn phần mềm",
        )
        fieldwork.decide(
            refused,
            actor=chairman,
            approve=False,
            note="Trùng buổi kiểm tra Bộ phận Một cửa; cử công chức Một cửa đi thay.",
        )

    def _criterion(self, code: str) -> Criterion | None:
        return Criterion.objects.filter(
            criteria_set__province=self.ward.parent, criteria_set__year=self.today.year, code=code
        ).first()

    def _inspection(self) -> None:
        s = self.staff
        start = self._working_day(-10)
        inspection = remediation.plan_inspection(
            self.ward,
            actor=s["vanthu"],
            title="Kiểm tra công tác cải cách hành chính tại Bộ phận Một cửa",
            scope=(
                "Niêm yết thủ tục, tiếp nhận và trả kết quả hồ sơ, thư xin lỗi hồ sơ trễ hạn, "
                "tác phong"
            ),
            starts_on=start,
            ends_on=start,
            team=[s["phochutich"], s["vanphong"]],
        )
        record = evidence(
            "bien-ban-kiem-tra.pdf",
            "BIÊN BẢN KIỂM TRA CẢI CÁCH HÀNH CHÍNH",
            [
                "Thời gian: " + start.strftime("%d/%m/%Y"),
                "Thành phần: đoàn kiểm tra của UBND phường.",
                "Kết quả: phát hiện 2 hạn chế (kèm theo).",
            ],
        )
        posted = remediation.record_finding(
            inspection,
            actor=s["vanphong"],
            evidence=record,
            criterion=self._criterion("1.3"),
            shortcoming=(
                "Bảng niêm yết tại quầy còn 3 thủ tục hết hiệu lực, thiếu 2 thủ tục mới công bố"
            ),
        )
        online = remediation.record_finding(
            inspection,
            actor=s["phochutich"],
            criterion=self._criterion("2.2"),
            shortcoming="Công chức chưa hướng dẫn người dân nộp hồ sơ trực tuyến tại quầy",
        )
        # Given the day of the inspection: one done in time, one now overdue (the
        # task_escalation job tells the leaders once make run starts).
        given = self._at(start, 16)
        task = remediation.assign_task(
            self.ward,
            remediation.TaskData(
                "Cập nhật bảng niêm yết thủ tục hành chính tại quầy",
                s["motcua"],
                self._at(self._working_day(-5), 17),
            ),
            actor=s["vanthu"],
            finding=posted,
            at=given,
        )
        remediation.complete(
            task,
            actor=s["motcua"],
            note="Đã gỡ 3 thủ tục hết hiệu lực, niêm yết "
            "đủ 2 thủ tục mới theo quyết định công bố của tỉnh.",
            evidence=[
                evidence("niem-yet.pdf", "ẢNH CHỤP BẢNG NIÊM YẾT", ["Bảng niêm yết đã cập nhật."])
            ],
            at=self._at(self._working_day(-6), 10),
        )
        remediation.assign_task(
            self.ward,
            remediation.TaskData(
                "Bố trí máy tính và hướng dẫn người dân nộp hồ sơ trực tuyến tại quầy",
                s["motcua"],
                self._at(self._working_day(-2), 17),
            ),
            actor=s["vanthu"],
            finding=online,
            at=given,
        )

    def _directive(self) -> None:
        s = self.staff
        month_end = self._at(self._working_day(15), 17)
        remediation.record_directive(
            self.ward,
            actor=s["chutich"],
            reference="15/CT-UBND",
            issued_on=self._working_day(-6),
            title=(
                "Chỉ thị về đẩy mạnh cải cách hành chính, chuyển đổi số trong giải quyết thủ "
                "tục hành chính"
            ),
            tasks=[
                remediation.TaskData(
                    "Nâng tỷ lệ hồ sơ nộp trực tuyến tại phường lên từ 50%", s["motcua"], month_end
                ),
                remediation.TaskData(
                    "Cập nhật chuyên mục Cải cách hành chính trên trang thông tin hằng tuần",
                    s["vanphong"],
                    self._at(self._working_day(5), 17),
                ),
                remediation.TaskData(
                    "Sử dụng hộp thư công vụ cho mọi văn bản gửi, nhận với cấp trên",
                    s["vanthu"],
                    month_end,
                ),
            ],
        )

    def _initiative(self) -> None:
        s = self.staff
        initiative = recognition.submit_initiative(
            self.ward,
            actor=s["motcua"],
            co_authors=[s["vanphong"]],
            title="Góc hỗ trợ nộp hồ sơ trực tuyến tại Trung tâm Phục vụ hành chính công phường",
            problem=(
                "Người dân, nhất là người cao tuổi, chưa quen nộp hồ sơ trực tuyến và thanh toán "
                "trực tuyến."
            ),
            solution=(
                "Bố trí 2 máy tính, đoàn viên thanh niên tình nguyện hướng dẫn từng bước trên "
                "VNeID và Cổng Dịch vụ công."
            ),
            expected_effect="Tăng tỷ lệ hồ sơ trực tuyến, giảm thời gian chờ tại quầy.",
            council=[s["chutich"], s["phochutich"]],
        )
        for member in ("chutich", "phochutich"):
            recognition.give_opinion(
                initiative, actor=s[member], in_favour=True, comment="Thiết thực, dễ nhân rộng"
            )
        recognition.decide_initiative(
            initiative,
            actor=s["chutich"],
            recognise=True,
            conclusion="Công nhận sáng kiến cấp cơ sở",
        )
        recognition.record_application(
            initiative,
            actor=s["motcua"],
            applied_from=self._working_day(-20),
            measured_effect="Sau một tháng áp dụng, tỷ lệ hồ sơ trực tuyến tăng từ 31% lên 44%.",
        )

    def _propaganda_and_conduct(self) -> None:
        s = self.staff
        for kind, title, days, audience, reached in [
            (
                "loudspeaker",
                "Phát thanh hướng dẫn nộp hồ sơ trực tuyến qua VNeID",
                -3,
                "Nhân dân toàn phường",
                None,
            ),
            (
                "meeting",
                "Hội nghị tuyên truyền cải cách hành chính tại Khu phố 3",
                -12,
                "Hộ gia đình Khu phố 3",
                85,
            ),
            (
                "leaflet",
                "Phát tờ rơi hướng dẫn thanh toán lệ phí trực tuyến",
                -15,
                "Người dân đến Bộ phận Một cửa",
                300,
            ),
        ]:
            recognition.record_activity(
                self.ward,
                actor=s["vanhoa"],
                kind=kind,
                title=title,
                held_on=self._working_day(days),
                audience=audience,
                reached=reached,
            )
        recognition.record_desk_check(
            self.ward,
            actor=s["vanthu"],
            officer=s["motcua"],
            inspected_on=self._working_day(-2),
            met={"greets", "apologises", "thanks", "asks_leave", "smiles", "listens", "helps"},
            note="Có lúc đông người, trả lời còn vội.",
        )
        complaint = recognition.record_complaint(
            self.ward,
            actor=s["vanthu"],
            officer=s["motcua"],
            received_on=self._working_day(-7),
            content="Phải chờ lâu khi nhận kết quả chứng thực.",
        )
        recognition.settle_complaint(
            complaint,
            actor=s["chutich"],
            substantiated=False,
            resolution="Hồ sơ trả đúng hẹn; đã giải thích cho công dân.",
        )
