import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.core.models import Role
from tests.conftest import make_user
from tests.dossiers.conftest import make_procedure

BASE = "/api/v1"
NEW = {
    "unit": "22924",
    "procedure": "1.001022",
    "applicant_kind": "citizen",
    "applicant_name": "Trần Văn Bình",
    "applicant_phone": "0912345678",
    "papers": [{"name": "Tờ khai", "originals": 1}],
}


@pytest.fixture
def setup(ward, other_ward, province):  # type: ignore[no-untyped-def]
    make_procedure(province)
    users = {
        "desk": make_user("motcua", ward, Role.DESK_OFFICER),
        "justice": make_user("tuphap", ward, Role.SPECIALIST, "justice_civil_status"),
        "chairman": make_user("chutich", ward, Role.LEADER, "chairman"),
        "stranger": make_user("motcua_b", other_ward, Role.DESK_OFFICER),
    }
    return users


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=user).key)
    return client


def test_a_dossier_goes_through_its_lifecycle_over_the_api(setup):
    desk, justice, chairman = (client_for(setup[k]) for k in ("desk", "justice", "chairman"))
    created = desk.post(f"{BASE}/dossiers/", NEW, format="json")
    assert created.status_code == 201, created.data
    d = created.data
    assert d["status"] == "received" and d["code"].startswith("000.00.24.H36-")
    assert "transfer" in d["actions"]
    url = f"{BASE}/dossiers/{d['id']}/actions"
    assert desk.post(f"{url}/transfer/", {"to_user": "tuphap"}, format="json").status_code == 200
    assert (
        justice.post(f"{url}/hand_over/", {"to_user": "chutich"}, format="json").status_code == 200
    )
    approved = chairman.post(f"{url}/approve/", {"to_user": "motcua"}, format="json")
    assert approved.data["status"] == "result_ready"
    desk.post(f"{url}/attach_result/", {"paper": True}, format="json")
    returned = desk.post(f"{url}/return_result/", {"method": "desk"}, format="json")
    assert returned.status_code == 200 and returned.data["status"] == "returned"
    assert [e["kind"] for e in returned.data["events"]][-1] == "returned"


def test_refusals_carry_the_vietnamese_message_and_the_right_status(setup):
    desk, justice = client_for(setup["desk"]), client_for(setup["justice"])
    d = desk.post(f"{BASE}/dossiers/", NEW, format="json").data
    url = f"{BASE}/dossiers/{d['id']}/actions"
    wrong_state = desk.post(f"{url}/return_result/", {"method": "desk"}, format="json")
    assert wrong_state.status_code == 409 and "Không thể" in wrong_state.data["detail"]
    wrong_role = justice.post(f"{url}/transfer/", {}, format="json")
    assert wrong_role.status_code == 403 and "Vai trò" in wrong_role.data["detail"]
    bad_input = desk.post(f"{url}/refuse/", {"reason": ""}, format="json")
    assert bad_input.status_code == 400 and "lý do" in str(bad_input.data)
    too_late = desk.post(f"{url}/refuse/", {"reason": "Sai thẩm quyền"}, format="json")
    assert too_late.status_code == 409  # a received dossier is no longer refused at the desk
    assert desk.post(f"{url}/nonsense/", {}, format="json").status_code == 404


def test_an_officer_of_another_ward_cannot_read_or_change_a_dossier(setup):
    desk, stranger = client_for(setup["desk"]), client_for(setup["stranger"])
    d = desk.post(f"{BASE}/dossiers/", NEW, format="json").data
    assert stranger.get(f"{BASE}/dossiers/{d['id']}/").status_code == 404
    assert stranger.get(f"{BASE}/dossiers/").data["count"] == 0
    act = stranger.post(f"{BASE}/dossiers/{d['id']}/actions/transfer/", {}, format="json")
    assert act.status_code == 404
    assert stranger.post(f"{BASE}/dossiers/", NEW, format="json").status_code == 400
    assert desk.get(f"{BASE}/dossiers/").data["count"] == 1


def test_procedures_are_listed_for_the_users_province(setup):
    listing = client_for(setup["desk"]).get(f"{BASE}/procedures/")
    assert [p["code"] for p in listing.data["results"]] == ["1.001022"]
    assert listing.data["results"][0]["legacy_level"] == 3


def test_anonymous_requests_are_refused_but_the_public_status_and_schema_are_open(setup):
    anonymous = APIClient()
    assert anonymous.get(f"{BASE}/dossiers/").status_code == 401
    d = client_for(setup["desk"]).post(f"{BASE}/dossiers/", NEW, format="json").data
    public = anonymous.post(f"{BASE}/public/status/", {"code": d["code"], "phone": "0912 345 678"})
    assert public.status_code == 200
    assert set(public.data) == {"code", "status", "status_label"}
    wrong_phone = anonymous.post(
        f"{BASE}/public/status/", {"code": d["code"], "phone": "0987654321"}
    )
    unknown = anonymous.post(f"{BASE}/public/status/", {"code": "KHONG-CO", "phone": "0912345678"})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.data == unknown.data  # nothing tells a real code from a made-up one
    schema = anonymous.get(f"{BASE}/schema/")
    assert schema.status_code == 200 and b"/api/v1/dossiers/" in schema.content


def test_a_dossier_that_cannot_be_received_is_not_left_behind(setup, ward):
    from motcua.dossiers.models import Dossier

    ward.identifier_code = ""
    ward.save()
    response = client_for(setup["desk"]).post(f"{BASE}/dossiers/", NEW, format="json")
    assert response.status_code == 400 and "mã định danh" in str(response.data)
    assert Dossier.objects.count() == 0
