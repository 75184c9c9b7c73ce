from django.urls import path, re_path

from . import views

urlpatterns = [
    path("lam-viec/phan-anh/", views.feedback_list, name="site-feedback-list"),
    path("lam-viec/phan-anh/<id:pk>/", views.feedback_detail, name="site-feedback"),
    path(
        "lam-viec/phan-anh/<id:pk>/cong-khai/",
        views.feedback_publish,
        name="site-feedback-publish",
    ),
    path("van-ban-cong-khai/<id:pk>/", views.public_document_file, name="site-document-file"),
]

# Last of all: every other path is a website page (Wagtail's own pattern and name).
serve_patterns = [re_path(r"^((?:[\w\-]+/)*)$", views.serve, name="wagtail_serve")]
