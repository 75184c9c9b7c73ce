"""Key files: a demo certificate authority for development, and loading PKCS#12 keys.

The demo CA is NOT for production. Production loads the PKCS#12 files the licensed CA (the
national or a commercial digital-signature provider) issued to the People's Committee and to
its Chairman and Vice-chairmen.

The demo certificates carry no CRL distribution point and no OCSP address: nothing publishes
revocation data for them, so verification of demo copies runs with revocation checking off.
"""

import datetime as dt
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "MotCua Demo CA — not for production"
CA_YEARS = 10
LEAF_YEARS = 3
KEY_BITS = 3072
# id-kp-documentSigning (RFC 9336). emailProtection is kept beside it because NSS (poppler's
# pdfsig, Firefox) checks signing certificates for the e-mail signer usage.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


class KeyFileError(Exception):
    """A key file cannot be used; the message is for staff, in Vietnamese."""


@dataclass(frozen=True)
class DemoPki:
    directory: Path
    ca_certificate: Path
    organisation: Path
    signers: list[Path]  # in the order of the `signers` argument
    organisation_subject: str
    signer_subjects: list[str]


@dataclass(frozen=True)
class LoadedKey:
    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: list[x509.Certificate]  # the issuing CAs, as stored in the file


# Demo CA


def create_demo_pki(
    directory: Path,
    *,
    organisation: str,
    province: str,
    signers: list[tuple[str, str]],
    password: bytes,
    overwrite: bool = False,
) -> DemoPki:
    """Write ca.pem, org.p12 and one signer-<slug>.p12 per (full name, title), all mode 0600.

    The CA's private key is not kept: nobody can issue further certificates under it, and a new
    signer means a new demo PKI (overwrite=True).
    """
    if not signers:
        raise ValueError("at least one signer is needed")
    if not password:
        raise ValueError("the key files need a password")
    names = _signer_file_names([name for name, _ in signers])
    targets = [directory / "ca.pem", directory / "org.p12", *(directory / n for n in names)]
    existing = [path for path in targets if path.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"Đã có tệp khóa mẫu {existing[0]}; dùng overwrite để tạo lại.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    ca_key = _new_key()
    ca_cert = _ca_certificate(ca_key)
    org_subject = _name(
        (NameOID.COUNTRY_NAME, "VN"),
        (NameOID.STATE_OR_PROVINCE_NAME, province),
        (NameOID.LOCALITY_NAME, province),
        (NameOID.ORGANIZATION_NAME, organisation),
        (NameOID.COMMON_NAME, organisation),
    )
    _write_p12(targets[1], organisation, org_subject, ca_key, ca_cert, password)
    signer_subjects = []
    for (full_name, title), path in zip(signers, targets[2:], strict=True):
        subject = _name(
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, province),
            (NameOID.ORGANIZATION_NAME, organisation),
            (NameOID.TITLE, title),
            (NameOID.COMMON_NAME, full_name),
        )
        _write_p12(path, full_name, subject, ca_key, ca_cert, password)
        signer_subjects.append(_display(subject))
    _write_private(targets[0], ca_cert.public_bytes(serialization.Encoding.PEM))
    return DemoPki(
        directory=directory,
        ca_certificate=targets[0],
        organisation=targets[1],
        signers=targets[2:],
        organisation_subject=_display(org_subject),
        signer_subjects=signer_subjects,
    )


def _signer_file_names(full_names: list[str]) -> list[str]:
    """signer-<ascii slug>.p12, numbered when two signers share a name."""
    names: list[str] = []
    for full_name in full_names:
        base = f"signer-{_slug(full_name) or 'nguoi-ky'}"
        name, n = f"{base}.p12", 1
        while name in names:
            n += 1
            name = f"{base}-{n}.p12"
        names.append(name)
    return names


def _slug(text: str) -> str:
    # "đ" has no decomposition, so NFKD alone would drop it ("Đặng" → "ang").
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    """In the usual order, country first (RFC 4514 strings print it last)."""
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _display(name: x509.Name) -> str:
    return name.rfc4514_string({NameOID.TITLE: "title"})


def _validity(years: int) -> tuple[dt.datetime, dt.datetime]:
    # Backdated an hour so that a verifier whose clock lags a little still accepts it.
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    return start, start + dt.timedelta(days=365 * years)


def _ca_certificate(key: rsa.RSAPrivateKey) -> x509.Certificate:
    subject = _name(
        (NameOID.COUNTRY_NAME, "VN"),
        (NameOID.ORGANIZATION_NAME, "MotCua (demo)"),
        (NameOID.COMMON_NAME, CA_NAME),
    )
    start, end = _validity(CA_YEARS)
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _leaf_certificate(
    subject: x509.Name, key: rsa.RSAPrivateKey, ca_key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> x509.Certificate:
    start, end = _validity(LEAF_YEARS)
    # digitalSignature + nonRepudiation: pyHanko requires nonRepudiation by default.
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    extended = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING])
    ca_ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(end, ca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(extended, critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _write_p12(
    path: Path,
    friendly_name: str,
    subject: x509.Name,
    ca_key: rsa.RSAPrivateKey,
    ca: x509.Certificate,
    password: bytes,
) -> None:
    key = _new_key()
    certificate = _leaf_certificate(subject, key, ca_key, ca)
    data = pkcs12.serialize_key_and_certificates(
        friendly_name.encode(),
        key,
        certificate,
        [ca],
        serialization.BestAvailableEncryption(password),
    )
    _write_private(path, data)


def _write_private(path: Path, data: bytes) -> None:
    """Atomically, readable by the owner only (0600 from creation, never world-readable)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Loading


def load_pkcs12(path: Path, password: bytes) -> LoadedKey:
    """The key, its certificate and the CA chain of a PKCS#12 file; KeyFileError otherwise."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"Không tìm thấy tệp khóa {path}.") from None
    except OSError as error:
        raise KeyFileError(f"Không đọc được tệp khóa {path}: {error.strerror}.") from None
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError):
        # cryptography does not tell a wrong password from a damaged file.
        raise KeyFileError(f"Không mở được tệp khóa {path}: sai mật khẩu hoặc tệp hỏng.") from None
    if key is None or certificate is None:
        raise KeyFileError(f"Tệp khóa {path} không chứa khóa bí mật và chứng thư số.")
    return LoadedKey(key=key, certificate=certificate, chain=list(chain))
