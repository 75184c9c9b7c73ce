"""Serve the upper-level portals' simulator (DVCQG and LGSP protocols) for the laptop demo."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.interop.simulator import main


class Command(BaseCommand):
    help = "Chạy mô phỏng cổng DVCQG và LGSP trên máy (mặc định cổng 8767)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8767)

    def handle(self, *args: Any, **options: Any) -> None:
        main(["--host", options["host"], "--port", str(options["port"])])
