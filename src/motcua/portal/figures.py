"""Figures of the online public services: which procedures of the unit's catalogue a citizen
can apply and pay for online (registered in motcua.core.figures when the app is ready)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.core.figures import Share, Value, per_unit
from motcua.core.models import AdministrativeUnit
from motcua.core.summaries import watch
from motcua.procedures.models import FeeOption, Procedure
from motcua.procedures.selectors import published_procedures

ONLINE = "online"


def _with_fee(unit: AdministrativeUnit):  # type: ignore[no-untyped-def]
    return published_procedures(unit).filter(fees__amount__gt=0).distinct()


@per_unit("procedures_payable_online", _("Procedures with a fee that can be paid online"),
          ONLINE)  # fmt: skip
def procedures_payable_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures of the unit's catalogue with a fee that can be applied for online
    (full or partly online: the fee is then paid through the gateway) ÷ published procedures
    with a fee."""
    with_fee = _with_fee(unit)
    return Share(with_fee.exclude(online_level="none").count(), with_fee.count())


@per_unit("procedures_paid_online", _("Procedures with an online payment made"), ONLINE)
def procedures_paid_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures with a fee for which at least one of the unit's dossiers was paid
    online in the period ÷ published procedures with a fee."""
    with_fee = _with_fee(unit)
    paid = with_fee.filter(
        dossiers__unit=unit,
        dossiers__payments__status="paid",
        dossiers__payments__paid_at__gte=start,
        dossiers__payments__paid_at__lt=end,
    ).distinct()
    return Share(paid.count(), with_fee.count())


@per_unit("procedures_online", _("Procedures offered online"), ONLINE)
def procedures_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures of the unit's catalogue that can be applied for online (full or
    partly online) ÷ published procedures."""
    published = published_procedures(unit)
    return Share(published.exclude(online_level="none").count(), published.count())


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
# The province's catalogue: a change may bear on every unit and period.
watch(Procedure, unit=None)
watch(FeeOption, unit=None)
