"""Serving stored files: one function for every download, so that no file a citizen or an
officer uploaded can ever run in a staff member's browser.

A file is shown inline only when its *content* (not its name, not what was declared at upload)
is a PDF, JPEG or PNG that really parses (core.uploads.detect); anything else is an attachment
of type application/octet-stream. Every answer says nosniff and carries a Content-Security-Policy
that allows nothing to run, so even a browser that sniffed would execute nothing.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse

from .uploads import EXTENSIONS, detect

FILE_POLICY = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"
OCTET = "application/octet-stream"


def serve_file(
    stored: Any, *, filename: str | None = None, inline: bool = False, private: bool = True
) -> FileResponse:
    """Answer with ``stored`` (a FieldFile, or anything with ``open``/``read``).

    ``inline`` asks to show the file in the browser; it is granted only for a checked PDF or
    image, whose real type is then the Content-Type. ``filename`` is the download name; its
    extension becomes the checked type's; a file of no checked type (a spreadsheet an incoming
    document carried) keeps its name but is only ever a download of opaque bytes.
    """
    with stored.open("rb") as handle:
        data = handle.read()
    kind = detect(data)
    name = _download_name(filename or getattr(stored, "name", "") or "tep", kind)
    show = inline and kind is not None
    response = FileResponse(
        io.BytesIO(data), as_attachment=not show, filename=name, content_type=kind or OCTET
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def _download_name(name: str, kind: str | None) -> str:
    base = name.rsplit("/", 1)[-1] or "tep"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem + EXTENSIONS[kind] if kind else base
