from django.urls import path

from . import views

urlpatterns = [
    path("kiem-tra-ban-sao/", views.verify, name="certification-verify"),
    path("mot-cua/chung-thuc/so/", views.register_page, name="certification-register"),
    path(
        "mot-cua/chung-thuc/so/<id:entry_pk>/ghi-chu/",
        views.annotate,
        name="certification-annotate",
    ),
    path("mot-cua/chung-thuc/<id:pk>/", views.page, name="certification-page"),
    path("mot-cua/chung-thuc/<id:pk>/tu-choi/", views.refuse, name="certification-refuse"),
    path("mot-cua/chung-thuc/<id:pk>/ky/", views.certify, name="certification-certify"),
    path("mot-cua/chung-thuc/<id:pk>/ky-lai/", views.retry, name="certification-retry"),
    path("mot-cua/chung-thuc/<id:pk>/trang-thai/", views.status, name="certification-status"),
    path(
        "mot-cua/chung-thuc/<id:pk>/ban-sao/<id:index>.pdf",
        views.copy_file,
        name="certification-copy",
    ),
]
