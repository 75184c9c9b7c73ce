from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from mozilla_django_oidc import urls as oidc_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from motcua.core import views as core_views
from motcua.core.permissions import permission
from motcua.site.urls import serve_patterns

sign_in = permission("core.sign_in")


def _declared(patterns: list, action: str, **by_name: str) -> list:  # type: ignore[type-arg]
    """Another package's routes, each with our permission row (the route matrix reads it)."""
    for pattern in patterns:
        permission(by_name.get(pattern.name, action))(pattern.callback)
    return patterns


urlpatterns = [
    path("lam-viec/", core_views.home, name="home"),
    path("dang-nhap/", sign_in(auth_views.LoginView.as_view()), name="login"),
    path("dang-xuat/", permission("core.sign_out")(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "oidc/",
        include(_declared(oidc_urls.urlpatterns, "core.sign_in", oidc_logout="core.sign_out")),
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.certification.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.site.urls")),
    path("", include("motcua.reports.urls")),
    path("lam-viec/", include("motcua.planning.urls")),
    path("lam-viec/", include("motcua.interop.urls")),
    path("api/v1/", include("motcua.api.urls")),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(_declared(wagtaildocs_urls.urlpatterns, "site.wagtail_document"))),
    *serve_patterns,  # the ward websites: last, every other path is one of their pages
]

# Our error pages, in Vietnamese (400 carries core.params' message; 404/403/500 are the
# templates of the same names; CSRF refusals: settings.CSRF_FAILURE_VIEW).
handler400 = "motcua.core.views.bad_request"
