from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from motcua.core import views as core_views
from motcua.site.urls import serve_patterns

urlpatterns = [
    path("lam-viec/", core_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.certification.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.site.urls")),
    path("", include("motcua.reports.urls")),
    path("lam-viec/", include("motcua.planning.urls")),
    path("api/v1/", include("motcua.api.urls")),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    *serve_patterns,  # the ward websites: last, every other path is one of their pages
]
