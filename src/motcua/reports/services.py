"""Writes of the reports: the monthly report generated and e-mailed to the unit's leaders."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core import periods
from motcua.core.models import AdministrativeUnit, Role, RoleAssignment, User
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.periods import Period
from motcua.core.services import audit, outbox

from .exports import content as report_content
from .exports.documents import report_docx, report_pdf
from .models import ReportDelivery


def leaders_with_email(unit: AdministrativeUnit) -> list[User]:
    held = RoleAssignment.objects.filter(unit=unit, role=Role.LEADER, is_active=True)
    return list(User.objects.filter(pk__in=held.values("user_id")).exclude(email="").order_by("pk"))


def send_monthly_report(
    unit: AdministrativeUnit, period: Period, *, actor: User | None = None
) -> ReportDelivery | None:
    """Generate the period's report (DOCX and PDF), keep it, and queue one e-mail per leader
    with both files attached. Once per unit and period: None when it was already sent."""
    if ReportDelivery.objects.filter(unit=unit, period=period.code).exists():
        return None
    built = report_content.build(unit, period)
    docx, pdf = report_docx(built), report_pdf(built)  # outside the transaction: slow
    leaders = leaders_with_email(unit)
    name = f"bao-cao-{unit.code}-{period.code}"
    try:
        with transaction.atomic():
            delivery = ReportDelivery(
                unit=unit,
                period=period.code,
                recipients=[u.email for u in leaders],
                created_by=actor,
            )
            delivery.docx.save(f"{name}.docx", ContentFile(docx), save=False)
            delivery.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            delivery.save()
            for leader in leaders:
                outbox.queue(
                    "monthly_report",
                    {
                        "unit": unit,
                        "period": period,
                        "leader_name": leader.get_full_name(),
                        "made_on": built.made_on,
                        "public_url": settings.MOTCUA_PUBLIC_URL,
                    },
                    email=leader.email,
                    unit=unit,
                    user=leader,
                    about=f"report:{delivery.pk}",
                    attachments=[delivery.docx.name, delivery.pdf.name],
                )
            audit.record(
                actor=actor,
                action="report.send",
                unit=unit,
                obj=delivery,
                after={"period": period.code, "recipients": delivery.recipients},
            )
    except IntegrityError:  # another worker sent it meanwhile
        return None
    return delivery


def send_last_months_reports() -> int:
    """Every commune with an active leader gets last month's report once (the periodic job
    runs hourly; only the first run of a month sends anything)."""
    last_month = periods.month(timezone.localdate().replace(day=1) - timezone.timedelta(days=1))
    led = RoleAssignment.objects.filter(role=Role.LEADER, is_active=True).values("unit_id")
    units = AdministrativeUnit.objects.filter(pk__in=led, kind__in=COMMUNE_KINDS, is_active=True)
    sent = 0
    for unit in units.order_by("code"):
        if send_monthly_report(unit, last_month) is not None:
            sent += 1
    return sent
