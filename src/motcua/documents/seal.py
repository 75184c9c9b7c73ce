"""The image of a unit's red seal, shown as the organisation's digital signature on the main
document it issues (Nghị định 30/2020, Phụ lục I: "hình ảnh chữ ký số của cơ quan, tổ chức là
hình ảnh con dấu của cơ quan, tổ chức ban hành văn bản trên văn bản, màu đỏ, kích thước bằng
kích thước thực tế của con dấu, định dạng Portable Network Graphics (.png) nền trong suốt").

The unit's real seal is uploaded with its organisation key (``SigningKey.seal_image``); without
one, a drawn likeness stands in (demo): two concentric red rings, the committee's name
around the top of the ring, the province's along the bottom, a star in the middle. The same
unit always gets the same PNG, drawn once and kept under VAR_DIR/seals/.
"""

import hashlib
import math
import os
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from motcua.certification.models import SigningKey
from motcua.core.models import AdministrativeUnit

FONT = Path(__file__).resolve().parent.parent / "static/fonts/liberation/LiberationSerif-Bold.ttf"
SEAL_MM = 36  # the usual diameter of a People's Committee's round seal
SEAL_POINTS = SEAL_MM * 72 / 25.4  # ≈ 102 pt: the size the image is placed at on the page
PIXELS = 720  # ≈ 500 dpi at 36 mm
SCALE = 3  # drawn at 3× and scaled down: Pillow's shapes are not anti-aliased
INK = (204, 0, 0)  # seal red
VERSION = "1"  # change it when the drawing changes, so that cached images are redrawn


def texts(unit: AdministrativeUnit) -> tuple[str, str]:
    """(around the top, along the bottom): "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ THUỶ", "TỈNH LÂM ĐỒNG"."""
    top = unit.committee_name.upper()
    province = unit.province
    bottom = ""
    if province.pk != unit.pk:
        kind = "THÀNH PHỐ" if province.kind == "city" else "TỈNH"
        name = province.name.upper()
        bottom = name if name.startswith(kind) else f"{kind} {name}"
    return _nfc(top), _nfc(bottom)


def seal_for(key: SigningKey) -> Path | bytes:
    """The seal image uploaded with the organisation's key, or else the drawn likeness."""
    if key.seal_image:
        with key.seal_image.open("rb") as handle:
            return handle.read()
    return seal_path(key.unit)


def seal_path(unit: AdministrativeUnit) -> Path:
    """The PNG of the unit's seal (RGBA, transparent background), drawn on first use."""
    top, bottom = texts(unit)
    digest = hashlib.sha256(f"{VERSION}\n{PIXELS}\n{top}\n{bottom}".encode()).hexdigest()[:16]
    path = Path(settings.VAR_DIR) / "seals" / f"{unit.code}-{digest}.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: two workers drawing at once never leave half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png")
        with os.fdopen(handle, "wb") as out:
            draw(top, bottom).save(out, format="PNG", optimize=True)
        os.replace(temporary, path)
    return path


def draw(top: str, bottom: str = "", size: int = PIXELS) -> Image.Image:
    """The seal as an RGBA image: red ink, fully transparent elsewhere."""
    big = size * SCALE
    mask = Image.new("L", (big, big), 0)
    pen = ImageDraw.Draw(mask)
    centre = big / 2
    outer = big / 2 - big * 0.01
    _ring(pen, centre, outer, big * 0.022)
    inner = outer * 0.70
    _ring(pen, centre, inner, big * 0.009)
    band = outer - big * 0.022 - inner  # the space between the rings, for the text
    radius = inner + band * 0.5  # the text is centred on this circle
    font_size = band * 0.56
    has_bottom = bool(bottom)
    top_span = math.radians(228 if has_bottom else 320)
    _arc_text(mask, top, centre, radius, font_size, top_span, upper=True)
    if has_bottom:
        bottom_span = math.radians(96)
        _arc_text(mask, bottom, centre, radius, font_size, bottom_span, upper=False)
        between = (top_span / 2 + math.pi - bottom_span / 2) / 2  # from the top, clockwise
        for angle in (between, -between):  # small stars where the two texts meet
            x = centre + radius * math.sin(angle)
            y = centre - radius * math.cos(angle)
            _star(pen, x, y, band * 0.2)
    _star(pen, centre, centre, inner * 0.42)
    mask = mask.resize((size, size), Image.Resampling.LANCZOS)
    seal = Image.new("RGBA", (size, size), (*INK, 0))
    seal.putalpha(mask)
    return seal


def _ring(pen: ImageDraw.ImageDraw, centre: float, radius: float, width: float) -> None:
    box = (centre - radius, centre - radius, centre + radius, centre + radius)
    pen.ellipse(box, outline=255, width=max(1, round(width)))


def _star(pen: ImageDraw.ImageDraw, x: float, y: float, radius: float) -> None:
    """A five-pointed star, point up."""
    points = []
    for n in range(10):
        r = radius if n % 2 == 0 else radius * 0.382
        angle = math.radians(-90 + n * 36)
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    pen.polygon(points, fill=255)


def _arc_text(
    mask: Image.Image,
    text: str,
    centre: float,
    radius: float,
    font_size: float,
    max_span: float,
    *,
    upper: bool,
) -> None:
    """Letters upright along the circle, centred at its top (read clockwise) or its bottom
    (read anticlockwise, so that it reads left to right too). Shrunk to fit ``max_span``."""
    if not text:
        return
    size = font_size
    font = _font(round(size))
    spacing = 0.12  # extra letter spacing, in ems
    widths = [font.getlength(c) + spacing * size for c in text]
    span = sum(widths) / radius
    if span > max_span:  # a long name: smaller letters
        size *= max_span / span
        font = _font(round(size))
        widths = [font.getlength(c) + spacing * size for c in text]
        span = sum(widths) / radius
    # Glyphs are drawn so that their vertical middle sits on the circle.
    cell = round(size * 2.2)
    angle = -span / 2  # from the top (or bottom), clockwise for the top text
    for char, width in zip(text, widths, strict=True):
        middle = angle + width / radius / 2
        angle += width / radius
        if char == " ":
            continue
        glyph = Image.new("L", (cell, cell), 0)
        ImageDraw.Draw(glyph).text((cell / 2, cell / 2), char, font=font, fill=255, anchor="mm")
        if upper:
            theta = middle  # clockwise from the top
            rotated = glyph.rotate(-math.degrees(theta), resample=Image.Resampling.BICUBIC)
            x = centre + radius * math.sin(theta)
            y = centre - radius * math.cos(theta)
        else:
            theta = math.pi - middle  # anticlockwise from the bottom, i.e. left to right
            rotated = glyph.rotate(-math.degrees(theta) + 180, resample=Image.Resampling.BICUBIC)
            x = centre + radius * math.sin(theta)
            y = centre - radius * math.cos(theta)
        left, top = round(x - cell / 2), round(y - cell / 2)
        mask.paste(255, (left, top), rotated)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _nfc(text: str) -> str:
    """Precomposed letters: one glyph per letter (Liberation has them all)."""
    return unicodedata.normalize("NFC", text)
