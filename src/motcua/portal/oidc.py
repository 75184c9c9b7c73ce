"""Citizen single sign-on through an OpenID Connect provider (the national VNeID).

A citizen account is found by personal identification number, then by a verified e-mail, and
created when neither matches. Staff accounts are never reachable this way: the identity
provider vouches for citizens, not for who may act in the back office.
"""

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from motcua.core.identity import normalise_phone, validate_personal_id
from motcua.core.models import User
from motcua.core.services import audit

logger = logging.getLogger(__name__)

AUDIT_ACTION = "citizen.oidc_login"
PHONE_MAX_LENGTH = User._meta.get_field("phone").max_length or 20
USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


class SignInRefused(Exception):
    """The claims point at an account that single sign-on must not open."""


@dataclass(frozen=True)
class Citizen:
    """What the provider says about the person signing in, already checked."""

    sub: str
    personal_id: str | None
    email: str
    email_verified: bool
    full_name: str
    phone: str
    phone_verified: bool


def sso_enabled() -> bool:
    return bool(getattr(settings, "MOTCUA_OIDC_ENABLED", False))


def is_true(value: Any) -> bool:
    # Some providers send JSON booleans as strings.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def valid_personal_id(value: Any, sub: str) -> str | None:
    """The claimed number if it is well-formed; a bad one is logged and dropped, not stored."""
    value = str(value or "").strip()
    if not value:
        return None
    try:
        validate_personal_id(value)
    except ValidationError as error:
        logger.warning("OIDC: ignoring an invalid personal id for sub %s (%s)", sub, error.code)
        return None
    return value


def citizen_from_claims(claims: dict[str, Any]) -> Citizen:
    sub = str(claims["sub"])
    phone = normalise_phone(str(claims.get("phone_number") or ""))
    if len(phone) > PHONE_MAX_LENGTH:
        logger.warning("OIDC: ignoring an over-long phone number for sub %s", sub)
        phone = ""
    return Citizen(
        sub=sub,
        personal_id=valid_personal_id(claims.get(settings.MOTCUA_OIDC_PERSONAL_ID_CLAIM), sub),
        email=str(claims.get("email") or "").strip().lower(),
        email_verified=is_true(claims.get("email_verified")),
        full_name=str(claims.get("name") or "").strip()[:150],
        phone=phone,
        phone_verified=is_true(claims.get("phone_number_verified")),
    )


def is_staff_account(user: User) -> bool:
    # Any role, even an inactive one, marks a back-office account.
    return user.is_staff or user.is_superuser or user.role_assignments.exists()


def may_link_by_email(user: User) -> bool:
    # Someone who typed another person's address into a password account must not receive
    # that person's sign-in: link only where the address was proven here or nobody can
    # sign in by password.
    return user.email_verified_at is not None or not user.has_usable_password()


