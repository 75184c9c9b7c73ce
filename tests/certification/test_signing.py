"""The copy's two PAdES signatures, checked by pyHanko and by an independent validator (pdfsig)."""

import datetime as dt
import io
import shutil
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image
from pyhanko.sign.timestamps import DummyTimeStamper
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from weasyprint import HTML

from motcua.certification import verification
from motcua.certification.pki import KeyFileError, create_demo_pki, load_pkcs12
from motcua.certification.signing import SignatureSpec, SigningError, sign_pdf, sign_twice

PASSWORD = b"mat-khau-thu"
ORGANISATION = "Ủy ban nhân dân phường Phú Thuỷ"
SIGNER = "Đặng Văn Bình"
PDFSIG = shutil.which("pdfsig")
# pdfsig is the independent validator the issue requires: missing, it fails, never skips.
assert PDFSIG is not None, "pdfsig is missing: run scripts/system-deps.sh (poppler-utils)"


# Fixtures


@pytest.fixture(scope="module")
def pki(tmp_path_factory):  # type: ignore[no-untyped-def]
    return create_demo_pki(
        tmp_path_factory.mktemp("pki"),
        organisation=ORGANISATION,
        province="Lâm Đồng",
        signers=[(SIGNER, "Chủ tịch"), ("Nguyễn Thị Hà", "Phó Chủ tịch")],
        password=PASSWORD,
    )


@pytest.fixture(scope="module")
def roots(pki) -> list[x509.Certificate]:  # type: ignore[no-untyped-def]
    return x509.load_pem_x509_certificates(pki.ca_certificate.read_bytes())


@pytest.fixture(scope="module")
def signed(pki) -> bytes:  # type: ignore[no-untyped-def]
    return sign_twice(make_pdf(2), *specs(pki))


