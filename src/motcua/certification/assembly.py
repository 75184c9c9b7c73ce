"""One PDF for an electronic certified copy (bản sao điện tử được chứng thực từ bản chính).

The officer's scans of the original (PDF files, or JPEG/PNG photos one page each) become the
copy's pages in the given order; the certification statement (lời chứng), a QR code of the
public verification page and two empty boxes for the visible stamps go on the LAST page, as the
law requires for multi-page copies. The result is a plain, unencrypted, single-revision PDF so
that pyHanko can sign it afterwards in an incremental update.

Last-page layout (the legally safer choice): nothing of the original may be hidden, and we cannot
know whether a scanned page has a free area at its bottom. So the statement is never laid over
page content; instead the content is moved out of the way:

* an image page is laid out by us, so its image is fitted above a reserved bottom band;
* a PDF page's content is scaled down (uniformly, top-aligned, clipped to its crop box) into the
  area above the band; the page keeps its size unless it is too small for the statement, in
  which case it grows.

The band takes at least 28% of the page height, more if the statement needs it. It holds the
statement lines at the top, and below them, from left to right: the QR code, the organisation
stamp box and the signer's stamp box (the seal traditionally sits at the left of the signature).
The statement is drawn by WeasyPrint on a white-backed band and merged onto the page.

Annotations of scanned PDF pages (links, form fields, comments) are dropped: a copy shows the
page content only, and stray widgets would confuse the signer.
"""

import base64
import hashlib
import html
import io
import math
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import qrcode
from PIL import Image, ImageFont, ImageOps
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)
from weasyprint import HTML

FONT_DIR = Path(__file__).resolve().parents[1] / "static/fonts/liberation"
REGULAR_FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
BOLD_FONT = FONT_DIR / "LiberationSerif-Bold.ttf"

A4 = (595.28, 841.89)  # points
MARGIN = 28.35  # 10 mm around images and the statement
BOTTOM = 22.68  # 8 mm below the stamp boxes
GAP = 8.0
FONT_SIZE = 11.0
LINE_HEIGHT = 1.3
QR_MAX = 85.0
SIGNER_RATIO = 1.6  # signer box width / height; the organisation box is square
BAND_SHARE = 0.28  # the statement band takes at least this share of the last page
MAX_BAND_SHARE = 0.5  # ...and at most this, the page grows otherwise
MAX_PIXELS = 100_000_000
MAX_DPI = 200
JPEG_QUALITY = 85
TITLE = "Bản sao điện tử được chứng thực từ bản chính"

Kind = Literal["pdf", "jpeg", "png"]
Rect = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom left
Box = tuple[int, Rect]  # page index, rectangle

# Dictionary keys, action types and annotation kinds that run code, open files or carry files.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
_ACTIVE_KINDS = {
    *("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition", "/GoToE"),  # /S
    *("/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"),  # types
}


class ScanRefused(ValueError):
    """An uploaded scan cannot be used; the message is for the officer, in Vietnamese."""


@dataclass(frozen=True)
class ScanInfo:
    name: str
    kind: Kind
    pages: int


@dataclass
class Statement:
    """The statement's lines, already rendered from the unit's template.

    Lines written in capitals (titles such as "CHỦ TỊCH") are set in bold.
    """

    lines: list[str]


@dataclass(frozen=True)
class AssembledCopy:
    pdf: bytes
    pages: int
    signer_box: Box
    organisation_box: Box
    sha256: str


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    band: float  # height of the statement band at the bottom of the page
    text: Rect
    qr: Rect
    organisation: Rect
    signer: Rect


# Validation


def check_scan(data: bytes, name: str) -> ScanInfo:
    """Check one upload by its content; raise ScanRefused with the reason."""
    kind = _sniff(data, name)
    if kind == "pdf":
        return ScanInfo(name, kind, len(_open_pdf(data, name).pages))
    _open_image(data, name).close()
    return ScanInfo(name, kind, 1)


def count_pages(scans: list[tuple[bytes, str]]) -> int:
    """Pages of the copy, for the officer to compare with the original."""
    return sum(check_scan(data, name).pages for data, name in scans)


def _sniff(data: bytes, name: str) -> Kind:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    raise ScanRefused(f"Tệp «{name}» không phải PDF, JPEG hay PNG.")


