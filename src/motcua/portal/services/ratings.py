"""The applicant's satisfaction rating, on the result page, the look-up page or the kiosk."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.events import dossier_changed
from motcua.core.models import User
from motcua.core.services import audit
from motcua.dossiers.models import Dossier, Status

from ..models import Rating

RATEABLE = {Status.RESULT_READY, Status.RETURNED}
ITEMS = ("time", "contacts", "agencies", "attitude", "publicity", "satisfaction")


def can_rate(dossier: Dossier) -> bool:
    return dossier.status in RATEABLE and not Rating.objects.filter(dossier=dossier).exists()


def rate(
    dossier: Dossier, values: dict[str, str], *, source: str, actor: User | None = None
) -> Rating:
    """One rating per dossier; every item must be answered (the comment is optional)."""
    if dossier.status not in RATEABLE:
        raise ValidationError(_("A dossier can be rated once its result is ready."))
    rating = Rating(
        dossier=dossier,
        source=source,
        rated_at=timezone.now(),
        comment=str(values.get("comment", ""))[:2000],
        **{item: values.get(item, "") for item in ITEMS},
    )
    rating.full_clean(exclude=["dossier"])
    try:
        with transaction.atomic():
            rating.save()
            audit.record(
                actor=actor,
                action="dossier.rated",
                unit=dossier.unit,
                obj=rating,
                after=audit.snapshot(rating, [*ITEMS, "source"]),
            )
            dossier_changed.send(
                sender=Dossier, dossier=dossier, action="rate", actor=actor, at=rating.rated_at
            )
    except IntegrityError as error:
        raise ValidationError(_("This dossier has already been rated. Thank you!")) from error
    return rating
