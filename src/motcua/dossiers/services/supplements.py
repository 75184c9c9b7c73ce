"""Mẫu 02, the supplement request, as both the desk (at receipt) and the handlers (in
appraisal) record it."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.models import User

from ..models import Dossier, EventKind, SupplementRequest
from .common import log, notify


def record_supplement_request(
    d: Dossier, actor: User, stage: str, items: list[str], reason: str, contact: str, at: datetime
) -> SupplementRequest:
    """Mẫu 02 with every item at once, on the timeline, and a message to the applicant."""
    request = SupplementRequest.objects.create(
        dossier=d,
        stage=stage,
        items=items,
        reason=reason,
        contact=contact or actor.get_full_name(),
        requested_by=actor,
        requested_at=at,
    )
    log(d, EventKind.SUPPLEMENT_REQUESTED, actor, at, step=d.current_step, note="; ".join(items))
    notify(d, "supplement", request=request)
    return request


def clean_items(items: list[str]) -> list[str]:
    cleaned = [item.strip() for item in items if item and item.strip()]
    if not cleaned:
        raise ValidationError(_("List at least one paper to add or correct."))
    return cleaned
