from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter

from .dossiers import DossierViewSet, public_status
from .procedures import ProcedureViewSet


class Root(APIRootView):
    """The list of collections: public (each collection checks its own rows)."""

    permission_classes = [AllowAny]
    motcua_permission = "api.root"


router = DefaultRouter()
router.APIRootView = Root
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = [
    path("public/status/", public_status, name="api-public-status"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
