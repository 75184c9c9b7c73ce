"""Uploaded files are checked by their content, not their name."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def check_upload(upload: UploadedFile) -> str:
    """The content type of an accepted PDF, JPEG or PNG; ValidationError otherwise."""
    limit = settings.MOTCUA_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(mb)d MB."),
            code="too_large",
            params={"name": upload.name, "mb": settings.MOTCUA_UPLOAD_MAX_MB},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("The file “%(name)s” is not a PDF, JPEG or PNG document."),
        code="file_type",
        params={"name": upload.name},
    )


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
