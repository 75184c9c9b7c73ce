"""The page editor's additions: the visitors chart and the link to the feedback desk."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def _urls():  # type: ignore[no-untyped-def]
    return [path("thong-ke-truy-cap/", admin_views.visits, name="site-visits")]


@hooks.register("register_admin_menu_item")
def _visits_item() -> MenuItem:
    return MenuItem(_("Visitors"), reverse("site-visits"), icon_name="view", order=900)


@hooks.register("register_admin_menu_item")
def _feedback_item() -> MenuItem:
    return MenuItem(
        _("Feedback from the website"), reverse("site-feedback-list"), icon_name="mail", order=910
    )
