"""A unit's website: its Wagtail Site and HomePage, its image collection, and the group of its
editors (the website-editor role), who may edit that site's pages and nothing else."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from motcua.core.models import AdministrativeUnit, Role, RoleAssignment, User
from motcua.core.services import audit

from ..models import HomePage

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
GROUP_PREFIX = "Biên tập trang "


def site_of(unit: AdministrativeUnit) -> Site | None:
    home = HomePage.objects.filter(unit=unit).first()
    return Site.objects.filter(root_page=home).first() if home else None


@transaction.atomic
def create_site(
    unit: AdministrativeUnit,
    *,
    hostname: str,
    port: int = 80,
    is_default: bool = False,
    actor: User | None = None,
) -> Site:
    """The unit's home page under the tree's root, its Site for ``hostname``, its editors."""
    root = _tree_root()
    home = HomePage(title=unit.committee_name, slug=f"trang-{unit.code}", unit=unit)
    root.add_child(instance=home)
    home.save_revision().publish()
    if is_default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        is_default_site=is_default,
        site_name=unit.committee_name,
    )
    editors_of(unit)
    audit.record(
        actor=actor,
        action="website.create",
        unit=unit,
        object_type="wagtailcore.site",
        object_id=str(site.pk),
        object_repr=str(site),
        after={"hostname": hostname, "port": port, "default": is_default},
    )
    return site


def _tree_root() -> Page:
    """Wagtail's migrations make the default locale and the tree's root; a flushed database
    (the browser tests) has neither."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def collection_of(unit: AdministrativeUnit) -> Collection:
    """The unit's images and documents live in a collection of their own."""
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    found = root.get_children().filter(name=unit.committee_name).first()
    return found or root.add_child(name=unit.committee_name)


def editors_of(unit: AdministrativeUnit) -> Group:
    """The unit's editor group, with its permissions (created or completed when missing)."""
    group, _created = Group.objects.get_or_create(name=f"{GROUP_PREFIX}{unit.code}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    home = HomePage.objects.filter(unit=unit).first()
    if home is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    collection = collection_of(unit)
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    return group


def sync_editor_groups(user: User) -> None:
    """The user belongs to the editor group of exactly the units where they hold an active
    website-editor role (called whenever a role assignment changes)."""
    units = AdministrativeUnit.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            user=user, role=Role.WEBSITE_EDITOR, is_active=True
        ).values("unit")
    )
    wanted = {editors_of(unit) for unit in units}
    current = set(user.groups.filter(name__startswith=GROUP_PREFIX))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
