"""The weekly schedule: items entered by the office or taken from approved plans; a week is
published (to the website) by a leader or the office clerk, and what changes afterwards is
marked as changed."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import holds
from motcua.core.services import audit

from ..models import Engagement, SchedulePublication

KEEPERS = (Role.LEADER, Role.CLERK)


@dataclass
class EngagementData:
    starts_at: datetime
    content: str
    ends_at: datetime | None = None
    host: str = ""
    participants: str = ""
    place: str = ""


def _may_keep(unit: AdministrativeUnit, actor: User) -> None:
    if not holds(actor, unit, *KEEPERS):
        raise TransitionRefused(
            _("Only a leader or the office clerk keeps the weekly schedule."), by_role=True
        )


def _clean(data: EngagementData) -> None:
    if not data.content.strip():
        raise ValidationError({"content": [_("Say what the engagement is.")]})
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": [_("It must end after it starts.")]})


def add(unit: AdministrativeUnit, data: EngagementData, *, actor: User) -> Engagement:
    _may_keep(unit, actor)
    _clean(data)
    with transaction.atomic():
        item = Engagement.objects.create(unit=unit, created_by=actor, **data.__dict__)
        audit.record(
            actor=actor,
            action="schedule.add",
            unit=unit,
            obj=item,
            after={"at": item.starts_at.isoformat(), "content": item.content},
        )
    return item


def change(item: Engagement, data: EngagementData, *, actor: User) -> Engagement:
    _may_keep(item.unit, actor)
    _clean(data)
    with transaction.atomic():
        before = audit.snapshot(item, ["starts_at", "content", "place", "host"])
        for name, value in data.__dict__.items():
            setattr(item, name, value)
        item.save()
        audit.record(
            actor=actor,
            action="schedule.change",
            unit=item.unit,
            obj=item,
            before=before,
            after=audit.snapshot(item, ["starts_at", "content", "place", "host"]),
        )
    return item


def cancel(item: Engagement, *, actor: User) -> Engagement:
    _may_keep(item.unit, actor)
    with transaction.atomic():
        item.cancelled = True
        item.save(update_fields=["cancelled", "changed_at"])
        audit.record(actor=actor, action="schedule.cancel", unit=item.unit, obj=item)
    return item


def publish(unit: AdministrativeUnit, week: date, *, actor: User) -> SchedulePublication:
    """Publish the week starting on Monday ``week`` (again, after changes)."""
    _may_keep(unit, actor)
    if week.weekday() != 0:
        raise ValidationError(_("A week starts on a Monday."))
    now = timezone.now()
    with transaction.atomic():
        found, created = SchedulePublication.objects.get_or_create(
            unit=unit,
            week=week,
            defaults={"published_at": now, "published_by": actor, "first_published_at": now},
        )
        if not created:
            found.published_at, found.published_by = now, actor
            found.save(update_fields=["published_at", "published_by"])
        audit.record(
            actor=actor,
            action="schedule.publish",
            unit=unit,
            obj=found,
            after={"week": week.isoformat(), "again": not created},
        )
    return found
