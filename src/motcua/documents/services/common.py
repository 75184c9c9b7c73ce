import io
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from motcua.core.importing import fold

from ..models import IncomingDocument, OutgoingDocument

MAX_FILE_TEXT = 200_000  # characters of extracted text kept per document


def index_text(document: IncomingDocument | OutgoingDocument) -> str:
    """Every searchable field and the text of its PDF files, folded (no diacritics, lower
    case): matched by substring on SQLite and by full-text search on PostgreSQL."""
    parts = [document.reference, document.abstract, document.type.name]
    if isinstance(document, IncomingDocument):
        parts += [document.issuer, f"{document.number}/{document.year}"]
        if document.pk:
            parts += [pdf_text(f.file) for f in document.files.all()]
    else:
        parts += [document.external_recipients, pdf_text(document.file) if document.file else ""]
    return fold(" ".join(p for p in parts if p))[: MAX_FILE_TEXT * 2]


def pdf_text(file: Any) -> str:
    """The text layer of a PDF ("" for scans without one, or anything unreadable)."""
    try:
        with file.open("rb") as handle:
            data = handle.read()
        if not data.startswith(b"%PDF"):
            return ""
        reader = PdfReader(io.BytesIO(data))
        return " ".join((page.extract_text() or "") for page in reader.pages)[:MAX_FILE_TEXT]
    except (PdfReadError, OSError, ValueError, KeyError):
        return ""


def reindex(document: IncomingDocument | OutgoingDocument) -> None:
    """After files are added: their text joins the search index."""
    type(document).objects.filter(pk=document.pk).update(search_text=index_text(document))
