"""PAdES signatures of a certified copy: the signer's first, then the organisation's.

Each signature is an incremental update, so the second one leaves the bytes the first one signed
untouched. Neither is a certification (DocMDP) signature: a certifying first signature would
have to allow the second one explicitly, and readers treat the plain approval kind uniformly.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.pdf_utils.xref import ObjectStream
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from ._sync import outside_event_loop
from .pki import KeyFileError, LoadedKey, load_pkcs12

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = FONTS / "liberation" / "LiberationSerif-Regular.ttf"
STAMP_COLOUR = (0.75, 0.0, 0.0)  # red, like the ink of a seal
STAMP_FONT_SIZE = 10
TIMESTAMP_TIMEOUT = 15  # seconds

Rect = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom left


class SigningError(Exception):
    """Signing failed; the message is for staff, in Vietnamese."""


@dataclass
class SignatureSpec:
    p12_path: Path
    password: bytes
    field_name: str
    reason: str
    location: str
    name: str  # the signer's display name (/Name)
    visible: tuple[int, Rect] | None = None  # page index, box; None for an invisible signature
    stamp_text: str = ""  # shown in the box; the display name when empty
    # An image (PNG file or its bytes, transparency kept) filling the box instead of the
    # text: a seal.
    image: Path | bytes | None = None


@outside_event_loop
def sign_pdf(pdf: bytes, spec: SignatureSpec, *, timestamp_url: str | None = None) -> bytes:
    """The PDF with one more signature appended as an incremental update."""
    return _sign(pdf, spec, _timestamper(timestamp_url))


@outside_event_loop
def sign_twice(
    pdf: bytes,
    signer: SignatureSpec,
    organisation: SignatureSpec,
    timestamp_url: str | None = None,
) -> bytes:
    """The signer's signature, then the organisation's over it (the copy's final form)."""
    if signer.field_name == organisation.field_name:
        raise SigningError("Hai chữ ký phải nằm ở hai trường chữ ký khác nhau.")
    timestamper = _timestamper(timestamp_url)
    return _sign(_sign(pdf, signer, timestamper), organisation, timestamper)


def _sign(pdf: bytes, spec: SignatureSpec, timestamper: timestamps.TimeStamper | None) -> bytes:
    try:
        key = load_pkcs12(spec.p12_path, spec.password)
    except KeyFileError as error:
        raise SigningError(str(error)) from error
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        output = _pdf_signer(spec, key, timestamper).sign_pdf(writer)
    except timestamps.TimestampRequestError as error:
        raise SigningError(
            f"Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian ({spec.name})."
        ) from error
    except Exception as error:  # pyHanko raises many kinds; the task needs one with a message
        raise SigningError(
            f"Không ký được tài liệu bằng khóa {spec.p12_path.name} ({spec.name}): {error}"
        ) from error
    return output.getvalue()


def _pdf_signer(
    spec: SignatureSpec, key: LoadedKey, timestamper: timestamps.TimeStamper | None
) -> signers.PdfSigner:
    metadata = signers.PdfSignatureMetadata(
        field_name=spec.field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=spec.reason or None,
        location=spec.location or None,
        name=spec.name or None,
        certify=False,
    )
    field_spec = fields.SigFieldSpec(sig_field_name=spec.field_name)
    style = None
    if spec.visible is not None:
        page, rect = spec.visible
        box = (round(rect[0]), round(rect[1]), round(rect[2]), round(rect[3]))
        field_spec = fields.SigFieldSpec(sig_field_name=spec.field_name, on_page=page, box=box)
        text = spec.stamp_text or spec.name
        style = _image_style(spec.image) if spec.image else _stamp_style(text)
    return signers.PdfSigner(
        metadata,
        _simple_signer(key),
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=field_spec,
    )


def _simple_signer(key: LoadedKey) -> signers.SimpleSigner:
    der_key = key.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificate, *chain = (
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in [key.certificate, *key.chain]
    )
    return _LoadedKeySigner(
        key.key,
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


class _LoadedKeySigner(signers.SimpleSigner):
    """Signs with the key object already loaded from the PKCS#12 file.

    SimpleSigner re-parses its DER key for every raw signature (twice per PDF signature, as the
    size estimate signs too), and parsing checks an RSA key, ~0.1 s for 3072 bits.
    """

    def __init__(self, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)  # other key types: pyHanko's own way


def _stamp_style(text: str) -> TextStampStyle:
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),  # pyHanko %-interpolates the template
        text_box_style=TextBoxStyle(
            font=_StampFont(), font_size=STAMP_FONT_SIZE, text_color=STAMP_COLOUR
        ),
        border_width=1,
        border_color=STAMP_COLOUR,
    )


def _image_style(image_file: Path | bytes) -> StaticStampStyle:
    """The image alone, scaled to the box (aspect kept), opaque, without a border."""
    source = io.BytesIO(image_file) if isinstance(image_file, bytes) else image_file
    with Image.open(source) as opened:
        image = opened.convert("RGBA")  # in memory, the file closed
    return StaticStampStyle(
        background=PdfImage(image),
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            inner_content_scaling=InnerScaling.STRETCH_TO_FIT,
        ),
        border_width=0,
    )


class _StampFont(FontEngineFactory):
    """Liberation Serif, embedded as a subset: the PDF standard fonts have no Vietnamese glyphs.

    pyHanko 0.38 writes glyph widths (/W, TJ) in the font's own units, which PDF reads as
    thousandths of an em; Liberation has 2048 units per em, so the text came out twice as wide
    and was cut off. The font is therefore rescaled to 1000 units per em first.
    """

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: ObjectStream | None = None
    ) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_1000_upem()),
            font_size=STAMP_FONT_SIZE,
            bcp47_lang_code="vi",
            obj_stream=obj_stream,
        )


@cache
def _font_1000_upem() -> bytes:
    font = TTFont(FONT)
    scale_upem(font, 1000)
    # Hinting programs address the old grid, and fontTools cannot subset FFTM: drop them.
    for table in ("fpgm", "prep", "cvt ", "gasp", "FFTM"):
        if table in font:
            del font[table]
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _timestamper(url: str | None) -> timestamps.TimeStamper | None:
    return timestamps.HTTPTimeStamper(url, timeout=TIMESTAMP_TIMEOUT) if url else None
