import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.importing import ImportFailed, RowError
from motcua.core.models import AdministrativeUnit
from motcua.procedures.services.exchange import import_catalogue
from motcua.procedures.services.xlsx import catalogue_from_xlsx


def read_catalogue(path: Path, province: str | None) -> dict:
    if path.suffix.lower() == ".xlsx":
        if not province:
            raise CommandError(_("An Excel file needs --province."))
        return catalogue_from_xlsx(path.read_bytes(), province)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        where = _("JSON line %(line)d, column %(col)d") % {"line": error.lineno, "col": error.colno}
        raise ImportFailed([RowError(where, error.msg)]) from error


class Command(BaseCommand):
    help = "Import a procedure catalogue (JSON or XLSX, motcua.procedures/1). All or nothing."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("files", nargs="+")
        parser.add_argument("--province", help="province code; defaults to the file's own")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for name in options["files"]:
            path = Path(name)
            try:
                data = read_catalogue(path, options["province"])
                code = options["province"] or data.get("province")
                province = AdministrativeUnit.objects.filter(code=code).first()
                if province is None or not province.is_province:
                    msg = _(
                        "%(path)s: there is no province with code %(code)r; import the units first."
                    )
                    raise CommandError(msg % {"path": path, "code": code})
                result = import_catalogue(data, province=province, actor=None)
            except ImportFailed as failure:
                for error in failure.errors:
                    self.stderr.write(f"{path}: {error}")
                msg = _("%(path)s: %(n)d error(s); no procedure was imported.")
                raise CommandError(msg % {"path": path, "n": len(failure.errors)}) from failure
            msg = _("%(path)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            self.stdout.write(msg % {"path": path, **result.__dict__})
