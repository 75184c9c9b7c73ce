from django.core.management.base import BaseCommand

from motcua.documents.models import Mailbox
from motcua.documents.services.mailbox import poll


class Command(BaseCommand):
    help = "Register incoming documents from every active official mailbox (run by cron)."

    def handle(self, *args: object, **options: object) -> None:
        for mailbox in Mailbox.objects.filter(is_active=True).select_related("unit"):
            found = poll(mailbox)
            state = mailbox.last_error or f"{len(found)} văn bản mới"
            self.stdout.write(f"{mailbox.unit.name} ({mailbox}): {state}")
