from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.backup import BackupError, backup
from motcua.core.services import audit


class Command(BaseCommand):
    help = _(
        "Back up the database, uploaded and signed files, signing keys, seals, the secret key "
        "and the audit key into one archive with checksums."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "output",
            nargs="?",
            help=_("Archive to write (default: var/backups/motcua-<time>.tar.gz)."),
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from django.conf import settings

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(
            options["output"] or Path(settings.VAR_DIR) / "backups" / f"motcua-{stamp}.tar.gz"
        )
        with transaction.atomic():
            audit.record(
                actor=None, action="core.backup", unit=None,
                object_type="backup", object_repr=output.name,
            )  # fmt: skip
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            _("Backup written to %(path)s: %(tables)d tables (%(rows)d rows), %(files)d files.")
            % {"path": output, "tables": len(manifest["tables"]), "rows": rows,
               "files": len(manifest["files"])}
        )  # fmt: skip
        for name in manifest["not_archived"]:
            self.stderr.write(
                _("%(name)s comes from the environment and is not in the archive: keep it safe.")
                % {"name": name}
            )
