from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.importing import ImportFailed
from motcua.core.services.units import import_units, parse_units_csv, rows_from_package


class Command(BaseCommand):
    help = (
        "Import administrative units from a CSV in the statistics-office layout "
        "(code, name, type, parent), or from the vietnam-provinces package. All or nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("csv", nargs="?", help="CSV file (UTF-8)")
        parser.add_argument(
            "--from-package",
            action="store_true",
            help="use the post-2025 list shipped by vietnam-provinces",
        )
        parser.add_argument(
            "--province", help="with --from-package: only this province code (e.g. 68)"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            if options["from_package"]:
                rows = rows_from_package(options["province"])
            elif options["csv"]:
                rows = parse_units_csv(Path(options["csv"]).read_text(encoding="utf-8-sig"))
            else:
                raise CommandError(_("Give a CSV file or --from-package."))
            result = import_units(rows, actor=None)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            msg = _("%(n)d error(s); no unit was imported.") % {"n": len(failure.errors)}
            raise CommandError(msg) from failure
        self.stdout.write(
            _("Units: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % result.__dict__
        )
