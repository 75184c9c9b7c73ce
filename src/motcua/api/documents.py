"""Official documents over REST: the incoming and outgoing registers of the user's units, read
through the same selectors as the pages (a confidential one only for the people named on it)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from motcua.core import params
from motcua.core.models import User
from motcua.documents.models import IncomingDocument, OutgoingDocument
from motcua.documents.selectors import incoming_for, outgoing_for

from .permissions import TablePermission


class EntrySerializer(serializers.ModelSerializer):
    """What both registers show by name rather than by id."""

    unit = serializers.CharField(source="unit.code")
    type = serializers.CharField(source="type.name")


class IncomingSerializer(EntrySerializer):
    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "unit",
            "year",
            "number",
            "received_at",
            "received_via",
            "issuer",
            "reference",
            "document_date",
            "type",
            "abstract",
            "urgency",
            "confidentiality",
            "pages",
            "status",
        ]


class OutgoingSerializer(EntrySerializer):
    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "unit",
            "year",
            "number",
            "reference",
            "type",
            "abstract",
            "drafting_office",
            "urgency",
            "confidentiality",
            "status",
            "approved_at",
            "issued_at",
        ]


def _filtered(found: QuerySet, query: Any) -> QuerySet:
    """``?unit=<statistics code>&year=<2000–2100>``; a bad value is refused in Vietnamese."""
    unit = str(query.get("unit", ""))[:10]
    if unit:
        found = found.filter(unit__code=unit)
    year = params.integer(query, "year", minimum=2000, maximum=2100)
    return found.filter(year=year) if year is not None else found


class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    """A register read through its selector (``documents.selectors``), filtered by
    ``?unit=&year=``, newest first."""

    permission_classes = [TablePermission]
    lookup_value_regex = r"[0-9]{1,18}"
    select: Any = None
    order: tuple[str, ...] = ("-pk",)

    def get_queryset(self) -> QuerySet:
        user: User = self.request.user  # type: ignore[assignment]
        found = type(self).select(user)
        return _filtered(found, self.request.query_params).order_by(*self.order)


class IncomingViewSet(RegisterViewSet):
    """The incoming register (sổ văn bản đến), newest first; ``?unit=&year=``."""

    serializer_class = IncomingSerializer
    motcua_permission = {"list": "document.incoming_list", "retrieve": "document.incoming_view"}
    select = incoming_for
    order = ("-received_at", "-pk")


class OutgoingViewSet(RegisterViewSet):
    """The outgoing register (sổ văn bản đi), newest first; ``?unit=&year=``."""

    serializer_class = OutgoingSerializer
    motcua_permission = {"list": "document.outgoing_list", "retrieve": "document.outgoing_view"}
    select = outgoing_for
