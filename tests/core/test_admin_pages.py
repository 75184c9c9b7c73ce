import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)


def test_every_admin_list_add_and_change_page_opens_in_vietnamese(admin_client, demo):
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert listing.status_code == 200, info
        assert 'lang="vi"' in listing.content.decode()
        if model_admin.has_add_permission(listing.wsgi_request):
            assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, (
                info
            )
        first = model.objects.first()
        if first is not None:
            change = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert change.status_code == 200, info


def test_an_admin_edit_is_audited_without_secrets(admin_client, demo):
    from motcua.core.models import AdministrativeUnit, AuditEvent, User

    user = User.objects.get(username="motcua")
    url = reverse("admin:core_user_change", args=[user.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    ward = AdministrativeUnit.objects.get(code="22924")
    data = {
        "code": ward.code,
        "name": ward.name,
        "kind": ward.kind,
        "parent": ward.parent_id,
        "identifier_code": ward.identifier_code,
        "is_active": "on",
        "address": ward.address,
        "phone": ward.phone,
        "email": ward.email,
        "website": "",
        "morning_start": "07:00",
        "morning_end": "11:30",
        "afternoon_start": "13:30",
        "afternoon_end": "17:00",
        "receipt_cutoff": "15:00",
        "neighbourhoods-TOTAL_FORMS": "0",
        "neighbourhoods-INITIAL_FORMS": "0",
    }
    response = admin_client.post(
        reverse("admin:core_administrativeunit_change", args=[ward.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="administrativeunit.update").get()
    assert (event.before["morning_start"], event.after["morning_start"]) == ("07:30:00", "07:00:00")
    assert not AuditEvent.objects.filter(after__has_key="password").exists()
