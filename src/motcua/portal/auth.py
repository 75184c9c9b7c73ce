"""Citizens sign in with their identification number, e-mail or phone and a password."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from motcua.core.models import User

from .services.accounts import find_citizen


class CitizenBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = find_citizen(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
