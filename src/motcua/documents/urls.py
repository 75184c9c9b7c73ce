from django.urls import path

from . import register_views, views, workfile_views

urlpatterns = [
    path("van-ban/den/", views.incoming_list, name="documents-incoming-list"),
    path("van-ban/den/moi/", views.incoming_new, name="documents-incoming-new"),
    path("van-ban/den/<id:pk>/", views.incoming_detail, name="documents-incoming"),
    path("van-ban/den/<id:pk>/chi-dao/", views.incoming_direct, name="documents-direct"),
    path("van-ban/den/<id:pk>/tien-do/", views.incoming_progress, name="documents-progress"),
    path("van-ban/den/<id:pk>/bao-nhan/", views.incoming_acknowledge, name="documents-ack"),
    path("van-ban/den/<id:pk>/tra-lai/", views.incoming_return, name="documents-return"),
    path(
        "van-ban/den/<id:pk>/tep/<id:file_pk>/",
        views.incoming_file,
        name="documents-incoming-file",
    ),
    path("van-ban/so/<str:kind>/", register_views.register, name="documents-register"),
    path("van-ban/so/", register_views.month, name="documents-month"),
    path("van-ban/di/", views.outgoing_list, name="documents-outgoing-list"),
    path("van-ban/di/moi/", views.outgoing_new, name="documents-outgoing-new"),
    path("van-ban/di/<id:pk>/", views.outgoing_detail, name="documents-outgoing"),
    path("van-ban/di/<id:pk>/tep/", views.outgoing_file, name="documents-outgoing-file"),
    path(
        "van-ban/di/<id:pk>/kem-theo/<id:attachment_pk>/",
        views.outgoing_attachment,
        name="documents-outgoing-attachment",
    ),
    path("van-ban/di/<id:pk>/<str:name>/", views.outgoing_action, name="documents-action"),
    path("van-ban/ho-so/", workfile_views.plan, name="documents-workfiles"),
    path("van-ban/ho-so/<id:pk>/", workfile_views.detail, name="documents-workfile"),
    path("van-ban/ho-so/<id:pk>/luu/", workfile_views.file_item, name="documents-workfile-file"),
    path("van-ban/ho-so/<id:pk>/dong/", workfile_views.close, name="documents-workfile-close"),
    path("van-ban/ho-so/<id:pk>/pdf/", workfile_views.pdf, name="documents-workfile-pdf"),
    path(
        "van-ban/ho-so/luu-van-ban/<str:kind>/<id:pk>/",
        workfile_views.file_document,
        name="documents-workfile-file-document",
    ),
]
