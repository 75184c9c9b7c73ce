"""Incoming documents from the unit's official mailbox (IMAP), polled by a task or command.

Each message becomes an incoming document (received by e-mail, attachments kept); the clerk
corrects the fields the e-mail cannot tell (number and symbol, type). A message is never
registered twice (Message-ID), and it is moved out of the inbox only after it is saved.
"""

import io
import os
import re
import ssl

from django.db import transaction
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.messaging.imap import FetchedMail, ImapMailbox, MailboxError
from motcua.core.services import audit

from ..models import DocumentType, IncomingDocument, Mailbox, ReceivedVia
from . import incoming
from .common import reindex

REFERENCE = re.compile(r"\b(\d{1,5}/[A-ZĐ][\wĐđ\-/.]*)", re.UNICODE)


def poll(mailbox: Mailbox, *, ssl_context: ssl.SSLContext | None = None) -> list[IncomingDocument]:
    """Register every unseen message; errors are kept on the mailbox for the clerk to see."""
    password = os.environ.get(mailbox.password_env)
    registered: list[IncomingDocument] = []
    try:
        if password is None:
            raise MailboxError(f"Chưa đặt biến môi trường {mailbox.password_env}.")
        with ImapMailbox(
            mailbox.host,
            mailbox.port,
            mailbox.username,
            password,
            ssl=mailbox.use_ssl,
            folder=mailbox.folder,
            ssl_context=ssl_context,
        ) as box:
            done = []
            for mail in box.fetch_unseen():
                document = register_mail(mailbox, mail)
                if document is not None:
                    registered.append(document)
                done.append(mail.uid)
            box.mark_processed(done)
        mailbox.last_error = ""
    except MailboxError as error:
        mailbox.last_error = str(error)
    mailbox.last_polled_at = timezone.now()
    mailbox.save(update_fields=["last_polled_at", "last_error"])
    return registered


def register_mail(mailbox: Mailbox, mail: FetchedMail) -> IncomingDocument | None:
    unit = mailbox.unit
    if IncomingDocument.objects.filter(unit=unit, message_id=mail.message_id).exists():
        return None
    subject = mail.subject.strip() or "(không có tiêu đề)"
    found = REFERENCE.search(subject)
    data = incoming.IncomingData(
        issuer=mail.sender,
        reference=found[1] if found else "(thư điện tử)",
        document_date=mail.received_at.astimezone(VN_TZ).date(),
        type=DocumentType.objects.get(code="CV"),
        abstract=subject[:2000],
        received_via=ReceivedVia.EMAIL,
        pages=max(_pages(mail), 1),
    )
    with transaction.atomic():
        document = incoming.register(
            unit, data, actor=None, confirm_duplicate=True, message_id=mail.message_id
        )
        for attachment in mail.attachments:
            incoming.attach_file(document, attachment.filename, attachment.data, reindexed=False)
        reindex(document)
        audit.record(
            actor=None,
            action="incoming.from_mailbox",
            unit=unit,
            obj=document,
            after={"message_id": mail.message_id, "files": len(mail.attachments)},
        )
    return document


def _pages(mail: FetchedMail) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pages = 0
    for attachment in mail.attachments:
        if attachment.data.startswith(b"%PDF"):
            try:
                pages += len(PdfReader(io.BytesIO(attachment.data)).pages)
            except (PdfReadError, ValueError):
                continue
    return pages
