from django.core.management.base import BaseCommand, CommandError

from motcua.core.services.audit import chains, verify_chain


class Command(BaseCommand):
    help = "Check every audit chain and report the first broken link of each."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        broken = checked = 0
        for chain in chains():
            checked += 1
            link = verify_chain(chain)
            if link:
                broken += 1
                self.stderr.write(
                    f"Chuỗi {link.chain}: mắt xích đầu tiên bị hỏng là sự kiện #{link.seq} ({link.problem})."
                )
        if broken:
            raise CommandError(f"{broken}/{checked} chuỗi nhật ký bị hỏng.")
        self.stdout.write(f"Nhật ký nguyên vẹn: {checked} chuỗi đã kiểm tra.")
