from motcua.dossiers.services.intake import receive

from .conftest import at, new_dossier


def test_the_public_look_up_shows_code_and_status_but_nothing_personal(
    client, ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    page = client.post("/tra-cuu/", {"code": d.code, "phone": "0912345678"}).content.decode()
    assert d.code in page and "đã tiếp nhận, chờ chuyển xử lý" in page.lower()
    for personal in ("Trần Văn Bình", "068090012345", "binh@example.vn"):
        assert personal not in page


def test_the_public_look_up_says_nothing_without_the_matching_phone(client, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    wrong = client.post("/tra-cuu/", {"code": d.code, "phone": "0987654321"}).content.decode()
    unknown = client.post("/tra-cuu/", {"code": "KHONG-CO", "phone": "0912345678"}).content.decode()
    for page in (wrong, unknown):
        assert "Không tìm thấy hồ sơ khớp mã và số điện thoại" in page
        assert "đã tiếp nhận" not in page
    # The QR code's address only fills in the code: the status still needs the phone.
    qr_page = client.get(f"/tra-cuu/{d.code}/").content.decode()
    assert d.code in qr_page and "đã tiếp nhận" not in qr_page


def test_public_look_ups_are_rate_limited(client, settings, ward, procedure, staff):
    settings.MOTCUA_LOOKUP_RATE = "3/m"
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    codes = [
        client.post("/tra-cuu/", {"code": d.code, "phone": "0900000000"}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
