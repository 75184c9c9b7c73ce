"""Background tasks of the documents app (Django Tasks API)."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Mailbox
from .services.mailbox import poll

log = logging.getLogger(__name__)


@task()
def poll_mailboxes() -> str:
    """Periodic (``motcua.core.schedule``): register new mail of every active official mailbox.

    ``poll`` keeps a mailbox's own errors (login refused, server down) on the mailbox; anything
    else that goes wrong with one mailbox is kept there too, and the others are still polled.
    """
    polled = failed = documents = 0
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("unit"):
        polled += 1
        try:
            documents += len(poll(mailbox))
        except Exception as error:
            log.exception("Polling the official mailbox %s failed", mailbox)
            Mailbox.objects.filter(pk=mailbox.pk).update(
                last_error=f"{type(error).__name__}: {error}"[:2000],
                last_polled_at=timezone.now(),
            )
            failed += 1
            continue
        if mailbox.last_error:
            failed += 1
    return _(
        "%(polled)d mailbox(es) polled, %(documents)d new document(s), %(failed)d with errors"
    ) % {"polled": polled, "documents": documents, "failed": failed}
