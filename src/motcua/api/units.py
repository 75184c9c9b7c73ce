"""Administrative units (public: names and codes are published data)."""

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from motcua.core.models import AdministrativeUnit

from .permissions import TablePermission


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "kind", "parent", "identifier_code"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces and commune-level units, by statistics code (``?parent=68`` for one
    province's communes)."""

    serializer_class = UnitSerializer
    permission_classes = [AllowAny, TablePermission]
    authentication_classes: list[type] = []
    motcua_permission = "api.units"
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,10}"

    def get_queryset(self) -> QuerySet[AdministrativeUnit]:
        found = AdministrativeUnit.objects.select_related("parent").order_by("code")
        parent = self.request.query_params.get("parent", "")
        if parent:
            found = found.filter(parent__code=parent[:10])
        return found
