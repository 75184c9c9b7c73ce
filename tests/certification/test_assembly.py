"""The certified copy's PDF: pages in order, statement and stamps on the last page only."""

import hashlib
import io
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cache

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from weasyprint import HTML

from motcua.certification.assembly import (
    TITLE,
    AssembledCopy,
    ScanRefused,
    Statement,
    assemble,
    check_scan,
    count_pages,
)

STATEMENT = Statement(
    [
        "Chứng thực bản sao đúng với bản chính.",
        "Số chứng thực: 12  Quyển số: 01/2026-SCT/BS",
        "Ngày 25 tháng 11 năm 2026",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
    ]
)
FIRST_LINE = "Chứng thực bản sao đúng với bản chính"
QR_URL = "https://motcua.example.vn/xac-minh/BS-2026-000012"
A5 = (419.53, 595.28)
EXIF_ORIENTATION = 0x0112


@cache
def two_page_pdf() -> bytes:
    """An A5 original of two pages."""
    return HTML(
        string="<style>@page { size: A5 }</style><p>Trang một của bản chính</p>"
        '<p style="break-before: page">Trang hai của bản chính</p>'
    ).write_pdf()


def refused(message: str) -> AbstractContextManager[object]:
    return pytest.raises(ScanRefused, match=re.escape(message))


def picture(size: tuple[int, int] = (600, 800), kind: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if kind == "PNG" else "RGB"
    Image.new(mode, size, (70, 120, 200, 255)).save(buffer, kind, **params)
    return buffer.getvalue()


def sideways_photo() -> bytes:
    """A portrait document shot with the phone held sideways: landscape pixels, EXIF says 6."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    return picture((800, 600), exif=exif.tobytes())


def pdf_of(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page_writer() -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_pdf())))


def make(scans: list[tuple[bytes, str]]) -> AssembledCopy:
    return assemble(scans, statement=STATEMENT, qr_url=QR_URL)


def pages_of(copy: AssembledCopy) -> list[PageObject]:
    return list(PdfReader(io.BytesIO(copy.pdf)).pages)


def pixels(page: PageObject) -> Image.Image:
    """The page's largest picture: the scan, not the QR code."""
    found = [image.image for image in page.images if image.image is not None]
    return max(found, key=lambda image: image.width)


def text(page: PageObject) -> str:
    return unicodedata.normalize("NFC", " ".join(page.extract_text().split()))


def size(page: PageObject) -> tuple[float, float]:
    return round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)


def text_origins(page: PageObject) -> list[tuple[str, float, float]]:
    """Each shown text fragment with its origin in page space."""
    found: list[tuple[str, float, float]] = []

    def visit(chunk: str, cm: list[float], tm: list[float], *_: object) -> None:
        if chunk.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((chunk, x, y))

    page.extract_text(visitor_text=visit)
    return found


# Checking uploads


def test_check_scan_recognises_content_not_names() -> None:
    assert check_scan(two_page_pdf(), "scan.jpg").kind == "pdf"
    assert check_scan(two_page_pdf(), "scan.jpg").pages == 2
    assert check_scan(picture(), "a.png").kind == "jpeg"
    assert check_scan(picture(kind="PNG"), "a.pdf").kind == "png"
    assert count_pages([(two_page_pdf(), "a.pdf"), (picture(), "b.jpg")]) == 3


def test_refuses_what_is_no_scan() -> None:
    with refused("«ghi chú.txt» không phải PDF, JPEG hay PNG"):
        check_scan("xin chào".encode(), "ghi chú.txt")


def test_refuses_encrypted_pdf() -> None:
    writer = one_page_writer()
    writer.encrypt("mật khẩu", algorithm="RC4-128")
    with refused("«khoa.pdf» được mã hóa"):
        check_scan(pdf_of(writer), "khoa.pdf")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_refuses_truncated_pdf(cut: float) -> None:
    data = two_page_pdf()
    with refused("«cut.pdf» bị hỏng"):
        check_scan(data[: int(len(data) * cut)], "cut.pdf")


def test_refuses_pdf_without_pages() -> None:
    with refused("«trống.pdf» không có trang nào"):
        check_scan(pdf_of(PdfWriter()), "trống.pdf")


def with_document_javascript(writer: PdfWriter) -> None:
    writer.add_open_action(JavaScript("app.alert('xin chào');"))


def with_open_action(writer: PdfWriter) -> None:
    action = {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject(key): value for key, value in action.items()}
    )


