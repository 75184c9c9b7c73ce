"""Official documents of the demo ward, so that every page of the module has something to show:
documents to present, being handled, overdue and handled with a reply; issued documents signed
by the Chairman and the committee (one of them sent electronically to the province); a file
plan. Everything goes through the services, so it is numbered, audited and signed as real work
would be. Loaded once: a ward that already has incoming documents is left as it is.
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from motcua.certification.services.register import settings_for
from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, User
from motcua.core.officedocs import font_dir
from motcua.core.selectors import calendar_for
from motcua.core.services import audit

from .models import DocumentType, IncomingDocument, OutgoingDocument, ReceivedVia, Urgency
from .services import incoming, outgoing
from .workfiles import services as work_files


def load(ward: AdministrativeUnit) -> bool:
    """Load the demo documents into ``ward``; False when it already has documents."""
    if IncomingDocument.objects.filter(unit=ward).exists():
        return False
    staff = {u.username: u for u in User.objects.filter(username__in=STAFF)}
    if set(staff) != set(STAFF):
        return False  # not the demo ward's staff
    _Demo(ward, staff).run()
    return True


STAFF = ["chutich", "phochutich", "vanthu", "vanphong", "tuphap", "diachinh"]


class _Demo:
    def __init__(self, ward: AdministrativeUnit, staff: dict[str, User]) -> None:
        self.ward, self.staff = ward, staff
        self.calendar = calendar_for(ward)
        self.today = timezone.now().astimezone(VN_TZ).date()

    def run(self) -> None:
        self._province_trusts_the_demo_ca()
        # In the order of receipt, so that the incoming numbers follow the dates.
        self._overdue_letter()
        reply = self._answered_letter()
        reform = self._reform_letter()
        self._to_present()
        decision = self._decision()
        self._work_file(reform, decision, reply)

    def _province_trusts_the_demo_ca(self) -> None:
        """The report sent to the province is checked there on arrival: the province trusts
        the ward's demo CA, as every unit trusts the national CA in production."""
        ours, theirs = settings_for(self.ward), settings_for(self.ward.province)
        if ours.trust_roots and not theirs.trust_roots:
            before = audit.snapshot(theirs, ["trust_roots"])
            theirs.trust_roots = ours.trust_roots
            audit.save_recorded(
                theirs,
                actor=None,
                action="certification.settings",
                unit=self.ward.province,
                before=before,
                reason="Dữ liệu phường mẫu",
            )

    # --- times ---------------------------------------------------------------------------
    def _day(self, working_days_ago: int, hour: int, minute: int = 0) -> datetime:
        """hh:mm on the working day that many working days before today."""
        day = self.today
        for _ in range(working_days_ago):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)

    def _ahead(self, moment: datetime, working_days: int) -> datetime:
        return self.calendar.add_working_days(moment, working_days)

    # --- incoming --------------------------------------------------------------------------
    def _register(self, at: datetime, **fields: object) -> IncomingDocument:
        data = incoming.IncomingData(**fields)  # type: ignore[arg-type]
        return incoming.register(self.ward, data, actor=self.staff["vanthu"], at=at)

    def _reform_letter(self) -> IncomingDocument:
        """From the province: raise the online share; directed, being handled."""
        received = self._day(6, 8, 15)
        document = self._register(
            received,
            issuer="Ủy ban nhân dân tỉnh Lâm Đồng",
            reference="1285/UBND-NC",
            document_date=(received - timedelta(days=3)).date(),
            type=_type("CV"),
            abstract=(
                "V/v đẩy mạnh cải cách hành chính, nâng cao tỷ lệ hồ sơ trực tuyến và chứng "
                "thực bản sao điện tử năm 2026"
            ),
            urgency=Urgency.URGENT,
            pages=3,
        )
        directed = received + timedelta(hours=2)
        incoming.direct(
            document,
            leader=self.staff["chutich"],
            lead=self.staff["vanphong"],
            supporting=[self.staff["tuphap"]],
            deadline=self._ahead(directed, 15),
            note=(
                "Giao Văn phòng chủ trì, phối hợp Tư pháp – Hộ tịch xây dựng kế hoạch, báo cáo "
                "kết quả hằng tháng."
            ),
            at=directed,
        )
        incoming.record_progress(
            document,
            actor=self.staff["vanphong"],
            note="Đã dự thảo kế hoạch, trình lãnh đạo cho ý kiến.",
            at=self._day(2, 15, 0),
        )
        return document

    def _overdue_letter(self) -> None:
        """A review of land dossiers whose deadline has passed: in the overdue queue."""
        received = self._day(12, 9, 0)
        document = self._register(
            received,
            issuer="Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
            reference="942/SNNMT-QLĐĐ",
            document_date=(received - timedelta(days=2)).date(),
            type=_type("CV"),
            abstract="V/v rà soát hồ sơ đăng ký đất đai tồn đọng trên địa bàn",
            pages=2,
        )
        directed = received + timedelta(hours=1)
        incoming.direct(
            document,
            leader=self.staff["phochutich"],
            lead=self.staff["diachinh"],
            deadline=self._ahead(directed, 8),
            note="Giao Địa chính – Xây dựng rà soát, báo cáo đúng hạn.",
            at=directed,
        )

    def _to_present(self) -> None:
        """Registered this morning, not yet presented to a leader."""
        self._register(
            timezone.now() - timedelta(minutes=30),
            issuer="Sở Nội vụ tỉnh Lâm Đồng",
            reference="67/KH-SNV",
            document_date=self.today - timedelta(days=4),
            type=_type("KH"),
            abstract="Kế hoạch kiểm tra công tác cải cách hành chính năm 2026",
            received_via=ReceivedVia.EMAIL,
            pages=6,
        )

    def _answered_letter(self) -> OutgoingDocument:
        """A request for figures, answered by a signed report sent to the province."""
        received = self._day(9, 10, 0)
        document = self._register(
            received,
            issuer="Ủy ban nhân dân tỉnh Lâm Đồng",
            reference="1190/UBND-KSTT",
            document_date=(received - timedelta(days=1)).date(),
            type=_type("CV"),
            abstract="V/v báo cáo kết quả giải quyết thủ tục hành chính tháng 10 năm 2026",
        )
        directed = received + timedelta(hours=1)
        incoming.direct(
            document,
            leader=self.staff["chutich"],
            lead=self.staff["vanphong"],
            deadline=self._ahead(directed, 5),
            note="Văn phòng tổng hợp số liệu, dự thảo báo cáo.",
            at=directed,
        )
        reply = self._issue(
            "BC",
            "Kết quả giải quyết thủ tục hành chính tháng 10 năm 2026",
            author="vanphong",
            body=[
                "Trong tháng 10 năm 2026, Bộ phận Một cửa phường tiếp nhận và giải quyết hồ sơ "
                "thủ tục hành chính theo đúng quy định; tỷ lệ hồ sơ nộp trực tuyến tiếp tục "
                "tăng so với tháng trước.",
                "Ủy ban nhân dân phường báo cáo Ủy ban nhân dân tỉnh theo yêu cầu.",
            ],
            at=self._day(5, 14, 0),
            reply_to=document,
            recipient_units=[self.ward.province],
        )
        incoming.record_progress(
            document,
            actor=self.staff["vanphong"],
            note="Đã ban hành báo cáo, gửi Ủy ban nhân dân tỉnh qua hệ thống.",
            reply=reply,
            done=True,
            at=self._day(5, 15, 0),
        )
        return reply

    # --- outgoing --------------------------------------------------------------------------
    def _issue(
        self,
        type_code: str,
        abstract: str,
        *,
        author: str,
        body: list[str],
        at: datetime,
        **fields: object,
    ) -> OutgoingDocument:
        kind = _type(type_code)
        pdf = _pdf(self.ward, kind, abstract, body, self.staff["chutich"])
        upload = SimpleUploadedFile(f"{type_code.lower()}.pdf", pdf, "application/pdf")
        data = outgoing.Draft(type=kind, abstract=abstract, file=upload, **fields)  # type: ignore[arg-type]
        document = outgoing.draft(self.ward, data, actor=self.staff[author])
        outgoing.submit(document, actor=self.staff[author])
        outgoing.approve(document, actor=self.staff["chutich"])
        return outgoing.issue(document, actor=self.staff["vanthu"], at=at)

    def _decision(self) -> OutgoingDocument:
        return self._issue(
            "QD",
            "Về việc kiện toàn Tổ công tác cải cách hành chính phường năm 2026",
            author="vanphong",
            body=[
                "Điều 1. Kiện toàn Tổ công tác cải cách hành chính phường do Chủ tịch Ủy ban "
                "nhân dân phường làm Tổ trưởng.",
                "Điều 2. Tổ công tác tham mưu, kiểm tra, đôn đốc việc thực hiện kế hoạch cải "
                "cách hành chính năm 2026 và báo cáo kết quả hằng tháng, quý, năm.",
                "Điều 3. Quyết định có hiệu lực kể từ ngày ký.",
            ],
            at=self._day(3, 16, 0),
            public=True,  # on the ward's website, with the legal documents
        )

    # --- work files ------------------------------------------------------------------------
    def _work_file(self, *documents: object) -> None:
        plan = work_files.plan_for(self.ward, self.today.year, actor=self.staff["vanthu"])
        work_file = work_files.open_file(
            plan,
            actor=self.staff["vanthu"],
            code="01.VP",
            title=f"Hồ sơ cải cách hành chính năm {self.today.year}",
            keeper=self.staff["vanphong"],
            retention="10 năm",
        )
        reform, decision, reply = documents
        work_files.file_item(work_file, actor=self.staff["vanphong"], incoming=reform)
        for document in (decision, reply):
            work_files.file_item(work_file, actor=self.staff["vanphong"], outgoing=document)


def _type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def _pdf(
    ward: AdministrativeUnit, kind: DocumentType, abstract: str, body: list[str], signer: User
) -> bytes:
    """The document's page in the layout of Nghị định 30/2020 Phụ lục I (number left blank:
    it is given at issue)."""
    html = render_to_string(
        "documents/demo_document_pdf.html",
        {
            "font_dir": font_dir(),
            "unit": ward,
            "kind": kind,
            "abstract": abstract,
            "body": body,
            "signer": signer,
        },
    )
    return HTML(string=html).write_pdf()
