"""Whether a result PDF carries digital signatures, and whose (shown to the citizen)."""

from django.db.models.fields.files import FieldFile
from pypdf import PdfReader
from pypdf.errors import PdfReadError


def signature_summary(file: FieldFile) -> list[str]:
    """Names of the signature fields of a PDF ([] when unsigned or not a PDF)."""
    if not file.name.lower().endswith(".pdf"):
        return []
    try:
        with file.open("rb") as handle:
            fields = PdfReader(handle).get_fields() or {}
    except (PdfReadError, OSError, ValueError):
        return []
    return [name for name, field in fields.items() if field.get("/FT") == "/Sig"]
