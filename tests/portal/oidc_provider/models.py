from django.conf import settings
from django.db import models


class Profile(models.Model):
    """The claims a test gave this user, returned as they are (personal_id included)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    claims = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"claims of {self.user}"