def unique_username(citizen: Citizen) -> str:
    # "cd" + number, as for accounts signed up on the portal.
    sub = USERNAME_UNSAFE.sub("-", citizen.sub)[:120] or "x"
    base = f"cd{citizen.personal_id}" if citizen.personal_id else f"oidc-{sub}"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Signs citizens in from the provider's claims; never signs anyone in as staff."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for each authenticate() call, password sign-ins too:
        # a missing or broken SSO configuration must not lock staff out.
        self.UserModel = get_user_model()
        self.enabled = False
        if not sso_enabled():
            return
        try:
            super().__init__(*args, **kwargs)
        except ImproperlyConfigured:
            logger.exception("OIDC: citizen single sign-on is misconfigured and stays off")
            return
        self.enabled = True

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce; a password form posted to a URL carrying
        # ?code=&state= must not start a token exchange.
        if not self.enabled or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def check_token_binding(self, claims: dict[str, Any], id_token: dict[str, Any]) -> None:
        """The library checks neither the ID token's audience nor the user-info subject."""
        audience = id_token.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token was issued for another client")
        if str(claims.get("sub")) != str(id_token.get("sub")):
            raise SuspiciousOperation("user-info subject differs from the ID token subject")

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        self.check_token_binding(claims, payload)
        citizen = citizen_from_claims(claims)
        try:
            with transaction.atomic():
                return self.sign_in(citizen)
        except SignInRefused as refusal:
            logger.warning("OIDC: sign-in refused for sub %s: %s", citizen.sub, refusal)
            return None

    def sign_in(self, citizen: Citizen) -> User:
        user, matched_by = self.find_account(citizen)
        created = user is None
        if user is None:
            user = self.create_citizen(citizen)
        changed = self.refresh_account(user, citizen)
        after = {
            "provider": settings.MOTCUA_OIDC_PROVIDER_NAME,
            "matched_by": matched_by,
            "created": created,
            "updated": changed,
        }
        audit.record(actor=user, action=AUDIT_ACTION, unit=None, obj=user, after=after)
        return user

    def find_account(self, citizen: Citizen) -> tuple[User | None, str]:
        if citizen.personal_id:
            user = User.objects.filter(personal_id=citizen.personal_id).first()
            if user is not None:
                return self.citizen_account(user, "personal id"), "personal_id"
        if citizen.email and citizen.email_verified:
            user = self.find_by_email(citizen)
            if user is not None:
                return user, "email"
        return None, "new"

    def find_by_email(self, citizen: Citizen) -> User | None:
        users = [
            self.citizen_account(user, "verified e-mail")
            for user in User.objects.filter(email__iexact=citizen.email)
        ]
        linkable = [user for user in users if may_link_by_email(user)]
        if len(linkable) > 1:
            raise SignInRefused("several accounts share the verified e-mail")
        if not linkable:
            return None
        if citizen.personal_id and linkable[0].personal_id not in (None, citizen.personal_id):
            raise SignInRefused("the e-mail's account has another personal id")
        return linkable[0]

    def citizen_account(self, user: User, matched_on: str) -> User:
        if is_staff_account(user):
            raise SignInRefused(f"{matched_on} matches staff account {user.pk}")
        if not user.is_active:
            raise SignInRefused(f"{matched_on} matches deactivated account {user.pk}")
        return user

    def create_citizen(self, citizen: Citizen) -> User:
        # No password: the account is reached through the provider (or a reset by e-mail).
        return User.objects.create_user(
            username=unique_username(citizen),
            email=citizen.email,
            personal_id=citizen.personal_id,
            is_citizen=True,
        )

    def refresh_account(self, user: User, citizen: Citizen) -> list[str]:
        """Take name and phone from the provider on every sign-in; fill what is missing."""
        wanted: dict[str, Any] = {"is_citizen": True, **contact_changes(user, citizen)}
        if citizen.full_name:
            wanted["full_name"] = citizen.full_name
        if user.personal_id is None and citizen.personal_id:
            wanted["personal_id"] = citizen.personal_id
        changed = [field for field, value in wanted.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, wanted[field])
        if changed:
            user.save(update_fields=changed)
        return changed


def contact_changes(user: User, citizen: Citizen) -> dict[str, Any]:
    """Phone and proofs of contact the provider vouches for."""
    now, changes = timezone.now(), dict[str, Any]()
    if citizen.phone and citizen.phone != user.phone:
        changes["phone"] = citizen.phone
        # A proof of the old number says nothing about the new one.
        changes["phone_verified_at"] = now if citizen.phone_verified else None
    elif citizen.phone and citizen.phone_verified and not user.phone_verified_at:
        changes["phone_verified_at"] = now
    same_email = citizen.email and citizen.email == user.email.lower()
    if same_email and citizen.email_verified and not user.email_verified_at:
        changes["email_verified_at"] = now
    return changes


class CitizenOIDCAuthenticationRequestView(OIDCAuthenticationRequestView):
    """Starts the sign-in; absent when single sign-on is not configured."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("single sign-on is not configured")
        return super().get(request)


class CitizenOIDCCallbackView(OIDCAuthenticationCallbackView):
    """Sends citizens to their dossiers, and explains a failed sign-in instead of a bare 400."""

    @property
    def success_url(self) -> str:
        next_url = self.request.session.get("oidc_login_next")
        return next_url or resolve_url(settings.MOTCUA_OIDC_LOGIN_REDIRECT_URL)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # unknown or replayed state
            logger.warning("OIDC: callback rejected: %s", error)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Signing in with %(provider)s did not succeed. Please try again.")
            % {"provider": settings.MOTCUA_OIDC_PROVIDER_NAME},
        )
        return super().login_failure()
