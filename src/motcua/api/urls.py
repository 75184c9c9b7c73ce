from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .dossiers import DossierViewSet, public_status
from .procedures import ProcedureViewSet

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = [
    path("public/status/", public_status, name="api-public-status"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
