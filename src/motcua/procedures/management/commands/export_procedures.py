import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.models import AdministrativeUnit
from motcua.procedures.services.exchange import export_catalogue
from motcua.procedures.services.xlsx import catalogue_to_xlsx


class Command(BaseCommand):
    help = "Export a province's procedure catalogue as JSON (stdout or .json) or XLSX (.xlsx)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--province", required=True)
        parser.add_argument("--output", "-o", help="file name; .xlsx for Excel")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        province = AdministrativeUnit.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(
                _("There is no province with code %(code)r.") % {"code": options["province"]}
            )
        data = export_catalogue(province)
        output = options["output"]
        if output and output.lower().endswith(".xlsx"):
            Path(output).write_bytes(catalogue_to_xlsx(data))
        else:
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            Path(output).write_text(text, encoding="utf-8") if output else sys.stdout.write(text)
