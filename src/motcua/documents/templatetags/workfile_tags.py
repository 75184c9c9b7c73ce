"""The "file it in a work file" box of the incoming and outgoing document pages.

A tag, so that the document pages need no change in their views: ``{% file_into document %}``.
"""

from django import template

from ..models import IncomingDocument, OutgoingDocument, OutgoingStatus
from ..workfiles import selectors
from ..workfiles.forms import FileIntoForm

register = template.Library()


@register.inclusion_tag("documents/workfile_file_into.html", takes_context=True)
def file_into(
    context: template.Context, document: IncomingDocument | OutgoingDocument
) -> dict[str, object]:
    """Where the document is filed, or the open work files the user may put it in."""
    incoming = isinstance(document, IncomingDocument)
    filed = selectors.filing_of(document)
    form = None
    if filed is None and (incoming or document.status == OutgoingStatus.ISSUED):
        files = selectors.open_files_for(context["request"].user, document.unit)
        form = FileIntoForm(files=files) if files.exists() else None
    return {
        "document": document,
        "kind": "den" if incoming else "di",
        "filed": filed,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