def with_page_action(writer: PdfWriter) -> None:
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert(2)"))


def with_launch(writer: PdfWriter) -> None:
    launch = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("x.exe")}
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(launch)


def with_attachment(writer: PdfWriter) -> None:
    writer.add_attachment("virus.exe", b"MZ")


@pytest.mark.parametrize(
    "arm",
    [with_document_javascript, with_open_action, with_page_action, with_launch, with_attachment],
)
def test_refuses_active_pdf(arm: Callable[[PdfWriter], None]) -> None:
    writer = one_page_writer()
    arm(writer)
    with refused("«js.pdf» chứa mã JavaScript hoặc hành động tự chạy"):
        check_scan(pdf_of(writer), "js.pdf")


def test_accepts_plain_open_action() -> None:
    """Opening at a page is no action to fear (scanner software does it)."""
    writer = one_page_writer()
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/GoTo")}
    )
    assert check_scan(pdf_of(writer), "ok.pdf").pages == 2


def test_refuses_broken_image() -> None:
    data = picture((1200, 1600), quality=95)
    with refused("«ảnh.jpg» bị hỏng"):
        check_scan(data[: len(data) // 2], "ảnh.jpg")
    with refused("«ảnh.png» bị hỏng"):
        check_scan(picture(kind="PNG")[:-30] + b"\0" * 30, "ảnh.png")


def test_refuses_huge_image() -> None:
    buffer = io.BytesIO()
    Image.new("1", (10_001, 10_000)).save(buffer, "PNG")
    with refused("«lớn.png» quá lớn"):
        check_scan(buffer.getvalue(), "lớn.png")


# Assembling


def test_pages_in_order_statement_on_last_image_page() -> None:
    copy = make([(two_page_pdf(), "a.pdf"), (picture(), "b.jpg")])
    pages = pages_of(copy)
    assert copy.pages == len(pages) == 3
    assert "Trang một" in text(pages[0]) and "Trang hai" in text(pages[1])
    assert [size(page) for page in pages[:2]] == [A5, A5]  # PDF pages keep their size
    assert size(pages[2]) == (595.28, 841.89)  # pictures go on A4
    assert all(FIRST_LINE not in text(page) for page in pages[:2])
    last = text(pages[2])
    assert FIRST_LINE in last and "Quyển số: 01/2026-SCT/BS" in last and "Nguyễn Văn An" in last
    assert [len(page.images) for page in pages] == [0, 0, 2]  # the picture and the QR code


def test_statement_on_last_pdf_page_shrinks_its_content() -> None:
    copy = make([(picture(), "b.jpg"), (two_page_pdf(), "a.pdf")])
    pages = pages_of(copy)
    assert [size(page) for page in pages] == [(595.28, 841.89), A5, A5]
    assert FIRST_LINE not in text(pages[0]) + text(pages[1])
    assert "Trang hai" in text(pages[2]) and FIRST_LINE in text(pages[2])
    assert [len(page.images) for page in pages] == [1, 0, 1]  # the QR code
    # The original's text now sits above the statement band.
    original = [y for chunk, _, y in text_origins(pages[2]) if "Trang hai" in chunk]
    statement = [y for chunk, _, y in text_origins(pages[2]) if "Chứng thực" in chunk]
    assert min(original) > max(statement)


def test_qr_code_is_an_image_on_the_last_page() -> None:
    pages = pages_of(make([(two_page_pdf(), "a.pdf")]))
    (qr,) = pages[-1].images
    assert qr.image is not None and qr.image.width == qr.image.height < 300


def test_rotated_last_pdf_page() -> None:
    writer = one_page_writer()
    writer.pages[1].rotate(90)
    pages = pages_of(make([(pdf_of(writer), "xoay.pdf")]))
    assert pages[1].rotation == 0 and size(pages[1]) == (A5[1], A5[0])
    assert FIRST_LINE in text(pages[1])


def test_exif_rotation_is_applied() -> None:
    pages = pages_of(make([(sideways_photo(), "doc.jpg"), (picture((800, 600)), "ngang.jpg")]))
    width, height = size(pages[0])
    assert height > width  # the sideways photo is a portrait page
    assert pixels(pages[0]).height > pixels(pages[0]).width
    width, height = size(pages[1])
    assert width > height  # a landscape picture without EXIF stays landscape


def test_transparent_png_on_white() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 400), (0, 0, 0, 0)).save(buffer, "PNG")
    (page,) = pages_of(make([(buffer.getvalue(), "trong.png")]))
    assert pixels(page).convert("RGB").getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("last", [(picture(), "b.jpg"), (two_page_pdf(), "a.pdf")])
