"""Uploaded files are checked by their whole content, never by their name.

A file is accepted only when `filetype` (magic numbers) and a real parse agree: pypdf must
read a PDF's cross-reference table and find a page, Pillow must decode an image. Files that
carry HTML or script markers are refused whatever they claim to be, and the extension the
citizen gave must agree with what was found. The stored name is ours (see `stored_name`).
"""

import hashlib
import io
import re
import uuid
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
ACCEPTED_EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# What a browser would take for a page if the file were ever served as one.
HTML_MARKERS = re.compile(
    rb"<\s*(script|html|body|iframe|svg|object|embed|meta|!doctype)\b|javascript:", re.I
)
_CHECKED = "_motcua_checked_type"


def check_upload(upload: UploadedFile) -> str:
    """The content type of an accepted PDF, JPEG or PNG; ValidationError otherwise."""
    cached = getattr(upload, _CHECKED, None)
    if cached:
        return cached
    limit = settings.MOTCUA_UPLOAD_MAX_MB * 1024 * 1024
    name = upload.name or ""
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(mb)d MB."),
            code="too_large",
            params={"name": name, "mb": settings.MOTCUA_UPLOAD_MAX_MB},
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = detect(data)
    if content_type is None:
        raise ValidationError(
            _("The file “%(name)s” is not a PDF, JPEG or PNG document."),
            code="file_type",
            params={"name": name},
        )
    declared = ACCEPTED_EXTENSIONS.get(PurePath(name).suffix.lower()) if name else content_type
    if declared != content_type:
        raise ValidationError(
            _("The name of the file “%(name)s” does not match its content (%(kind)s)."),
            code="file_name",
            params={"name": name, "kind": EXTENSIONS[content_type].lstrip(".").upper()},
        )
    setattr(upload, _CHECKED, content_type)
    return content_type


def detect(data: bytes) -> str | None:
    """PDF, JPEG or PNG when the whole content really is one (and carries no markup)."""
    if not data or HTML_MARKERS.search(data):
        return None
    kind = filetype.guess(data)
    content_type = kind.mime if kind else None
    if content_type == PDF:
        return PDF if _parses_as_pdf(data) else None
    if content_type in PIL_FORMATS:
        return content_type if _parses_as_image(data, PIL_FORMATS[content_type]) else None
    return None


def _parses_as_pdf(data: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        return len(reader.pages) > 0 and bool(reader.trailer)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False


def _parses_as_image(data: bytes, expected: str) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                return False
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() skips the pixel data; decoding it proves the whole file
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True


def stored_name(upload: UploadedFile) -> str:
    """Our name for a checked upload: a random id and the extension of its checked type."""
    return new_name(check_upload(upload))


def new_name(content_type: str) -> str:
    return f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"


def name_for_bytes(data: bytes) -> str:
    """Our name for received bytes (an e-mail attachment): the checked type's extension, or
    ".bin" for anything else (served only as an opaque download, core.files)."""
    content_type = detect(data)
    return new_name(content_type) if content_type else f"{uuid.uuid4().hex}.bin"


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
