from django.core.management.base import BaseCommand

from motcua.core.messaging.delivery import sweep


class Command(BaseCommand):
    help = "Deliver every due outbox message now (also releases claims left by a crashed worker)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{sweep()} message(s) tried.")
