from django.urls import path

from . import register_views, views

urlpatterns = [
    path("van-ban/den/", views.incoming_list, name="documents-incoming-list"),
    path("van-ban/den/moi/", views.incoming_new, name="documents-incoming-new"),
    path("van-ban/den/<int:pk>/", views.incoming_detail, name="documents-incoming"),
    path("van-ban/den/<int:pk>/chi-dao/", views.incoming_direct, name="documents-direct"),
    path("van-ban/den/<int:pk>/tien-do/", views.incoming_progress, name="documents-progress"),
    path("van-ban/den/<int:pk>/bao-nhan/", views.incoming_acknowledge, name="documents-ack"),
    path("van-ban/so/<str:kind>/", register_views.register, name="documents-register"),
    path("van-ban/di/", views.outgoing_list, name="documents-outgoing-list"),
    path("van-ban/di/moi/", views.outgoing_new, name="documents-outgoing-new"),
    path("van-ban/di/<int:pk>/", views.outgoing_detail, name="documents-outgoing"),
    path("van-ban/di/<int:pk>/tep/", views.outgoing_file, name="documents-outgoing-file"),
    path("van-ban/di/<int:pk>/<str:name>/", views.outgoing_action, name="documents-action"),
]
