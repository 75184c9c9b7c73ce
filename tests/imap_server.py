"""A real IMAP server for mail tests: Debian's Dovecot, run in the foreground from a temp dir.

Each server has its own config, passwd-file users, maildirs, sockets and log in one temp dir,
listens on 127.0.0.1 only (plain IMAP, and IMAPS with a throw-away certificate if asked), and
is gone after ``stop()``. Run as root, Dovecot drops to its own ``dovecot``/``dovenull`` users
(it refuses mail access as root); otherwise everything runs as the current user.
"""

import grp
import imaplib
import ipaddress
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

PACKAGE = "dovecot-imapd"  # Debian's package with the IMAP server (pulls in dovecot-core)
STARTUP_TIMEOUT = 15.0
_LIST_NAME = re.compile(r'\) (?:"[^"]*"|NIL) (.*)$')

CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = motcua-test-{port}
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_fsync = never
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
  # Dovecot's penalty delays logins from an IP after a failed one; every test shares 127.0.0.1.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass
class RunningImap:
    host: str
    port: int
    tls_port: int | None  # IMAPS with a self-signed certificate, when started with tls=True
    users: dict[str, str]
    directory: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's throw-away certificate."""
        return ssl.create_default_context(cafile=self.directory / "cert.pem")

    def deliver(self, user: str, raw: bytes, *, when: datetime | None = None) -> int:
        """Put ``raw`` into ``user``'s INBOX, unread, arrived at ``when``; returns its UID."""
        with self._session(user) as conn:
            moment = imaplib.Time2Internaldate(when or datetime.now(UTC))
            typ, data = conn.append("INBOX", "", moment, raw)
            assert typ == "OK", data
            # Dovecot answers "[APPENDUID <validity> <uid>] Append completed".
            return int((data[0] or b"").split(b"]")[0].split()[-1])

    def uids(self, user: str, folder: str = "INBOX", criteria: str = "ALL") -> list[int]:
        """UIDs in ``folder`` matching an IMAP SEARCH ``criteria`` (e.g. "UNSEEN")."""
        with self._session(user) as conn:
            typ, data = conn.select(f'"{folder}"', readonly=True)
            assert typ == "OK", data
            typ, data = conn.uid("SEARCH", criteria)
            assert typ == "OK", data
            return [int(uid) for uid in (data[0] or b"").split()]

    def folders(self, user: str) -> list[str]:
        """Folder names as the server spells them (modified UTF-7 for non-ASCII)."""
        with self._session(user) as conn:
            typ, data = conn.list()
            assert typ == "OK", data
            return [_folder_name(line) for line in data]

    def add_user(self, name: str, password: str) -> None:
        """A new user with an empty INBOX, while the server runs."""
        self.users[name] = password
        _write_users(self.directory / "users", {name: password})

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        return _read(self.directory / "dovecot.log") + _read(self.directory / "stderr.log")

    def _session(self, user: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=5)
        credentials = f"\0{user}\0{self.users[user]}".encode()  # SASL PLAIN takes UTF-8
        conn.authenticate("PLAIN", lambda _challenge: credentials)
        return conn


def start_imap_server(
    users: dict[str, str], *, tls: bool = False, extra_config: str = ""
) -> RunningImap:
    """Dovecot on 127.0.0.1 with these users (name → password), each with an empty INBOX.

    ``extra_config`` is appended to Dovecot's config, e.g. to announce fewer capabilities.
    """
    binary = _dovecot_binary()
    for _attempt in range(3):  # a free port may be taken between choosing and binding it
        server = _launch(binary, users, tls, extra_config)
        if _wait_until_ready(server):
            return server
        log = server.log()
        server.stop()
        if "Address already in use" not in log:
            raise RuntimeError(f"Dovecot did not start (is {PACKAGE} installed?):\n{log}")
    raise RuntimeError("Dovecot found no free port in three attempts")


def _dovecot_binary() -> str:
    # /usr/sbin is not on a non-root user's PATH on Debian.
    binary = shutil.which(
        "dovecot", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"])
    )
    prefix = Path(binary).resolve().parent.parent if binary else Path("/usr")
    imap = [prefix / "lib/dovecot/imap", prefix / "libexec/dovecot/imap"]
    if binary is None or not any(path.exists() for path in imap):
        raise RuntimeError(
            "The IMAP tests need a real Dovecot IMAP server: install Debian's "
            f"{PACKAGE} (apt-get install --no-install-recommends {PACKAGE}), "
            "or run scripts/system-deps.sh as root"
        )
    return binary


def _launch(binary: str, users: dict[str, str], tls: bool, extra_config: str) -> RunningImap:
    directory = Path(tempfile.mkdtemp(prefix="motcua-imap-"))
    port, tls_port = _free_port(), _free_port() if tls else None
    _write_users(directory / "users", users)
    ssl_lines = _write_certificate(directory) if tls else "ssl = no"
    values = _identity(directory) | {"dir": directory, "port": port, "tls_port": tls_port or 0}
    config = CONFIG.format(ssl=ssl_lines, **values) + extra_config
    (directory / "dovecot.conf").write_text(config)
    with (directory / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(directory / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
        )
    return RunningImap("127.0.0.1", port, tls_port, dict(users), directory, process)


def _identity(directory: Path) -> dict[str, object]:
    """Who Dovecot's processes and the mail files run as; root needs Dovecot's own users."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        ids = {"uid": os.getuid(), "gid": os.getgid()}
        return {"login_user": me, "internal_user": me, "internal_group": group, **ids}
    mail_owner = pwd.getpwnam("dovecot")
    directory.chmod(0o755)  # the unprivileged login and mail processes must reach their files
    (directory / "mail").mkdir()
    os.chown(directory / "mail", mail_owner.pw_uid, mail_owner.pw_gid)
    return {
        "login_user": "dovenull",
        "internal_user": "dovecot",
        "internal_group": "dovecot",
        "uid": mail_owner.pw_uid,
        "gid": mail_owner.pw_gid,
    }


def _write_users(directory: Path, users: dict[str, str]) -> None:
    # One passwd-file per user: Dovecot rereads a changed file at most once a second, but
    # loads a file it has not seen yet at once, so users added mid-test can log in at once.
    directory.mkdir(mode=0o755, exist_ok=True)
    for name, password in users.items():
        if not name or name.startswith(".") or any(c in name + password for c in ":/\n"):
            raise ValueError(f"a passwd-file cannot hold user {name!r} or its password")
        (directory / name).write_text(f"{name}:{{PLAIN}}{password}\n")
        (directory / name).chmod(0o644)


def _write_certificate(directory: Path) -> str:
    """A self-signed certificate for 127.0.0.1; returns Dovecot's ssl settings."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (directory / "key.pem").write_bytes(key_pem)
    (directory / "key.pem").chmod(0o600)
    return f"ssl = yes\nssl_cert = <{directory}/cert.pem\nssl_key = <{directory}/key.pem"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(server: RunningImap) -> bool:
    """True once the server greets a client; False if Dovecot exits or stays silent."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            with socket.create_connection((server.host, server.port), timeout=1) as conn:
                if conn.recv(64).startswith(b"* OK"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _folder_name(line: object) -> str:
    # Each line is '(\\Flags) "." Name', the name quoted when it needs to be.
    match = _LIST_NAME.search(line.decode() if isinstance(line, bytes) else "")
    assert match, line
    return match[1].strip('"')


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
