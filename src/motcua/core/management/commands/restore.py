import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.backup import BackupError, check_archive, restore
from motcua.core.services import audit


class Command(BaseCommand):
    help = _(
        "Restore a backup archive into this deployment and compare every table and file "
        "with the archive's checksums."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", help=_("Archive written by the backup command."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Replace a deployment that already holds data."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Only check the archive against its manifest; change nothing."),
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = Path(options["archive"])
        try:
            if options["check"]:
                with tempfile.TemporaryDirectory() as scratch:
                    manifest = check_archive(path, Path(scratch))
                self.stdout.write(
                    _("The archive is whole: %(tables)d tables, %(files)d files, made %(created)s.")
                    % {"tables": len(manifest["tables"]), "files": len(manifest["files"]),
                       "created": manifest["created"]}
                )  # fmt: skip
                return
            result = restore(path, replace=options["yes"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for difference in result.differences:
            self.stderr.write(difference)
        if not result.identical:
            raise CommandError(result.summary())
        # After the comparison, so the event itself is not counted as a difference.
        with transaction.atomic():
            audit.record(
                actor=None, action="core.restore", unit=None,
                object_type="backup", object_repr=path.name,
            )  # fmt: skip
        self.stdout.write(result.summary())
