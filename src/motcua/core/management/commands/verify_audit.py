from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.services.checkpoints import check_audit, write_checkpoints


class Command(BaseCommand):
    help = _(
        "Check every audit chain from its first event and against the checkpoints kept "
        "outside the database; report every problem."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help=_("Write a checkpoint of every chain's head when the log is intact."),
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = check_audit()
        for message in report.messages():
            self.stderr.write(message)
        if not report.intact:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
        if options["checkpoint"]:
            path = write_checkpoints()
            self.stdout.write(_("Checkpoint written to %(path)s.") % {"path": path})
