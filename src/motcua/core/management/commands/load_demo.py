"""Load the demo ward, phường Phú Thủy (Lâm Đồng). Idempotent: a second run changes nothing."""

from importlib import resources

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from motcua.core.models import (
    AdministrativeUnit,
    Neighbourhood,
    NeighbourhoodKind,
    Position,
    Role,
    RoleAssignment,
    User,
)
from motcua.core.services import audit
from motcua.core.services.units import import_units, parse_units_csv
from motcua.core.services.users import assign_role, create_staff_user

PROVINCE_CODE, WARD_CODE = "68", "22924"
DEMO_PASSWORD = "PhuThuy@2026"
# Values marked "minh họa" are demo values, not the ward's official data.
WARD_DETAILS = {
    "identifier_code": "000.00.24.H36",
    "address": "Trụ sở UBND phường Phú Thủy, tỉnh Lâm Đồng (địa chỉ minh họa)",
    "phone": "0252 3000 000",
    "email": "ubndphuthuy@lamdong.gov.vn",
}
NEIGHBOURHOODS = ["Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4", "Khu phố 5"]
STAFF = [
    # username, full name, role, position, unit
    ("admin", "Quản trị hệ thống", Role.ADMINISTRATOR, "", WARD_CODE),
    ("chutich", "Nguyễn Văn An", Role.LEADER, "chairman", WARD_CODE),
    ("phochutich", "Trần Thị Bình", Role.LEADER, "vice_chairman", WARD_CODE),
    ("vanthu", "Lê Thị Cúc", Role.CLERK, "", WARD_CODE),
    ("motcua", "Phạm Minh Dũng", Role.DESK_OFFICER, "", WARD_CODE),
    ("tuphap", "Hoàng Thị Em", Role.SPECIALIST, "justice_civil_status", WARD_CODE),
    ("vanhoa", "Võ Văn Phúc", Role.SPECIALIST, "culture_society", WARD_CODE),
    ("diachinh", "Đặng Quốc Giang", Role.SPECIALIST, "land_construction", WARD_CODE),
    ("ketoan", "Bùi Thị Hạnh", Role.SPECIALIST, "finance_accounting", WARD_CODE),
    ("vanphong", "Đỗ Văn Khoa", Role.SPECIALIST, "office_statistics", WARD_CODE),
    ("vanphong", "Đỗ Văn Khoa", Role.WEBSITE_EDITOR, "", WARD_CODE),
    ("tinh", "Ngô Thị Lan", Role.PROVINCE_VIEWER, "", PROVINCE_CODE),
]
DEMO_REASON = "Dữ liệu phường mẫu"
# Illustrative official addresses of the leaders (the reports' monthly e-mail goes to them).
DEMO_EMAILS = {
    "chutich": "chutich.phuthuy@lamdong.gov.vn",
    "phochutich": "phochutich.phuthuy@lamdong.gov.vn",
}
# A citizen account for trying the portal: personal id, name, phone, e-mail (all illustrative).
DEMO_CITIZEN = ("068090012345", "Trần Văn Bình", "0912345678", "binh.tran@example.vn")
PROCEDURE_FILES = ["demo_justice.json", "demo_social_land.json"]


