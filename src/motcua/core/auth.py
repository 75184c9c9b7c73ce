"""The staff's authentication backend: Django's ModelBackend, reading a signed-in officer's
account together with their role assignments."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import RoleAssignment


class StaffBackend(ModelBackend):
    """Every staff request checks permissions against the user's active assignments
    (``permissions.held_assignments``); reading them with the user in one query (the user and
    the units joined) spares a query per request. A user without an assignment (a citizen, a
    new account) is read as ModelBackend reads it."""

    def get_user(self, user_id: Any) -> Any:
        active = RoleAssignment.objects.filter(
            user_id=user_id, is_active=True, unit__is_active=True
        )
        rows = list(active.select_related("user", "unit__parent"))
        if not rows:
            return super().get_user(user_id)
        user = rows[0].user
        for row in rows:
            row.user = user  # one object for the user, as held_assignments would give
        user._motcua_assignments = rows
        return user if self.user_can_authenticate(user) else None
