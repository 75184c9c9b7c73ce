from django.urls import path

from . import views

urlpatterns = [
    path("mot-cua/", views.desk, name="desk"),
    path("mot-cua/tiep-nhan/", views.receive_dossier, name="desk-receive"),
    path("mot-cua/tiep-nhan/thu-tuc/", views.procedure_search, name="desk-procedure-search"),
    path("mot-cua/tiep-nhan/nguoi-nop/", views.applicant_lookup, name="desk-applicant"),
    path("mot-cua/ho-so/<id:pk>/", views.dossier_page, name="desk-dossier"),
    path("mot-cua/ho-so/<id:pk>/thao-tac/<str:name>/", views.dossier_action, name="desk-action"),
    path("mot-cua/ho-so/<id:pk>/mau/<str:kind>.pdf", views.dossier_form, name="desk-form"),
    path("mot-cua/ho-so/<id:pk>/giay-to/<id:paper_pk>/", views.paper_scan, name="desk-paper-scan"),
    path("mot-cua/so-theo-doi/", views.ledger, name="desk-ledger"),
]
