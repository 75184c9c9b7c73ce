"""Compare what MotCua holds with what the upper-level portals acknowledged and hold.

manage.py reconcile_portal [--unit 22924] [--system dvcqg] [--from 2026-11-01 --to 2026-11-30]
                           [--no-portal] [--queue-missing]
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit
from motcua.interop.selectors import STATES, reconcile
from motcua.interop.services import queue_missing
from motcua.interop.systems import configured_systems

MAX_DAYS = 366


class Command(BaseCommand):
    help = "Đối chiếu hồ sơ của MotCua với những gì cổng cấp trên đã xác nhận, theo ngày và hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="mã thống kê của xã/phường (mặc định: tất cả)")
        parser.add_argument("--system", help="cổng: file, dvcqg, lgsp (mặc định: tất cả)")
        parser.add_argument("--from", dest="first", type=date.fromisoformat)
        parser.add_argument("--to", dest="last", type=date.fromisoformat)
        parser.add_argument("--no-portal", action="store_true", help="không hỏi cổng")
        parser.add_argument(
            "--queue-missing", action="store_true", help="gửi hồ sơ cổng chưa từng nhận"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        units = AdministrativeUnit.objects.exclude(kind="province")
        if options["unit"]:
            units = units.filter(code=options["unit"])
            if not units.exists():
                raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        last = options["last"] or timezone.localdate()
        first = options["first"] or last - timedelta(days=29)
        if first > last or (last - first).days >= MAX_DAYS:
            raise CommandError(f"Khoảng ngày phải từ 1 đến {MAX_DAYS} ngày, từ trước đến sau.")
        start = datetime.combine(first, time.min, VN_TZ)
        end = datetime.combine(last + timedelta(days=1), time.min, VN_TZ)
        systems = [options["system"]] if options["system"] else configured_systems()
        for system in systems:
            if system not in configured_systems():
                raise CommandError(f"Cổng “{system}” chưa được cấu hình (MOTCUA_PORTALS).")
            with translation.override("vi"):
                self._report(units, system, start, end, options)

    def _report(
        self, units: Any, system: str, start: datetime, end: datetime, options: Any
    ) -> None:
        found = reconcile(units, system, start, end, ask_portal=not options["no_portal"])
        self.stdout.write(f"== {system}: {start:%d/%m/%Y} – {end - timedelta(days=1):%d/%m/%Y}")
        self.stdout.write("ngày        gửi  đúng hạn  muộn  chờ  bị từ chối")
        for d in found.days:
            self.stdout.write(
                f"{d.day:%d/%m/%Y}  {d.queued:4}  {d.on_time:8}  {d.late:4}  {d.waiting:3}  "
                f"{d.rejected:10}"
            )
        for line in found.dossiers:
            if line.state != "in_step":
                self.stdout.write(f"{line.dossier.code}  {line.state_label}  {line.reason[:200]}")
        queued = 0
        if options["queue_missing"]:
            for line in found.dossiers:
                if line.state == "not_sent" and queue_missing(line.dossier, system):
                    queued += 1
        summary = "; ".join(f"{STATES[s]} {n}" for s, n in found.totals.items())
        extra = f"; đã xếp gửi {queued}" if options["queue_missing"] else ""
        self.stdout.write(f"{system}: {len(found.dossiers)} hồ sơ — {summary}{extra}")