class Command(BaseCommand):
    help = (
        "Load the demo ward (phường Phú Thủy, Lâm Đồng) with staff, neighbourhoods and procedures."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["verbosity"] == 0:
            self.stdout.write = lambda *a, **k: None  # type: ignore[method-assign]
        with transaction.atomic():
            self._units()
            ward = AdministrativeUnit.objects.get(code=WARD_CODE)
            self._ward_details(ward)
            self._neighbourhoods(ward)
            self._staff()
            self._procedures(ward.province)
            self._citizen()
            from motcua.documents.catalogue import ensure_document_types

            ensure_document_types()  # also in a migration; restored here after a flush
        # Demo signing keys for copy certification (skipped when the ward already has keys).
        call_command("create_demo_pki", verbosity=options["verbosity"])
        from motcua.documents import demo

        with transaction.atomic():  # signed with the keys above
            if demo.load(ward):
                self.stdout.write("Văn bản mẫu: văn bản đến, văn bản đi đã ký số, hồ sơ công việc.")
        from motcua.dossiers import demo as dossiers_demo

        with transaction.atomic():
            made = dossiers_demo.load(ward)
        if made:
            self.stdout.write(f"Hồ sơ mẫu: {made} hồ sơ trong {dossiers_demo.DAYS} ngày qua.")
        from motcua.interop import demo as interop_demo

        with transaction.atomic():
            if synced := interop_demo.load(ward):
                self.stdout.write(f"Đồng bộ cổng cấp trên: {synced} thông điệp trạng thái.")
        from motcua.reports import demo as reports_demo
        from motcua.reports.catalogue import ensure_index_766

        with transaction.atomic():
            ensure_index_766()  # also in a migration; restored here after a flush
            reports_demo.load(ward.province, timezone.localdate().year)
        from motcua.site import demo as site_demo

        with transaction.atomic():
            if site_demo.load(ward):
                self.stdout.write("Trang thông tin điện tử mẫu: http://127.0.0.1:8000/")
        from motcua.planning import demo as planning_demo

        with transaction.atomic():
            if planning_demo.load(ward):
                self.stdout.write(
                    "Kỷ cương công vụ mẫu: lịch công tác tuần đã công bố, kế hoạch công tác, "
                    "kiểm tra và khắc phục, sáng kiến, tuyên truyền."
                )
        self.stdout.write(self.style.SUCCESS("Phường mẫu: " + ward.committee_name))
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        labels: dict[tuple[str, str], list[str]] = {}
        for username, name, role, position, _unit in STAFF:
            label = Position(position).label if position else Role(role).label
            labels.setdefault((username, name), []).append(str(label))
        for (username, name), held in labels.items():
            self.stdout.write(f"  {username:<11} {name:<20} {', '.join(held)}")
        self.stdout.write(
            f"Công dân mẫu (cổng dịch vụ công /dich-vu-cong/): số định danh {DEMO_CITIZEN[0]}, "
            f"mật khẩu {DEMO_PASSWORD}"
        )

    def _units(self) -> None:
        text = (
            resources.files("motcua.core").joinpath("data/units_68_lam_dong.csv").read_text("utf-8")
        )
        result = import_units(parse_units_csv(text), actor=None)
        self.stdout.write(
            f"Đơn vị hành chính: tạo {result.created}, giữ nguyên {result.unchanged}."
        )

    def _ward_details(self, ward: AdministrativeUnit) -> None:
        changed = {k: v for k, v in WARD_DETAILS.items() if getattr(ward, k) != v}
        if not changed:
            return
        before = audit.snapshot(ward)
        for key, value in changed.items():
            setattr(ward, key, value)
        audit.save_recorded(
            ward, actor=None, action="unit.update", unit=ward, before=before, reason=DEMO_REASON
        )

    def _neighbourhoods(self, ward: AdministrativeUnit) -> None:
        for order, name in enumerate(NEIGHBOURHOODS, start=1):
            if Neighbourhood.objects.filter(unit=ward, name=name).exists():
                continue
            hood = Neighbourhood(unit=ward, name=name, kind=NeighbourhoodKind.QUARTER, order=order)
            audit.save_recorded(
                hood, actor=None, action="neighbourhood.create", unit=ward, reason=DEMO_REASON
            )

    def _staff(self) -> None:
        for username, name, role, position, unit_code in STAFF:
            unit = AdministrativeUnit.objects.get(code=unit_code)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_staff_user(
                    actor=None, unit=unit, username=username, full_name=name, password=DEMO_PASSWORD
                )
                if role == Role.ADMINISTRATOR:
                    user.is_superuser = True
                    user.save(update_fields=["is_superuser"])
                if username in DEMO_EMAILS:  # the monthly report reaches them (var/sent-mail)
                    user.email = DEMO_EMAILS[username]
                    user.save(update_fields=["email"])
            held = RoleAssignment.objects.filter(user=user, unit=unit, role=role, position=position)
            if not held.exists():
                assign_role(
                    actor=None,
                    user=user,
                    unit=unit,
                    role=role,
                    position=position,
                    reason=DEMO_REASON,
                )

    def _citizen(self) -> None:
        from django.utils import timezone

        personal_id, name, phone, email = DEMO_CITIZEN
        if User.objects.filter(personal_id=personal_id).exists():
            return
        user = User(
            username=f"cd{personal_id}",
            full_name=name,
            personal_id=personal_id,
            phone=phone,
            email=email,
            is_citizen=True,
            email_verified_at=timezone.now(),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()

    def _procedures(self, province: AdministrativeUnit) -> None:
        import json

        from motcua.procedures.services.exchange import import_catalogue

        data_dir = resources.files("motcua.procedures").joinpath("data")
        for name in PROCEDURE_FILES:
            source = data_dir.joinpath(name)
            result = import_catalogue(
                json.loads(source.read_text("utf-8")), province=province, actor=None
            )
            self.stdout.write(
                f"Thủ tục ({name}): tạo {result.created}, cập nhật {result.updated}, "
                f"giữ nguyên {result.unchanged}."
            )
