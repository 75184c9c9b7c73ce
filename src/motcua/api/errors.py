"""Service errors as HTTP answers: the officer's message travels unchanged."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from motcua.core.errors import TransitionRefused
from motcua.core.importing import ImportFailed
from motcua.core.params import InvalidParameter


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionRefused):
        code = status.HTTP_403_FORBIDDEN if exc.by_role else status.HTTP_409_CONFLICT
        return Response({"detail": str(exc)}, status=code)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidParameter):  # a query parameter out of bounds
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ImportFailed):
        return Response({"errors": [str(e) for e in exc.errors]}, status=400)
    return drf_handler(exc, context)
