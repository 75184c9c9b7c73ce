"""The error every service raises when an action is refused, shared by all apps."""

from django.core.exceptions import PermissionDenied


class TransitionRefused(PermissionDenied):
    """An action that the object's status or the user's role does not allow.

    ``by_role`` tells the API which it was: 403 for the role, 409 for the state.
    """

    def __init__(self, message: str = "", *, by_role: bool = False) -> None:
        super().__init__(message)
        self.by_role = by_role
