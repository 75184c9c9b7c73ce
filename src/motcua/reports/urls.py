from django.urls import path

from . import views
from .assessment import views as assessment

urlpatterns = [
    path("bao-cao/", views.unit_report, name="reports-unit"),
    path("bao-cao/tong-quan/", views.dashboard, name="reports-dashboard"),
    path("bao-cao/tinh/", views.province_report, name="reports-province"),
    path("bao-cao/ho-so/", views.dossiers, name="reports-dossiers"),
    path("bao-cao/chi-so-766/", views.index_page, name="reports-index"),
    path("bao-cao/danh-gia/", views.evaluation_page, name="reports-evaluation"),
    path("bao-cao/xuat/", views.export, name="reports-export"),
    path("bao-cao/tu-cham/", assessment.unit_page, name="reports-assessment"),
    path(
        "bao-cao/tu-cham/<id:pk>/tieu-chi/<id:criterion_pk>/",
        assessment.score,
        name="reports-assessment-score",
    ),
    path(
        "bao-cao/tu-cham/<id:pk>/<str:name>/", assessment.action, name="reports-assessment-action"
    ),
    path("bao-cao/tham-dinh/", assessment.review_list, name="reports-review-list"),
    path("bao-cao/tham-dinh/<id:pk>/", assessment.review, name="reports-review"),
]
