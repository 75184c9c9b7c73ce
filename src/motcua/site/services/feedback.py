"""Feedback and questions from the website: received with a deadline, answered by the unit's
staff (the sender is told), published with its answer when a leader, the clerk or a website
editor decides so."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.identity import normalise_phone
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import calendar_for, holds
from motcua.core.services import audit, outbox

from ..models import Feedback, FeedbackStatus

PHONE = re.compile(r"0\d{9,10}")
TRACKED = ["status", "answered_at", "published_at"]
PUBLISHERS = (Role.LEADER, Role.CLERK, Role.WEBSITE_EDITOR)


@dataclass
class FeedbackData:
    name: str
    subject: str
    content: str
    phone: str = ""
    email: str = ""
    address: str = ""


def _clean(data: FeedbackData) -> FeedbackData:
    """Every problem at once, next to its field, in Vietnamese."""
    errors: dict[str, list[str]] = {}
    cleaned = FeedbackData(
        name=data.name.strip(),
        subject=data.subject.strip(),
        content=data.content.strip(),
        phone=normalise_phone(data.phone),
        email=data.email.strip().lower(),
        address=data.address.strip(),
    )
    for field, label in (("name", _("your name")), ("subject", _("a subject"))):
        if not getattr(cleaned, field):
            errors[field] = [_("Please give %(what)s.") % {"what": label}]
    if len(cleaned.content) < 10:
        errors["content"] = [
            _("Please describe your feedback or question (10 characters or more).")
        ]
    if cleaned.phone and not PHONE.fullmatch(cleaned.phone):
        errors["phone"] = [_("Enter a Vietnamese phone number, for example 0912 345 678.")]
    if cleaned.email:
        try:
            validate_email(cleaned.email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if not cleaned.phone and not cleaned.email and "phone" not in errors:
        errors["phone"] = [_("Give a phone number or an e-mail address, so that we can answer.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def submit(unit: AdministrativeUnit, data: FeedbackData, at: datetime | None = None) -> Feedback:
    """Received now; due MOTCUA_FEEDBACK_DAYS working days later on the unit's calendar."""
    cleaned = _clean(data)
    at = at or timezone.now()
    due = calendar_for(unit).add_working_days(at, settings.MOTCUA_FEEDBACK_DAYS)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            unit=unit, received_at=at, due_at=due, **cleaned.__dict__
        )
        audit.record(
            actor=None,
            action="feedback.receive",
            unit=unit,
            obj=feedback,
            after={"subject": feedback.subject, "due_at": feedback.due_at.isoformat()},
        )
        outbox.queue(
            "feedback_received",
            {"feedback": feedback, "unit": unit},
            email=feedback.email,
            unit=unit,
            about=f"feedback:{feedback.pk}",
        )
    return feedback


def answer(feedback: Feedback, *, actor: User, text: str, at: datetime | None = None) -> Feedback:
    if not holds(actor, feedback.unit):
        raise TransitionRefused(_("Only the unit's staff answer its feedback."), by_role=True)
    if len(text.strip()) < 10:
        raise ValidationError({"answer": [_("Write the answer (10 characters or more).")]})
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        before = audit.snapshot(locked, TRACKED)
        locked.answer, locked.answered_by = text.strip(), actor
        locked.answered_at = locked.answered_at or at or timezone.now()
        if locked.status == FeedbackStatus.RECEIVED:
            locked.status = FeedbackStatus.ANSWERED
        locked.save()
        audit.record(
            actor=actor,
            action="feedback.answer",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
        outbox.queue(
            "feedback_answered",
            {"feedback": locked, "unit": locked.unit},
            email=locked.email,
            phone=locked.phone,
            unit=locked.unit,
            about=f"feedback:{locked.pk}",
            sent_by=actor,
        )
    feedback.refresh_from_db()
    return feedback


def set_published(feedback: Feedback, *, actor: User, published: bool) -> Feedback:
    """Show the question and its answer on the website (never the sender), or take it down."""
    if not holds(actor, feedback.unit, *PUBLISHERS):
        raise TransitionRefused(
            _("Only a leader, the office clerk or a website editor publishes answers."),
            by_role=True,
        )
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.answered_at is None:
            raise ValidationError(_("Answer the feedback before publishing it."))
        before = audit.snapshot(locked, TRACKED)
        locked.status = FeedbackStatus.PUBLISHED if published else FeedbackStatus.ANSWERED
        locked.published_at = timezone.now() if published else None
        locked.save(update_fields=["status", "published_at"])
        audit.record(
            actor=actor,
            action="feedback.publish" if published else "feedback.unpublish",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
    feedback.refresh_from_db()
    return feedback
