from motcua.dossiers.services.intake import receive

from .conftest import at, new_dossier


def test_the_public_look_up_shows_code_and_status_but_nothing_personal(
    client, ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    page = client.get(f"/tra-cuu/{d.code}/").content.decode()
    assert d.code in page and "đã tiếp nhận, chờ chuyển xử lý" in page
    for personal in ("Trần Văn Bình", "0912345678", "068090012345", "binh@example.vn"):
        assert personal not in page
    assert client.get("/tra-cuu/KHONG-CO/").status_code == 404
