"""The upper-level portals' figure (registered in motcua.core.figures when the app is ready)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.figures import Rows, Scope, share
from motcua.dossiers.models import Dossier

from .models import SyncMessage

ONLINE = "online"


def _received(scope: Scope) -> Rows:
    window = Q(received_at__gte=scope.start, received_at__lt=scope.end)
    return Rows(Dossier, window, window & Q(code__isnull=False))


@share(
    "synced_national_portal",
    _("Dossier progress synchronised to the upper-level portals on time"),
    ONLINE,
    of=_received,
    live=True,  # a message becomes late when its delay passes, with no write: never summarised
)
def synced_on_time(scope: Scope) -> Rows:
    """Dossiers received in the period with at least one status message, every one of which
    the portal acknowledged within MOTCUA_PORTAL_SYNC_DELAY_HOURS (default 24) of its event;
    a message still unacknowledged past that delay counts as late ÷ dossiers received in the
    period."""
    delay = timedelta(hours=settings.MOTCUA_PORTAL_SYNC_DELAY_HOURS)
    mine = SyncMessage.objects.filter(dossier=OuterRef("pk"))
    late = mine.filter(
        Q(outbox__sent_at__isnull=True, event_at__lt=timezone.now() - delay)
        | Q(outbox__sent_at__gt=F("event_at") + delay)
    )
    return _received(scope).where(Q(Exists(mine)), ~Q(Exists(late)))
