"""Dossiers over REST: created at the desk, read, and moved through the transition table."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from motcua.core.models import AdministrativeUnit, User
from motcua.core.network import client_ip
from motcua.core.permissions import can, held_units, permission, units_where
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierEvent, DossierStep
from motcua.dossiers.selectors import dossiers_for, lookup
from motcua.dossiers.services import intake
from motcua.dossiers.services.actions import CALLS, perform
from motcua.dossiers.workflow import allowed_actions, check_role
from motcua.procedures.models import Procedure

from .permissions import TablePermission


class DossierStepSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(
        source="assignee.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = DossierStep
        fields = [
            "order",
            "name",
            "role",
            "position",
            "assignee",
            "due_at",
            "started_at",
            "finished_at",
            "timeliness",
        ]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )
    to_user = serializers.CharField(
        source="to_user.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = DossierEvent
        fields = ["at", "kind", "actor", "to_user", "to_role", "to_unit", "timeliness", "note"]


# Shown only to the roles of the row dossier.view_personal_data (null for the others).
PERSONAL_FIELDS = (
    "applicant_personal_id",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)


class DossierSerializer(serializers.ModelSerializer):
    applicant_personal_id = serializers.CharField(allow_null=True, read_only=True)
    applicant_address = serializers.CharField(allow_null=True, read_only=True)
    applicant_phone = serializers.CharField(allow_null=True, read_only=True)
    applicant_email = serializers.CharField(allow_null=True, read_only=True)
    procedure = serializers.CharField(source="procedure.code")
    unit = serializers.CharField(source="unit.code")
    assignee = serializers.CharField(
        source="assignee.username", default=None, allow_null=True, read_only=True
    )
    steps = DossierStepSerializer(many=True)
    events = EventSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "unit",
            "procedure",
            "channel",
            "status",
            "applicant_kind",
            "applicant_name",
            "applicant_personal_id",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "sets",
            "fee_due",
            "fee_paid",
            "received_at",
            "clock_start",
            "due_at",
            "assignee",
            "outcome",
            "returned_at",
            "return_method",
            "timeliness",
            "ledger_year",
            "ledger_line",
            "steps",
            "events",
            "actions",
        ]

    def get_actions(self, dossier: Dossier) -> list[str]:
        return allowed_actions(dossier, self.context["request"].user)

    def to_representation(self, instance: Dossier) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not can(user, "dossier.view_personal_data", instance.unit):
            data.update(dict.fromkeys(PERSONAL_FIELDS))  # null: not for this role
        return data


class PaperInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    originals = serializers.IntegerField(min_value=0, default=0)
    copies = serializers.IntegerField(min_value=0, default=0)


class HeldUnitField(serializers.SlugRelatedField):
    """A unit by code, answered from the request's role assignments when the user holds one
    there (no query), else from the scoped queryset (which refuses the others)."""

    def to_internal_value(self, data: Any) -> Any:
        held = held_units(self.context["request"].user, "dossier.receive") or []
        for unit in held:
            if unit.code == str(data):
                return unit
        return super().to_internal_value(data)


class DossierCreateSerializer(serializers.Serializer):
    unit = HeldUnitField(slug_field="code", queryset=AdministrativeUnit.objects)
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.none())
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.DESK)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    applicant_personal_id = serializers.CharField(max_length=12, required=False, default="")
    applicant_address = serializers.CharField(max_length=300, required=False, default="")
    applicant_phone = serializers.CharField(max_length=20, required=False, default="")
    applicant_email = serializers.EmailField(required=False, default="")
    papers = PaperInSerializer(many=True)
    sets = serializers.IntegerField(min_value=1, default=1)
    receive = serializers.BooleanField(default=True, help_text="Receive at once (issue the code)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context["request"].user
        self.fields["unit"].queryset = units_where(user, "dossier.receive")
        self.fields["procedure"].queryset = Procedure.objects.filter(published=True).select_related(
            "field"
        )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["procedure"].province_id != data["unit"].province.pk:
            raise serializers.ValidationError(
                {"procedure": _("This procedure is not published for this unit.")}
            )
        return data


class ActionSerializer(serializers.Serializer):
    """The fields an action may need; each service checks what it requires."""

    to_user = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)
    reason = serializers.CharField(required=False, default="", allow_blank=True)
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    contact = serializers.CharField(required=False, default="", allow_blank=True)
    kind = serializers.CharField(required=False, default="")
    to_unit = serializers.CharField(required=False, default="", allow_blank=True)
    method = serializers.CharField(required=False, default="")
    new_due_at = serializers.DateTimeField(required=False)
    paper = serializers.BooleanField(required=False, default=False)


def act_rows(method: Any) -> Any:
    method.motcua_permission = {name: f"dossier.{name}" for name in CALLS}
    return method


class DossierViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Dossiers of the user's units."""

    permission_classes = [TablePermission]
    motcua_permission = {
        "list": "dossier.desk",
        "retrieve": "dossier.view",
        "create": "dossier.receive",
    }
    lookup_value_regex = r"[0-9]{1,18}"
    decides_on_object = {"act"}  # the lifecycle's own check: dossiers.workflow.may

    def get_queryset(self) -> QuerySet[Dossier]:
        return dossiers_for(self.request.user).prefetch_related(  # type: ignore[arg-type]
            "steps__assignee", "events__actor", "events__to_user"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return DossierCreateSerializer
        if self.action == "act":
            return ActionSerializer
        return DossierSerializer

    @extend_schema(responses={201: DossierSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = DossierCreateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        v = dict(incoming.validated_data)
        applicant = intake.Applicant(
            kind=v["applicant_kind"],
            name=v["applicant_name"],
            personal_id=v["applicant_personal_id"],
            address=v["applicant_address"],
            phone=v["applicant_phone"],
            email=v["applicant_email"],
        )
        papers = [intake.PaperIn(**p) for p in v["papers"]]
        start = intake.receive_new if v["receive"] else intake.start_dossier
        dossier = start(
            actor=request.user,  # type: ignore[arg-type]
            unit=v["unit"],
            procedure=v["procedure"],
            channel=v["channel"],
            applicant=applicant,
            papers=papers,
            sets=v["sets"],
        )
        if not v["receive"]:
            dossier = self.get_queryset().get(pk=dossier.pk)
        body = DossierSerializer(dossier, context={"request": request})
        return Response(body.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionSerializer,
        responses={200: DossierSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(CALLS))],
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    @act_rows
    def act(
        self, request: Request, pk: str | None = None, name: str = "", **_format: Any
    ) -> Response:
        """Run one transition of the lifecycle; the dossier's ``actions`` lists the allowed ones."""
        if name not in CALLS:
            return Response(
                {"detail": _("Unknown action “%(name)s”.") % {"name": name}}, status=404
            )
        dossier = self.get_object()
        check_role(name, dossier, request.user)  # type: ignore[arg-type]  # 403, saying why
        incoming = ActionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        perform(name, dossier, request.user, dict(incoming.validated_data))  # type: ignore[arg-type]
        return Response(
            DossierSerializer(
                self.get_queryset().get(pk=dossier.pk), context={"request": request}
            ).data
        )


class PublicStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20)


class LookupThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.MOTCUA_LOOKUP_RATE

    def get_ident(self, request: Request) -> str:
        return client_ip(request)  # a forged X-Forwarded-For counts for nothing


@extend_schema(request=LookupSerializer, responses=PublicStatusSerializer, auth=[])
@permission("api.public_status")
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([LookupThrottle])
def public_status(request: Request) -> Response:
    """Anyone may look a dossier up by its code and the applicant's phone: status only.

    A wrong phone and an unknown code get the same 404, so codes cannot be probed.
    """
    given = LookupSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    dossier = lookup(given.validated_data["code"], given.validated_data["phone"])
    if dossier is None:
        raise NotFound(_("No dossier matches this code and phone number."))
    return Response(
        {
            "code": dossier.code,
            "status": dossier.status,
            "status_label": dossier.get_status_display(),
        }
    )