def test_stamp_boxes_are_free_and_on_the_last_page(last: tuple[bytes, str]) -> None:
    copy = make([(picture(), "first.jpg"), last])
    page = pages_of(copy)[-1]
    boxes = [copy.signer_box, copy.organisation_box]
    assert {index for index, _ in boxes} == {copy.pages - 1}
    media = page.mediabox
    for _, (x1, y1, x2, y2) in boxes:
        assert media.left <= x1 < x2 <= media.right and media.bottom <= y1 < y2 <= media.top
        assert y2 - y1 == pytest.approx(90)
    (_, signer), (_, organisation) = boxes
    assert organisation[2] <= signer[0]  # side by side, not overlapping
    # Every glyph (baseline minus descent) lies above the boxes.
    origins = text_origins(page)
    assert origins
    assert all(y - 3 >= signer[3] for _, _, y in origins)


@pytest.mark.parametrize("last", [(picture(), "b.jpg"), (two_page_pdf(), "a.pdf")])
def test_long_statement_grows_the_band(last: tuple[bytes, str]) -> None:
    """No line is lost or drawn over the stamp boxes or the original, however long."""
    long = "Người yêu cầu chứng thực chịu trách nhiệm về tính hợp pháp của bản chính. " * 3
    lines = [*STATEMENT.lines[:3], long, *(f"Dòng thêm số {n}" for n in range(1, 9)), "CHỦ TỊCH"]
    copy = assemble([last], statement=Statement(lines), qr_url=QR_URL)
    page = pages_of(copy)[-1]
    assert "Dòng thêm số 8" in text(page) and "tính hợp pháp của bản chính" in text(page)
    origins = text_origins(page)
    assert all(y - 3 >= copy.signer_box[1][3] for _, _, y in origins)
    assert all(y + 12 <= float(page.mediabox.top) for _, _, y in origins)
    statement_top = max(y for chunk, _, y in origins if "Chứng thực" in chunk)
    assert all(y > statement_top for chunk, _, y in origins if "Trang" in chunk)


def test_output_is_plain_and_opens_in_poppler() -> None:
    copy = make([(two_page_pdf(), "a.pdf"), (sideways_photo(), "b.jpg")])
    reader = PdfReader(io.BytesIO(copy.pdf))
    assert not reader.is_encrypted
    assert copy.pdf.count(b"%%EOF") == 1 and copy.pdf.count(b"startxref") == 1
    assert reader.metadata is not None and reader.metadata.title == TITLE
    assert copy.sha256 == hashlib.sha256(copy.pdf).hexdigest()
    assert shutil.which("pdfinfo"), "pdfinfo is missing: run scripts/system-deps.sh"
    info = subprocess.run(["pdfinfo", "-"], input=copy.pdf, capture_output=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.decode().splitlines())
    assert fields["Pages"].strip() == "3" and fields["Encrypted"].strip() == "no"
    extracted = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", "-", "-"], input=copy.pdf, capture_output=True
    ).stdout.decode()
    assert FIRST_LINE in unicodedata.normalize("NFC", extracted)


def test_rejects_bad_input() -> None:
    with refused("Chưa có bản chụp"):
        make([])
    with refused("«js.pdf»"):
        writer = one_page_writer()
        with_open_action(writer)
        make([(picture(), "a.jpg"), (pdf_of(writer), "js.pdf")])


@pytest.mark.slow
def test_five_phone_photos_timing() -> None:
    """Five 12-megapixel phone photos: the copy stays small and is built in a few seconds."""
    noise = Image.effect_noise((3000, 4000), 40).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=90)
    photos = [(buffer.getvalue(), f"trang-{n}.jpg") for n in range(1, 6)]
    started = time.perf_counter()
    copy = make(photos)
    elapsed = time.perf_counter() - started
    each = len(buffer.getvalue()) // 1024
    print(f"\n5 × 3000×4000 JPEG ({each} KiB each): {elapsed:.2f} s, {len(copy.pdf) // 1024} KiB")
    assert copy.pages == 5
    # At most ~200 dpi on A4: about 1600 pixels across.
    assert max(pixels(page).width for page in pages_of(copy)) <= 1600
    assert elapsed < 30
