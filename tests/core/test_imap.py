"""Reading the ward's mailbox: ImapMailbox against a real Dovecot on 127.0.0.1."""

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage

import pytest

from motcua.core.messaging.imap import PROCESSED_FOLDER, ImapMailbox, MailboxError
from tests.imap_server import RunningImap, start_imap_server

PASSWORD = "Mat-khau 2026"
ICT = timezone(timedelta(hours=7))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n\x00\xff trailer\n%%EOF\n"
_numbers = itertools.count(1)

# As Outlook and Gmail send it: subject in two RFC 2047 words (B and Q), a Q-encoded sender,
# the PDF's name RFC 2047-encoded in a quoted parameter, the Word file's name in RFC 2231.
VIETNAMESE_MAIL = b"""\
From: =?UTF-8?Q?V=C4=83n_th=C6=B0_UBND_t=E1=BB=89nh?= <vanthu@lamdong.gov.vn>
To: phuthuy@lamdong.gov.vn
Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyNS9VQk5ELVZQIHbhu4Egdmnhu4djIHRyaeG7g24=?=
 =?UTF-8?Q?_khai_c=E1=BA=A3i_c=C3=A1ch_h=C3=A0nh_ch=C3=ADnh?=
Date: Tue, 24 Nov 2026 08:15:00 +0700
Message-ID: <cv125@lamdong.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ranh-gioi"

--ranh-gioi
Content-Type: multipart/alternative; boundary="thay-the"

--thay-the
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

S8OtbmggZ+G7rWkgVUJORCBwaMaw4budbmcgUGjDuiBUaHXhu7csCnhpbiBn4butaSBrw6htIGPDtG5nIHbEg24u
--thay-the
Content-Type: text/html; charset="utf-8"

<p>HTML version</p>
--thay-the--

--ranh-gioi
Content-Type: application/pdf; name="=?UTF-8?B?Q8O0bmcgdsSDbiAxMjUucGRm?="
Content-Disposition: attachment; filename="=?UTF-8?B?Q8O0bmcgdsSDbiAxMjUucGRm?="
Content-Transfer-Encoding: base64

JVBERi0xLjQKJeLjz9MKMSAwIG9iaiA8PC9UeXBlIC9DYXRhbG9nPj4gZW5kb2JqCgD/IHRyYWlsZXIKJSVFT0YK
--ranh-gioi
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document
Content-Disposition: attachment; filename*=utf-8''D%E1%BB%B1%20th%E1%BA%A3o.docx
Content-Transfer-Encoding: base64

UEsDBA==
--ranh-gioi--
"""


@pytest.fixture(scope="module")
def imap() -> Iterator[RunningImap]:
    # One server for the module (starting and stopping Dovecot takes about a second);
    # each test gets its own user, so its INBOX starts empty.
    server = start_imap_server({})
    yield server
    server.stop()


@pytest.fixture
def user(imap: RunningImap) -> str:
    name = f"vanthu{next(_numbers)}@phuthuy.example.vn"
    imap.add_user(name, PASSWORD)
    return name


def mailbox(imap: RunningImap, user: str, **options: object) -> ImapMailbox:
    return ImapMailbox(imap.host, imap.port, user, PASSWORD, ssl=False, **options)  # type: ignore[arg-type]


