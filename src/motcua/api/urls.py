from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter

from .certification import CertificationViewSet, verify_copy
from .documents import IncomingViewSet, OutgoingViewSet
from .dossiers import DossierViewSet, public_status
from .procedures import ProcedureViewSet
from .reports import unit_figures
from .units import UnitViewSet


class Root(APIRootView):
    """The list of collections: public (each collection checks its own rows)."""

    permission_classes = [AllowAny]
    motcua_permission = "api.root"


router = DefaultRouter()
router.APIRootView = Root
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("units", UnitViewSet, basename="unit")
router.register("documents/incoming", IncomingViewSet, basename="incoming-document")
router.register("documents/outgoing", OutgoingViewSet, basename="outgoing-document")
router.register("certified-copies", CertificationViewSet, basename="certified-copy")

urlpatterns = [
    path("public/status/", public_status, name="api-public-status"),
    path("public/certified-copies/verify/", verify_copy, name="api-verify-copy"),
    path("reports/figures/", unit_figures, name="api-unit-figures"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