@pytest.fixture(scope="module")
def nss_db(pki, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """An NSS database trusting the demo CA, so that pdfsig checks the chain too."""
    directory = tmp_path_factory.mktemp("nss")
    subprocess.run(
        [sys.executable, "-c", NSS_IMPORT, str(directory), str(pki.ca_certificate)], check=True
    )
    return directory


def make_pdf(pages: int) -> bytes:
    body = "".join(
        f'<section style="page-break-after: always"><h1>Giấy khai sinh</h1>'
        f"<p>Trang {n}: Họ và tên Nguyễn Văn An, sinh ngày 01/01/2020.</p></section>"
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html lang=vi><body>{body}</body></html>").write_pdf()


def specs(pki, *, password: bytes = PASSWORD) -> tuple[SignatureSpec, SignatureSpec]:  # type: ignore[no-untyped-def]
    reason, place = "Chứng thực bản sao đúng với bản chính", "Phường Phú Thuỷ"
    seal = "Ủy ban nhân dân\nphường Phú Thuỷ"
    return (
        SignatureSpec(
            pki.signers[0],
            password,
            "ChuKyNguoiChungThuc",
            reason,
            place,
            SIGNER,
            visible=(-1, (330, 40, 550, 130)),
            stamp_text=f"Chủ tịch\n{SIGNER}",
        ),
        SignatureSpec(
            pki.organisation,
            password,
            "ChuKyCoQuan",
            reason,
            place,
            ORGANISATION,
            visible=(-1, (200, 40, 310, 130)),
            stamp_text=seal,
        ),
    )


def pdfsig(path: Path, nss_db: Path) -> str:
    assert PDFSIG is not None
    result = subprocess.run(
        # Not -no-ocsp: poppler 22.12 then reports "Unknown issue with Certificate" for any
        # chain. The demo certificates name no OCSP responder, so nothing is fetched anyway.
        [PDFSIG, "-nssdir", f"sql:{nss_db}", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout


def signature_blocks(output: str) -> list[str]:
    return output.split("Signature #")[1:]


# Tests


def test_a_copy_signed_by_the_signer_and_the_organisation_validates_with_pyhanko(signed, roots):  # type: ignore[no-untyped-def]
    report = verification.verify_pdf(signed, roots)

    assert report.ok, report.problems
    assert report.problems == []
    first, second = report.signatures
    assert (first.field_name, first.signer_name, first.organisation) == (
        "ChuKyNguoiChungThuc",
        SIGNER,
        ORGANISATION,
    )
    assert (second.field_name, second.signer_name) == ("ChuKyCoQuan", ORGANISATION)
    for check in report.signatures:
        assert check.intact and check.valid and check.trusted and check.covers_document
        assert check.docmdp_ok is not False
        assert check.signed_at is not None
        assert check.summary_vi.endswith("hợp lệ, tài liệu không bị thay đổi sau khi ký.")
    # The organisation's signature only filled its own field after the signer's.
    assert first.modification_level == "FORM_FILLING"
    assert second.modification_level == "NONE"


def test_pdfsig_accepts_both_signatures(signed, nss_db, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "copy.pdf"
    path.write_bytes(signed)

    first, second = signature_blocks(pdfsig(path, nss_db))

    for block in (first, second):
        assert "Signature Validation: Signature is Valid." in block
        assert "Certificate Validation: Certificate is Trusted." in block
        assert "Signature Type: ETSI.CAdES.detached" in block
        assert "Signing Hash Algorithm: SHA-256" in block
    assert f"Signer Certificate Common Name: {SIGNER}" in first
    assert "Not total document signed" in first  # the organisation signed after it
    assert "Total document signed" in second and "Not total" not in second


def test_changing_one_byte_breaks_both_validators(signed, roots, nss_db, tmp_path):  # type: ignore[no-untyped-def]
    # A byte inside the first page's content stream, which both signatures cover.
    reader = PdfReader(io.BytesIO(signed))
    content = reader.pages[0].raw_get("/Contents").idnum
    start = signed.index(b"stream", signed.index(b"\n%d 0 obj" % content)) + len(b"stream\n")
    position = start + 20
    first_signature = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0]["/V"]
    assert position < first_signature["/ByteRange"][1]
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(tampered))

    report = verification.verify_pdf(bytes(tampered), roots)
    output = pdfsig(path, nss_db)

    assert not report.ok
    assert [check.intact for check in report.signatures] == [False, False]
    assert report.problems == ["Tài liệu đã bị thay đổi sau khi ký."]
    assert output.count("Signature Validation: Digest Mismatch.") == 2


def test_text_appended_after_signing_is_reported(signed, roots, nss_db, tmp_path):  # type: ignore[no-untyped-def]
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_annotation(0, FreeText(text="Đã hủy", rect=(50, 700, 250, 740)))
    buffer = io.BytesIO()
    writer.write(buffer)
    appended = buffer.getvalue()
    assert appended.startswith(signed)  # an incremental update: the signed bytes are untouched
    path = tmp_path / "appended.pdf"
    path.write_bytes(appended)

    report = verification.verify_pdf(appended, roots)
    output = pdfsig(path, nss_db)

    assert not report.ok
    assert all(check.intact and check.valid for check in report.signatures)
    assert [check.covers_document for check in report.signatures] == [False, False]
    assert "Tài liệu đã bị thay đổi sau khi ký." in report.problems
    assert "sau khi ký" in report.signatures[-1].summary_vi
    assert output.count("Not total document signed") == 2


def test_an_unsigned_or_broken_file_gives_a_report_not_an_exception(roots):  # type: ignore[no-untyped-def]
    unsigned = verification.verify_pdf(make_pdf(1), roots)
    broken = verification.verify_pdf(b"%PDF-1.7\nkhong phai pdf", roots)
    empty = verification.verify_pdf(b"", roots)

    assert not unsigned.ok and unsigned.problems == ["Tài liệu không có chữ ký số."]
    assert not broken.ok and broken.problems and broken.signatures == []
    assert not empty.ok and empty.problems


def test_a_wrong_key_password_gives_a_clear_error(pki):  # type: ignore[no-untyped-def]
    signer, _ = specs(pki, password=b"sai")

    with pytest.raises(SigningError, match="sai mật khẩu hoặc tệp hỏng") as error:
        sign_pdf(make_pdf(1), signer)
    with pytest.raises(KeyFileError, match="Không tìm thấy tệp khóa"):
        load_pkcs12(pki.directory / "khong-co.p12", PASSWORD)

    assert str(pki.signers[0]) in str(error.value)
    assert isinstance(error.value.__cause__, KeyFileError)


def test_a_certificate_from_another_ca_is_not_trusted(pki, roots, tmp_path):  # type: ignore[no-untyped-def]
    other = create_demo_pki(
        tmp_path / "other",
        organisation=ORGANISATION,
        province="Lâm Đồng",
        signers=[(SIGNER, "Chủ tịch")],
        password=PASSWORD,
    )

    forged = verification.verify_pdf(sign_twice(make_pdf(1), *specs(other)), roots)
    no_roots = verification.verify_pdf(sign_twice(make_pdf(1), *specs(pki)), [])

    for report in (forged, no_roots):
        assert not report.ok
        assert all(c.intact and c.valid and not c.trusted for c in report.signatures)
        assert report.problems == ["Chứng thư số không do cơ quan tin cậy cấp."]


def test_vietnamese_stamp_text_is_in_the_pdf(signed, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "copy.pdf"
    path.write_bytes(signed)

    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-f", "2", "-l", "2", "-r", "72", "-png", str(path), str(tmp_path / "page")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")

    for line in ("Chủ tịch", SIGNER, "Ủy ban nhân dân", "phường Phú Thuỷ"):
        assert line in text
    # The stamp is drawn in red inside the signer's box (x 330-550, y 40-130 from the bottom).
    box = page.crop((330, page.height - 130, 550, page.height - 40))
    colours = box.getcolors(box.width * box.height) or []
    assert any(r > 120 and g < 80 and b < 80 for _, (r, g, b) in colours)
    # Widths in thousandths of an em: pyHanko copied the font's 2048-unit widths before.
    fonts = [f for f in _appearance_fonts(signed) if f["/Subtype"] == "/Type0"]
    assert fonts
    for font in fonts:
        widths = font["/DescendantFonts"][0].get_object()["/W"]
        assert max(w for item in widths if isinstance(item, list) for w in item) <= 1000


def test_a_signature_timestamp_gives_the_signing_time(pki, roots, tmp_path):  # type: ignore[no-untyped-def]
    tsa_root, timestamper = _test_tsa()
    with _serve(timestamper) as url:
        pdf = sign_twice(make_pdf(1), *specs(pki), timestamp_url=url)

    report = verification.verify_pdf(pdf, [*roots, tsa_root])

    assert report.ok, report.problems
    assert all(check.timestamped for check in report.signatures)
    with pytest.raises(SigningError, match="dấu thời gian"):
        sign_pdf(make_pdf(1), specs(pki)[0], timestamp_url="http://127.0.0.1:9/tsa")


def test_the_demo_pki_is_private_and_not_overwritten_by_accident(pki):  # type: ignore[no-untyped-def]
    files = [pki.ca_certificate, pki.organisation, *pki.signers]

    assert [p.name for p in pki.signers] == ["signer-dang-van-binh.p12", "signer-nguyen-thi-ha.p12"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    with pytest.raises(FileExistsError):
        create_demo_pki(
            pki.directory,
            organisation=ORGANISATION,
            province="Lâm Đồng",
            signers=[(SIGNER, "Chủ tịch")],
            password=PASSWORD,
        )
    loaded = load_pkcs12(pki.signers[0], PASSWORD)
    assert loaded.certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Chủ tịch"
    ca_name = loaded.chain[0].subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert ca_name == "MotCua Demo CA — not for production"


# Helpers


def _appearance_fonts(pdf: bytes) -> list:  # type: ignore[type-arg]
    fonts = []
    for annotation in PdfReader(io.BytesIO(pdf)).pages[-1]["/Annots"]:
        stack = [annotation.get_object()["/AP"]["/N"].get_object()]
        while stack:
            resources = stack.pop().get("/Resources", {})
            fonts += [f.get_object() for f in resources.get("/Font", {}).values()]
            stack += [x.get_object() for x in resources.get("/XObject", {}).values()]
    return fonts


def _test_tsa() -> tuple[x509.Certificate, DummyTimeStamper]:
    """A self-signed time-stamping authority (its own root), answering every request."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "MotCua test TSA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return cert, DummyTimeStamper(asn1_cert, asn1_keys.PrivateKeyInfo.load(der_key))


class _serve:
    """An RFC 3161 HTTP endpoint on localhost, for the time of a with block."""

    def __init__(self, timestamper: DummyTimeStamper) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                body = timestamper.request_tsa_response(request).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/tsa"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# certutil (libnss3-tools) is not installed; NSS's own library does the same through ctypes:
# import the CA certificate and mark it trusted for e-mail/document signing ("CT,C,C").
NSS_IMPORT = """
import ctypes, sys
from ctypes import POINTER, Structure, byref, c_char_p, c_int, c_uint, c_ulong, c_void_p
class Trust(Structure):
    _fields_ = [("ssl", c_uint), ("email", c_uint), ("objsign", c_uint)]
libs = [ctypes.CDLL(n) for n in ("libnss3.so", "libsmime3.so", "libnssutil3.so")]
def fn(name, restype, *argtypes):
    f = next(getattr(lib, name) for lib in libs if hasattr(lib, name))
    f.restype, f.argtypes = restype, list(argtypes)
    return f
init = fn("NSS_InitReadWrite", c_int, c_char_p)
slot_of = fn("PK11_GetInternalKeySlot", c_void_p)
needs_init = fn("PK11_NeedUserInit", c_int, c_void_p)
init_pin = fn("PK11_InitPin", c_int, c_void_p, c_char_p, c_char_p)
decode = fn("CERT_DecodeCertFromPackage", c_void_p, c_char_p, c_int)
import_cert = fn("PK11_ImportCert", c_int, c_void_p, c_void_p, c_ulong, c_char_p, c_int)
trust_string = fn("CERT_DecodeTrustString", c_int, POINTER(Trust), c_char_p)
change_trust = fn("CERT_ChangeCertTrust", c_int, c_void_p, c_void_p, POINTER(Trust))
cert_db = fn("CERT_GetDefaultCertDB", c_void_p)
shutdown = fn("NSS_Shutdown", c_int)
directory, pem = sys.argv[1], open(sys.argv[2], "rb").read()
assert init(f"sql:{directory}".encode()) == 0
slot = slot_of()
assert not needs_init(slot) or init_pin(slot, b"", b"") == 0
cert = decode(pem, len(pem))
assert cert
assert import_cert(slot, cert, 0, b"MotCua demo CA", 0) == 0
trust = Trust()
assert trust_string(byref(trust), b"CT,C,C") == 0
assert change_trust(cert_db(), cert, byref(trust)) == 0
fn("CERT_DestroyCertificate", None, c_void_p)(cert)
fn("PK11_FreeSlot", None, c_void_p)(slot)
assert shutdown() == 0
"""