def plain_mail(subject: str, *, date: datetime | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Sở Nội vụ <snv@lamdong.gov.vn>"
    message["Subject"] = subject
    if date is not None:
        message["Date"] = date
    message["Message-ID"] = f"<vb{next(_numbers)}@lamdong.gov.vn>"
    message.set_content(f"Nội dung {subject}")
    return bytes(message)


def test_a_vietnamese_mail_with_a_pdf_arrives_decoded(imap, user):
    uid = imap.deliver(user, VIETNAMESE_MAIL)

    with mailbox(imap, user) as box:
        [mail] = box.fetch_unseen()

    assert mail.uid == uid
    assert mail.message_id == "<cv125@lamdong.gov.vn>"
    assert mail.sender == "Văn thư UBND tỉnh <vanthu@lamdong.gov.vn>"
    assert mail.subject == "Công văn số 125/UBND-VP về việc triển khai cải cách hành chính"
    assert mail.received_at == datetime(2026, 11, 24, 8, 15, tzinfo=ICT)
    assert mail.text == "Kính gửi UBND phường Phú Thuỷ,\nxin gửi kèm công văn."
    pdf, docx = mail.attachments
    assert (pdf.filename, pdf.content_type) == ("Công văn 125.pdf", "application/pdf")
    assert pdf.data == PDF
    assert docx.filename == "Dự thảo.docx"
    assert docx.data == b"PK\x03\x04"


def test_fetching_does_not_mark_mails_read(imap, user):
    imap.deliver(user, plain_mail("Giấy mời họp"))
    imap.deliver(user, plain_mail("Báo cáo tháng"))

    with mailbox(imap, user) as box:
        first = box.fetch_unseen()
        second = box.fetch_unseen()

    assert [mail.subject for mail in first] == ["Giấy mời họp", "Báo cáo tháng"]
    assert second == first
    assert len(imap.uids(user, criteria="UNSEEN")) == 2


def test_fetching_takes_the_oldest_mails_up_to_the_limit(imap, user):
    for number in range(3):
        imap.deliver(user, plain_mail(f"Văn bản {number}"))

    with mailbox(imap, user) as box:
        assert [mail.subject for mail in box.fetch_unseen(limit=2)] == ["Văn bản 0", "Văn bản 1"]


def test_processed_mails_leave_the_inbox_for_the_processed_folder(imap, user):
    imap.deliver(user, plain_mail("Giấy mời họp"))
    imap.deliver(user, plain_mail("Báo cáo tháng"))

    with mailbox(imap, user) as box:
        box.mark_processed([mail.uid for mail in box.fetch_unseen()])
        assert box.fetch_unseen() == []

    assert imap.uids(user) == []
    assert len(imap.uids(user, PROCESSED_FOLDER, "SEEN")) == 2
    assert imap.uids(user, PROCESSED_FOLDER, "UNSEEN") == []


def test_processed_mails_can_stay_in_the_inbox_marked_read(imap, user):
    imap.deliver(user, plain_mail("Giấy mời họp"))

    with mailbox(imap, user) as box:
        box.mark_processed([mail.uid for mail in box.fetch_unseen()], move_to=None)
        assert box.fetch_unseen() == []

    assert len(imap.uids(user, criteria="SEEN")) == 1
    assert PROCESSED_FOLDER not in imap.folders(user)


def test_a_vietnamese_processed_folder_name_is_created_in_modified_utf7(imap, user):
    imap.deliver(user, plain_mail("Giấy mời họp"))

    with mailbox(imap, user) as box:
        box.mark_processed([mail.uid for mail in box.fetch_unseen()], move_to="Đã xử lý")
        box.mark_processed([], move_to="Đã xử lý")  # nothing to do is not an error

    [folder] = [name for name in imap.folders(user) if name != "INBOX"]
    assert folder == "&ARAA4w- x&Hu0- l&AP0-"
    # Read back with Python's UTF-7 codec, which differs only in "+" for "&" and "/" for ",".
    assert folder.replace("&", "+").replace(",", "/").encode().decode("utf-7") == "Đã xử lý"
    assert len(imap.uids(user, folder)) == 1


@pytest.mark.parametrize("capabilities", ["IMAP4rev1", "IMAP4rev1 UIDPLUS"])
def test_a_server_without_move_gets_copy_delete_and_expunge(user, capabilities):
    extra_config = f"imap_capability = {capabilities}\n"  # Dovecot then hides MOVE
    server = start_imap_server({user: PASSWORD}, extra_config=extra_config)
    try:
        server.deliver(user, plain_mail("Giấy mời họp"))
        later = server.deliver(user, plain_mail("Báo cáo tháng"))
        with mailbox(server, user) as box:
            box.mark_processed([box.fetch_unseen()[0].uid])
            assert [mail.subject for mail in box.fetch_unseen()] == ["Báo cáo tháng"]
        assert server.uids(user) == [later]
        assert len(server.uids(user, PROCESSED_FOLDER)) == 1
    finally:
        server.stop()


def test_a_wrong_password_raises_a_mailbox_error(imap, user):
    box = ImapMailbox(imap.host, imap.port, user, "sai-mat-khau", ssl=False)

    with pytest.raises(MailboxError, match=re.escape(f"từ chối đăng nhập tài khoản {user}")), box:
        pass


def test_a_password_with_vietnamese_letters_logs_in(imap):
    imap.add_user("ketoan@phuthuy.example.vn", "Mật khẩu Đúng")
    imap.deliver("ketoan@phuthuy.example.vn", plain_mail("Giấy mời họp"))
    box = ImapMailbox(imap.host, imap.port, "ketoan@phuthuy.example.vn", "Mật khẩu Đúng", ssl=False)

    with box:
        assert [mail.subject for mail in box.fetch_unseen()] == ["Giấy mời họp"]
    with pytest.raises(MailboxError, match="AUTHENTICATIONFAILED"):
        ImapMailbox(
            imap.host, imap.port, "ketoan@phuthuy.example.vn", "Mật khẩu sai", ssl=False
        ).connect()


def test_an_unreachable_server_raises_a_mailbox_error():
    box = ImapMailbox("127.0.0.1", 1, "vanthu@phuthuy.example.vn", PASSWORD, ssl=False, timeout=2)

    refused = re.escape("Không kết nối được tới máy chủ thư 127.0.0.1:1")
    with pytest.raises(MailboxError, match=refused):
        box.fetch_unseen()


def test_an_html_only_mail_gives_readable_text(imap, user):
    message = EmailMessage()
    message["Subject"] = "Thông báo"
    message["From"] = "snv@lamdong.gov.vn"
    message["Date"] = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    message.set_content(
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Kính gửi&nbsp;UBND <b>phường</b> Phú Thuỷ,</p><div>Hạn nộp: 30/11 &amp; 01/12</div>"
        "<script>alert(1)</script></body></html>",
        subtype="html",
    )
    imap.deliver(user, bytes(message))

    with mailbox(imap, user) as box:
        [mail] = box.fetch_unseen()

    assert mail.text == "Kính gửi UBND phường Phú Thuỷ,\nHạn nộp: 30/11 & 01/12"
    assert mail.attachments == []


def test_a_mail_without_date_or_message_id_gets_arrival_time_and_a_stable_id(imap, user):
    arrived = datetime(2026, 11, 24, 9, 30, tzinfo=ICT)
    imap.deliver(user, b"From: a@b.vn\r\nSubject: Khong ngay\r\n\r\nNoi dung\r\n", when=arrived)

    with mailbox(imap, user) as box:
        first, second = box.fetch_unseen()[0], box.fetch_unseen()[0]

    assert first.received_at == arrived
    assert first.message_id.endswith("@motcua.invalid>")
    assert second.message_id == first.message_id


def test_imaps_needs_a_trusted_certificate(user):
    server = start_imap_server({user: PASSWORD}, tls=True)
    try:
        server.deliver(user, plain_mail("Giấy mời họp"))
        port = server.tls_port
        assert port is not None
        trusted = ImapMailbox(server.host, port, user, PASSWORD, ssl_context=server.ssl_context())
        with trusted as box:
            assert [mail.subject for mail in box.fetch_unseen()] == ["Giấy mời họp"]
        with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
            ImapMailbox(server.host, port, user, PASSWORD).connect()
    finally:
        server.stop()
