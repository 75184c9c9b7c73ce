"""Citizen accounts: sign-up, proof of e-mail or phone by a one-time code, sign-in lookup."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.identity import normalise_phone, validate_personal_id
from motcua.core.models import User
from motcua.core.services import audit, outbox

from ..models import VerificationCode

CODE_LIFETIME = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5


@dataclass
class SignUp:
    full_name: str
    personal_id: str
    password: str
    phone: str = ""
    email: str = ""


def _check_phone(phone: str) -> str:
    phone = normalise_phone(phone)
    if phone and not re.fullmatch(r"0\d{9}", phone):
        raise ValidationError({"phone": _("Enter a 10-digit phone number, e.g. 0912345678.")})
    return phone


@transaction.atomic
def sign_up(data: SignUp) -> User:
    """A citizen account, unverified until the code sent to the e-mail or phone is entered."""
    errors: dict[str, list[str]] = {}
    phone = _collect(errors, lambda: _check_phone(data.phone))
    email = (data.email or "").strip().lower()
    if not data.full_name.strip():
        errors.setdefault("full_name", []).append(_("Enter your full name."))
    _collect(errors, lambda: validate_personal_id(data.personal_id), "personal_id")
    if not (phone or email):
        errors.setdefault("email", []).append(_("Enter an e-mail address or a phone number."))
    if User.objects.filter(personal_id=data.personal_id).exists():
        errors.setdefault("personal_id", []).append(
            _("An account with this identification number exists: sign in instead.")
        )
    if email and User.objects.filter(email__iexact=email, is_citizen=True).exists():
        errors.setdefault("email", []).append(_("This e-mail address is already registered."))
    if phone and User.objects.filter(phone=phone, is_citizen=True).exists():
        errors.setdefault("phone", []).append(_("This phone number is already registered."))
    user = User(
        username=f"cd{data.personal_id}",
        full_name=data.full_name.strip(),
        personal_id=data.personal_id,
        email=email,
        phone=phone or "",
        is_citizen=True,
    )
    _collect(errors, lambda: validate_password(data.password, user), "password")
    if errors:
        raise ValidationError(errors)
    user.set_password(data.password)
    user.save()
    audit.record(
        actor=user,
        action="citizen.sign_up",
        unit=None,
        obj=user,
        after=audit.snapshot(user, ["username", "full_name", "email", "phone"]),
    )
    send_codes(user)
    return user


def _collect(errors: dict[str, list[str]], check: Callable[[], Any], field: str = "") -> Any:
    try:
        return check()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, items in error.message_dict.items():
                errors.setdefault(key, []).extend(items)
        else:
            errors.setdefault(field or "__all__", []).extend(error.messages)
        return ""


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def send_codes(user: User) -> list[VerificationCode]:
    """A fresh code to each unverified contact (the e-mail also carries a direct link)."""
    sent = []
    for channel, recipient, verified in (
        ("email", user.email, user.email_verified_at),
        ("sms", user.phone, user.phone_verified_at),
    ):
        if recipient and not verified:
            code = f"{secrets.randbelow(10**6):06d}"
            sent.append(
                VerificationCode.objects.create(
                    user=user,
                    channel=channel,
                    recipient=recipient,
                    code_hash=_digest(code),
                    expires_at=timezone.now() + CODE_LIFETIME,
                )
            )
            context = {"user": user, "code": code, "public_url": settings.MOTCUA_PUBLIC_URL}
            email, phone = (recipient, "") if channel == "email" else ("", recipient)
            outbox.queue("verify_contact", context, email=email, phone=phone, user=user)
    return sent


def verify_code(user: User, code: str) -> str:
    """Mark the contact the code was sent to as verified; returns "email" or "sms"."""
    with transaction.atomic():  # a wrong guess is counted even though we then refuse
        channel = _use_code(user, re.sub(r"\D", "", code or ""))
    if channel is None:
        raise ValidationError(_("The code is wrong or has expired. Ask for a new code."))
    return channel


def _use_code(user: User, code: str) -> str | None:
    now = timezone.now()
    pending = VerificationCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True, expires_at__gt=now, attempts__lt=MAX_CODE_ATTEMPTS
    )
    for candidate in pending:
        if hmac.compare_digest(candidate.code_hash, _digest(code)):
            candidate.used_at = now
            candidate.save(update_fields=["used_at"])
            field = "email_verified_at" if candidate.channel == "email" else "phone_verified_at"
            setattr(user, field, now)
            user.save(update_fields=[field])
            audit.record(
                actor=user,
                action="citizen.verify_contact",
                unit=None,
                obj=user,
                after={"channel": candidate.channel},
            )
            return candidate.channel
    pending.update(attempts=F("attempts") + 1)
    return None


def is_verified(user: User) -> bool:
    return bool(user.email_verified_at or user.phone_verified_at)


def find_citizen(identifier: str) -> User | None:
    """The citizen account named by identification number, e-mail or phone."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    phone = normalise_phone(identifier)
    match = Q(personal_id=identifier) | Q(email__iexact=identifier)
    if re.fullmatch(r"0\d{9}", phone):
        match |= Q(phone=phone)
    return User.objects.filter(match, is_citizen=True).first()
