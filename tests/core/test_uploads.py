"""Uploads are accepted by their whole content: a PDF or image that carries a page is refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from motcua.core.uploads import check_upload, new_name

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, kind)
    return out.getvalue()


def test_real_pdf_jpeg_and_png_are_accepted_with_their_type() -> None:
    assert check_upload(SimpleUploadedFile("a.pdf", _pdf())) == "application/pdf"
    assert check_upload(SimpleUploadedFile("b.JPG", _image("JPEG"))) == "image/jpeg"
    assert check_upload(SimpleUploadedFile("c.png", _image("PNG"))) == "image/png"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.html", b"%PDF-1.4\n" + SCRIPT),  # the reported stored XSS
        ("scan.pdf", b"%PDF-1.4\n" + SCRIPT),  # a PDF header is not a PDF
        ("scan.htm", _image("JPEG")[:20] + SCRIPT),  # JPEG bytes in front of a page
        ("scan.jpg", _image("JPEG") + SCRIPT),  # a whole JPEG with a page appended
        ("scan.pdf", _pdf()[: len(_pdf()) // 2]),  # truncated: no cross-reference table
        ("scan.pdf", b""),  # 0 bytes
    ],
)
def test_file_that_is_not_wholly_a_pdf_or_image_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, data))
    assert name in str(refused.value.messages)


def test_name_must_agree_with_the_content() -> None:
    with pytest.raises(ValidationError, match=r"không khớp|does not match"):
        check_upload(SimpleUploadedFile("scan.html", _pdf()))
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("photo.png", _image("JPEG")))


def test_stored_name_is_ours_with_the_checked_extension() -> None:
    first, second = new_name("application/pdf"), new_name("image/png")
    assert first.endswith(".pdf") and second.endswith(".png") and first != second
    assert "/" not in first and len(first) == 36
