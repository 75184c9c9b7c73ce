import re

from django.urls import reverse

from motcua.core.models import Role
from tests.conftest import make_user


def test_the_sign_in_page_is_vietnamese_and_uses_no_cdn(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập cán bộ, công chức" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_anonymous_visitors_land_on_the_public_services(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal-home")


def test_staff_pages_send_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("desk"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_home_shows_the_users_units_and_roles(client, ward):
    user = make_user("tuphap", ward, Role.SPECIALIST, "justice_civil_status")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Ủy ban nhân dân phường Phú Thuỷ" in page
    assert "Tư pháp – Hộ tịch" in page


def test_sign_in_with_a_password_works(client, ward):
    make_user("motcua", ward, Role.DESK_OFFICER)
    response = client.post(reverse("login"), {"username": "motcua", "password": "x-Strong-Pass-1"})
    assert response.status_code == 302
    assert "Công chức tiếp nhận" in client.get(reverse("home")).content.decode()


def test_sign_in_locks_after_repeated_failures(client, ward, settings):
    make_user("motcua", ward, Role.DESK_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "motcua", "password": "sai"})
    response = client.post(reverse("login"), {"username": "motcua", "password": "x-Strong-Pass-1"})
    assert response.status_code == 429
    assert "Đăng nhập đang tạm khóa" in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses_english(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập cán bộ, công chức" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Staff sign-in" in client.get(reverse("login")).content.decode()


def test_every_stylesheet_and_script_of_the_layout_is_served_locally(client, db):
    page = client.get(reverse("login")).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert len(assets) >= 3
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_the_admin_is_vietnamese(admin_client):
    assert "Quản trị MotCua" in admin_client.get("/admin/").content.decode()
