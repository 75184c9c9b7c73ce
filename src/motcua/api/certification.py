"""Electronic certified copies over REST: the unit's certifications (status, register number,
signed copies with their SHA-256), a signed PDF as a download, and the public verification
by register number and code (the same look-up as the page behind the QR code)."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from motcua.certification.models import Certification, CertifiedCopy
from motcua.certification.selectors import find_for_verification
from motcua.certification.services import certify
from motcua.certification.services.certify import Original
from motcua.certification.services.requests import request_copies
from motcua.core.files import serve_file
from motcua.core.models import User
from motcua.core.network import client_ip
from motcua.core.permissions import units_where
from motcua.dossiers.models import ApplicantKind
from motcua.dossiers.services.intake import Applicant

from .permissions import TablePermission

# The fields of the original paper, named alike in the request and in the service.
ORIGINAL_FIELDS = ("title", "issuer", "pages", "copies", "reference", "issued_on")


class CopySerializer(serializers.ModelSerializer):
    class Meta:
        model = CertifiedCopy
        fields = ["index", "pages", "sha256", "signed_at"]


class CertificationSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code", default=None, allow_null=True)
    unit = serializers.CharField(source="dossier.unit.code")
    register_number = serializers.SerializerMethodField()
    signed_copies = CopySerializer(many=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "dossier",
            "unit",
            "status",
            "original_title",
            "original_issuer",
            "original_reference",
            "original_date",
            "original_pages",
            "copies",
            "fee",
            "refusal_reason",
            "signer_title",
            "certified_at",
            "signing_error",
            "register_number",
            "signed_copies",
        ]

    def get_register_number(self, item: Certification) -> str | None:
        entry = getattr(item, "register_entry", None)
        return f"{entry.number}/{entry.year}" if entry else None


class CopyRequestSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=10, help_text="statistics code of the unit")
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    applicant_personal_id = serializers.CharField(max_length=12, required=False, default="")
    applicant_phone = serializers.CharField(max_length=20, required=False, default="")
    applicant_email = serializers.EmailField(required=False, default="")
    original = serializers.FileField(help_text="the scan of every page: PDF, JPEG or PNG")
    title = serializers.CharField(max_length=300)
    issuer = serializers.CharField(max_length=300)
    reference = serializers.CharField(max_length=100, required=False, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    pages = serializers.IntegerField(min_value=1, max_value=500)
    copies = serializers.IntegerField(min_value=1, max_value=50, default=1)


class CertificationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Copy certifications of the user's units, newest first; ``?status=signed``. A desk
    officer creates one from the scan of the original (received and checked at once); the
    dossier then moves through /dossiers/{id}/actions/ to a leader, who certifies."""

    serializer_class = CertificationSerializer
    permission_classes = [TablePermission]
    motcua_permission = {
        "list": "certification.view",
        "retrieve": "certification.view",
        "copy_pdf": "certification.view",
        "create": "dossier.receive",
        "certify": "certification.certify",
    }
    lookup_value_regex = r"[0-9]{1,18}"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": CopyRequestSerializer},
        responses={201: CertificationSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = CopyRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        actor: User = request.user  # type: ignore[assignment]
        unit = units_where(actor, "dossier.receive").filter(code=v["unit"]).first()
        if unit is None:
            raise NotFound(_("This unit is not one where you receive dossiers."))
        people = ("name", "personal_id", "phone", "email")
        applicant = Applicant(kind=v["applicant_kind"], **{f: v[f"applicant_{f}"] for f in people})
        original = Original(**{f: v[f] for f in ORIGINAL_FIELDS})
        made = request_copies(
            actor=actor,
            unit=unit,
            applicant=applicant,
            scan=v["original"],
            original=original,
        )
        return Response(
            CertificationSerializer(self.get_queryset().get(pk=made.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=CertificationSerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """The leader certifies (the dossier must have been handed to them): a register number
        now, the copies signed by the task worker (poll the status)."""
        item = self.get_object()
        actor: User = request.user  # type: ignore[assignment]
        certify.certify(item, actor=actor)
        return Response(CertificationSerializer(self.get_queryset().get(pk=item.pk)).data)

    def get_queryset(self) -> QuerySet[Certification]:
        units = units_where(self.request.user, "certification.view")  # type: ignore[arg-type]
        found = Certification.objects.filter(dossier__unit__in=units)
        wanted = str(self.request.query_params.get("status", ""))[:20]
        if wanted:
            found = found.filter(status=wanted)
        return (
            found.select_related("dossier__unit", "register_entry")
            .prefetch_related("signed_copies")
            .order_by("-pk")
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, url_path=r"copies/(?P<index>[0-9]{1,3})/pdf", url_name="copy-pdf")
    def copy_pdf(self, request: Request, pk: str, index: str, **kwargs: Any) -> FileResponse:
        """One signed copy (PDF, as an attachment)."""
        item = self.get_object()
        copy = get_object_or_404(item.signed_copies, index=int(index))
        return serve_file(copy.pdf)


class VerifyThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.MOTCUA_VERIFY_RATE

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class VerifySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20, help_text="register number/year, e.g. 12/2026")
    code = serializers.CharField(max_length=20, help_text="the code printed with the QR code")


@extend_schema(
    request=VerifySerializer,
    responses=inline_serializer(
        "CopyVerification",
        {
            "valid": serializers.BooleanField(),
            "unit": serializers.CharField(allow_null=True),
            "original_title": serializers.CharField(allow_null=True),
            "certified_at": serializers.DateTimeField(allow_null=True),
            "copies": CopySerializer(many=True),
        },
    ),
    auth=[],
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([VerifyThrottle])
def verify_copy(request: Request) -> Response:
    """Is this a copy we certified? Compare the SHA-256 of the PDF in hand with ``copies``."""
    given = VerifySerializer(data=request.data)
    given.is_valid(raise_exception=True)
    found = find_for_verification(given.validated_data["number"], given.validated_data["code"])
    if found is None:
        return Response(
            {
                "valid": False,
                "unit": None,
                "original_title": None,
                "certified_at": None,
                "copies": [],
            }
        )
    copies: Any = found.signed_copies.order_by("index")
    return Response(
        {
            "valid": True,
            "unit": found.dossier.unit.name,
            "original_title": found.original_title,
            "certified_at": found.certified_at,
            "copies": CopySerializer(copies, many=True).data,
        }
    )


verify_copy.cls.motcua_permission = "certification.verify"  # type: ignore[attr-defined]
