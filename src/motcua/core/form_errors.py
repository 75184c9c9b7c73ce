"""How a refused write reaches the user: a service's ValidationError put back on the form's
fields (nothing typed is lost), or any refusal shown as a message on the next page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def errors_into(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(error, "error_dict"):
        for field, items in error.message_dict.items():
            form.add_error(field if field in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


def fail(request: HttpRequest, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
