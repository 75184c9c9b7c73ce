"""Cross-module reactions of the websites: a publish anywhere clears the site's page cache; a
website-editor role gives access to that unit's site in the page editor."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished

from motcua.core.models import RoleAssignment
from motcua.documents.models import OutgoingDocument
from motcua.planning.models import Engagement, SchedulePublication

from . import pagecache, routing
from .models import Feedback, HomePage


def _sites_of_unit(unit_id: int) -> list[int]:
    homes = HomePage.objects.filter(unit_id=unit_id).values_list("pk", flat=True)
    return list(Site.objects.filter(root_page_id__in=homes).values_list("pk", flat=True))


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete, sender=Page)
def _page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    site = instance.get_site()
    if site is not None:
        pagecache.invalidate(site.pk)


@receiver(post_save, sender=OutgoingDocument)
@receiver(post_save, sender=Feedback)
@receiver(post_save, sender=Engagement)
@receiver(post_save, sender=SchedulePublication)
def _unit_content_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    for site_id in _sites_of_unit(instance.unit_id):
        pagecache.invalidate(site_id)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender: Any, instance: Site, **kwargs: Any) -> None:
    routing.forget()
    pagecache.invalidate(instance.pk)


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _editor_roles_changed(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    from .services.sites import sync_editor_groups

    sync_editor_groups(instance.user)