def _open_pdf(data: bytes, name: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many kinds of errors on broken input
        raise ScanRefused(f"Tệp «{name}» bị hỏng, không đọc được.") from error
    if encrypted:
        raise ScanRefused(f"Tệp «{name}» được mã hóa; hãy quét lại hoặc gỡ mật khẩu.")
    try:
        active = _has_active_content(reader)
        for page in reader.pages:  # every page must be drawable
            if min(page.cropbox.width, page.cropbox.height) <= 0:
                raise ValueError("empty page box")
            if (contents := page.get_contents()) is not None:
                contents.get_data()
    except Exception as error:
        raise ScanRefused(f"Tệp «{name}» bị hỏng, không đọc được.") from error
    if active:
        raise ScanRefused(
            f"Tệp «{name}» chứa mã JavaScript hoặc hành động tự chạy (hoặc tệp đính kèm); "
            "hãy dùng bản quét gốc từ máy quét."
        )
    if not reader.pages:
        raise ScanRefused(f"Tệp «{name}» không có trang nào.")
    return reader


def _has_active_content(reader: PdfReader) -> bool:
    return any(_is_active(item) for item in _reachable(reader.trailer))


def _is_active(item: DictionaryObject) -> bool:
    if any(key in _ACTIVE_KEYS for key in item):
        return True
    kinds = [item[key] for key in ("/S", "/Type", "/Subtype") if key in item]
    return any(isinstance(kind, NameObject) and kind in _ACTIVE_KINDS for kind in kinds)


def _reachable(root: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer, each once (streams' data is not read)."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _open_image(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _load_image(data, name)
    except Image.DecompressionBombError as error:
        raise _too_big(name) from error
    except ScanRefused:
        raise
    except Exception as error:  # decoders raise many kinds of errors on broken input
        raise ScanRefused(f"Ảnh «{name}» bị hỏng, không đọc được.") from error


def _load_image(data: bytes, name: str) -> Image.Image:
    with Image.open(io.BytesIO(data)) as probe:  # reads the header only
        if probe.width * probe.height > MAX_PIXELS:
            raise _too_big(name)
        probe.verify()
        if probe.format == "JPEG" and not _jpeg_complete(data):
            raise OSError("no end-of-image marker")
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _jpeg_complete(data: bytes) -> bool:
    """Whether the end-of-image marker follows the first scan.

    WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES, so a cut upload would load silently
    (grey at the bottom); the marker check finds it without touching that global.
    """
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan; in the coded data, 0xFF is never followed by 0xD9
            return data.find(b"\xff\xd9", position) != -1
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return False


def _too_big(name: str) -> ScanRefused:
    limit = MAX_PIXELS // 1_000_000
    return ScanRefused(f"Ảnh «{name}» quá lớn (trên {limit} triệu điểm ảnh), hãy chụp nhỏ hơn.")


# Assembly


def assemble(
    scans: list[tuple[bytes, str]],
    *,
    statement: Statement,
    qr_url: str,
    signature_box_height_pt: float = 90,
) -> AssembledCopy:
    """The copy's PDF: the scans' pages in order, the statement on the last page."""
    if not scans:
        raise ScanRefused("Chưa có bản chụp nào của bản chính.")
    if not statement.lines:
        raise ValueError("the statement has no lines")
    if not 36 <= signature_box_height_pt <= 200:
        raise ValueError("signature_box_height_pt must be between 36 and 200")
    lines = [unicodedata.normalize("NFC", line) for line in statement.lines]
    writer = PdfWriter()
    layout: _Layout | None = None
    for position, (data, name) in enumerate(scans):
        last = position == len(scans) - 1
        if _sniff(data, name) == "pdf":
            layout = _add_pdf(writer, _open_pdf(data, name), last, lines, signature_box_height_pt)
        else:
            layout = _add_image(writer, data, name, last, lines, signature_box_height_pt)
    assert layout is not None  # the last scan always lays out the statement
    _own_resources(writer.pages[-1])
    writer.pages[-1].merge_page(_overlay(layout, lines, qr_url))
    writer.pages[-1].compress_content_streams()
    return _finish(writer, layout)


def _finish(writer: PdfWriter, layout: _Layout) -> AssembledCopy:
    writer.pdf_header = b"%PDF-1.7"
    writer.add_metadata({"/Title": TITLE, "/Producer": "MotCua"})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    last = len(writer.pages) - 1
    return AssembledCopy(
        pdf=pdf,
        pages=len(writer.pages),
        signer_box=(last, layout.signer),
        organisation_box=(last, layout.organisation),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


def _add_pdf(
    writer: PdfWriter, reader: PdfReader, last: bool, lines: list[str], box_h: float
) -> _Layout | None:
    for page in reader.pages:
        added = writer.add_page(page)
        if "/Annots" in added:
            del added["/Annots"]
    if not last:
        return None
    return _shrink_last_page(writer, writer.pages[-1], lines, box_h)


def _shrink_last_page(
    writer: PdfWriter, page: PageObject, lines: list[str], box_h: float
) -> _Layout:
    """Scale the page's visible content into the area above the statement band."""
    page.transfer_rotation_to_content()
    crop = page.cropbox
    left, bottom = float(crop.left), float(crop.bottom)
    width, height = float(crop.width), float(crop.height)
    layout = _layout(*_statement_page_size(width, height, lines, box_h), lines, box_h)
    scale = min(1.0, layout.width / width, (layout.height - layout.band) / height)
    x = (layout.width - scale * width) / 2
    y = layout.height - scale * height
    contents = page.get_contents()
    body = contents.get_data() if contents is not None else b""
    # Clip to the old crop box so that content outside it cannot reach the band.
    prefix = (
        f"q {x:.4f} {y:.4f} {scale * width:.4f} {scale * height:.4f} re W n "
        f"{scale:.6f} 0 0 {scale:.6f} {x - scale * left:.4f} {y - scale * bottom:.4f} cm\n"
    )
    stream = ContentStream(None, writer)
    stream.set_data(prefix.encode() + body + b"\nQ\n")
    page.replace_contents(stream)
    _set_page_size(page, layout.width, layout.height)
    page.compress_content_streams()
    return layout


def _own_resources(page: PageObject) -> None:
    """Give the page private resource dictionaries: merging adds to them in place, and scanned
    pages often share theirs, which would tie the statement's font and QR code to every page."""
    shared = page.get("/Resources")
    own = DictionaryObject()
    for key, value in (shared.get_object() if shared is not None else {}).items():
        value = value.get_object()
        own[NameObject(key)] = DictionaryObject(value) if type(value) is DictionaryObject else value
    page[NameObject("/Resources")] = own


def _set_page_size(page: PageObject, width: float, height: float) -> None:
    page.mediabox = RectangleObject([0, 0, width, height])
    for box in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if box in page:
            del page[NameObject(box)]


def _add_image(
    writer: PdfWriter, data: bytes, name: str, last: bool, lines: list[str], box_h: float
) -> _Layout | None:
    """An A4 page (landscape for landscape pictures) with the picture, turned upright as its
    EXIF says, fitted in the margins."""
    image = _open_image(data, name)
    width, height = _oriented_size(image)
    page_size = A4 if height >= width else (A4[1], A4[0])
    layout: _Layout | None = None
    area = (MARGIN, MARGIN, page_size[0] - MARGIN, page_size[1] - MARGIN)
    if last:
        page_size = _statement_page_size(*page_size, lines, box_h)
        layout = _layout(*page_size, lines, box_h)
        area = (MARGIN, layout.band, layout.width - MARGIN, layout.height - MARGIN)
    scale = min((area[2] - area[0]) / width, (area[3] - area[1]) / height)
    placed = (width * scale, height * scale)
    page = writer.add_page(_image_pdf(image, placed))
    x = area[0] + (area[2] - area[0] - placed[0]) / 2
    # Centred on ordinary pages; against the top on the last, next to the statement.
    y = area[3] - placed[1] if last else area[1] + (area[3] - area[1] - placed[1]) / 2
    page.add_transformation((1, 0, 0, 1, x, y))
    _set_page_size(page, *page_size)
    page.compress_content_streams()
    return layout


def _oriented_size(image: Image.Image) -> tuple[int, int]:
    """The picture's size once its EXIF orientation is applied."""
    turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return (image.height, image.width) if turned else (image.width, image.height)


def _image_pdf(image: Image.Image, placed: tuple[float, float]) -> PageObject:
    """A one-page PDF of exactly `placed` points holding the picture as a JPEG of ≤ MAX_DPI."""
    max_width = math.ceil(placed[0] / 72 * MAX_DPI)
    image = _as_rgb(ImageOps.exif_transpose(image))
    if image.width > max_width:
        size = (max_width, max(1, round(image.height * max_width / image.width)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=image.width * 72 / placed[0], quality=JPEG_QUALITY)
    return PdfReader(buffer).pages[0]


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I"):  # 16/32-bit grey: scale down, convert() would clip
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        white = Image.new("RGB", image.size, "white")
        white.paste(image.convert("RGBA"), mask=image.getchannel("A"))
        return white
    return image.convert("RGB")


# The statement


def _statement_page_size(
    width: float, height: float, lines: list[str], box_h: float
) -> tuple[float, float]:
    """The last page's size: the original's, grown only if the statement would not fit."""
    qr = min(box_h, QR_MAX)
    width = max(width, 2 * MARGIN + qr + 2 * GAP + (1 + SIGNER_RATIO) * box_h)
    needed = _layout(width, 0, lines, box_h).band
    return width, max(height, needed / MAX_BAND_SHARE)


def _layout(width: float, height: float, lines: list[str], box_h: float) -> _Layout:
    right = width - MARGIN
    row_top = BOTTOM + box_h
    text_bottom = row_top + GAP
    text_top = text_bottom + _text_height(lines, right - MARGIN)
    signer = (right - SIGNER_RATIO * box_h, BOTTOM, right, row_top)
    organisation = (signer[0] - GAP - box_h, BOTTOM, signer[0] - GAP, row_top)
    qr = min(box_h, QR_MAX)
    return _Layout(
        width=width,
        height=height,
        band=max(BAND_SHARE * height, text_top + GAP),
        text=(MARGIN, text_bottom, right, text_top),
        qr=(MARGIN, row_top - qr, MARGIN + qr, row_top),
        organisation=organisation,
        signer=signer,
    )


def _text_height(lines: list[str], width: float) -> float:
    count = sum(_wrapped_count(line, width * 0.95, _is_title(line)) for line in lines)
    return count * FONT_SIZE * LINE_HEIGHT


def _wrapped_count(line: str, width: float, bold: bool) -> int:
    """Lines that `line` takes when wrapped at spaces like the browser does (estimate)."""
    count, current = 1, ""
    for word in line.split():
        count += max(0, math.ceil(_text_width(word, bold) / width) - 1)  # broken long words
        trial = f"{current} {word}" if current else word
        if current and _text_width(trial, bold) > width:
            count, current = count + 1, word
        else:
            current = trial
    return count


def _text_width(text: str, bold: bool) -> float:
    return _font(bold).getlength(text) * FONT_SIZE / 100


@cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    path = BOLD_FONT if bold and BOLD_FONT.exists() else REGULAR_FONT
    return ImageFont.truetype(str(path), size=100)


def _is_title(line: str) -> bool:
    return line.isupper()


def _overlay(layout: _Layout, lines: list[str], qr_url: str) -> PageObject:
    pdf = HTML(string=_overlay_html(layout, lines, qr_url)).write_pdf()
    return PdfReader(io.BytesIO(pdf)).pages[0]


def _overlay_html(layout: _Layout, lines: list[str], qr_url: str) -> str:
    text, qr = layout.text, layout.qr
    paragraphs = "".join(
        f'<p class="{"title" if _is_title(line) else ""}">{html.escape(line) or "&#160;"}</p>'
        for line in lines
    )
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
{_font_faces()}
@page {{ size: {layout.width:.2f}pt {layout.height:.2f}pt; margin: 0 }}
body {{ margin: 0; font-family: "MotCua Serif", serif; font-size: {FONT_SIZE}pt;
        line-height: {LINE_HEIGHT}; color: black }}
.band {{ position: absolute; left: 0; bottom: 0; width: {layout.width:.2f}pt;
         height: {layout.band:.2f}pt; background: white }}
.text {{ position: absolute; left: {text[0]:.2f}pt; bottom: {text[1]:.2f}pt;
         width: {text[2] - text[0]:.2f}pt; white-space: pre-wrap; overflow-wrap: anywhere }}
p {{ margin: 0 }}
.title {{ font-weight: bold }}
.qr {{ position: absolute; left: {qr[0]:.2f}pt; bottom: {qr[1]:.2f}pt;
       width: {qr[2] - qr[0]:.2f}pt; height: {qr[3] - qr[1]:.2f}pt; image-rendering: pixelated }}
</style></head><body>
<div class="band"></div><div class="text">{paragraphs}</div>
<img class="qr" src="{_qr_data_uri(qr_url)}" alt="">
</body></html>"""


def _font_faces() -> str:
    faces = [f'@font-face {{ font-family: "MotCua Serif"; src: url("{REGULAR_FONT.as_uri()}") }}']
    if BOLD_FONT.exists():
        faces.append(
            f'@font-face {{ font-family: "MotCua Serif"; font-weight: bold; '
            f'src: url("{BOLD_FONT.as_uri()}") }}'
        )
    return "\n".join(faces)


def _qr_data_uri(content: str) -> str:
    image = qrcode.make(content, box_size=4, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
