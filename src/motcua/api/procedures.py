from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from motcua.core.permissions import units_where
from motcua.procedures.models import FeeOption, Procedure, RequiredPaper, WorkflowStep

from .permissions import TablePermission


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeOption
        fields = ["label", "amount", "note"]


class PaperSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredPaper
        fields = ["id", "name", "originals", "copies", "optional", "note"]


class WorkflowStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkflowStep
        fields = ["order", "name", "role", "position", "budget_days"]


class ProcedureSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name")
    legacy_level = serializers.IntegerField(read_only=True)
    fees = FeeSerializer(many=True)
    papers = PaperSerializer(many=True)
    steps = WorkflowStepSerializer(many=True)

    class Meta:
        model = Procedure
        fields = ["id", "code", "name", "field", "level", "processing_days", "processing_note",
                  "result", "electronic_result", "online_level", "legacy_level", "fees", "papers",
                  "steps"]  # fmt: skip


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """Published procedures of the provinces of the user's units."""

    serializer_class = ProcedureSerializer
    permission_classes = [TablePermission]
    motcua_permission = "procedure.list"
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Procedure]:
        units = units_where(self.request.user, "procedure.list")  # type: ignore[arg-type]
        provinces = {u.province.pk for u in units.select_related("parent")}
        return (
            Procedure.objects.filter(province__in=provinces, published=True)
            .select_related("field")
            .prefetch_related("fees", "papers", "steps")
            .order_by("code")
        )
