"""What every all-or-nothing import reports: each bad row with its place and reason."""

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    where: str  # "dòng 7", "Thủ tục!B12", "procedures[3].steps[1]"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportFailed(Exception):
    """Raised with every error found; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d), for matching headers and searching names."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()
