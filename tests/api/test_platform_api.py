"""The rest of the platform over /api/v1/: units, a unit's figures with their formula ids,
the document registers, certified copies (status, signed PDF, public verification), each
scoped to the caller's units and checked against the permission table."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.certification.services import certify
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.dossiers.models import Dossier
from motcua.interop.models import SyncMessage
from tests.certification.test_certify import _check_and_present, scan_pdf
from tests.conftest import make_user

from .test_dossiers_api import BASE, client_for


def test_units_are_public_and_filtered_by_province(ward, other_ward, province):
    found = APIClient().get(f"{BASE}/units/", {"parent": province.code}).json()
    assert {u["code"] for u in found["results"]} == {ward.code, other_ward.code}
    one = APIClient().get(f"{BASE}/units/{ward.code}/").json()
    assert one["identifier_code"] == ward.identifier_code and one["parent"] == province.code


def test_a_units_figures_come_with_their_formula_id_and_only_for_its_staff(ward, other_ward):
    leader = make_user("chutich", ward, Role.LEADER, "chairman")
    stranger = make_user("chutich_b", other_ward, Role.LEADER, "chairman")
    officer = client_for(leader)
    answer = officer.get(f"{BASE}/reports/figures/", {"unit": ward.code, "period": "2026-03"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["unit"], body["period"]) == (ward.code, "2026-03")
    by_key = {f["key"]: f for f in body["figures"]}
    assert by_key["received"]["value"] == 0 and by_key["received"]["formula"]
    assert by_key["synced_national_portal"]["kind"] == "share"
    assert by_key["reused_data"]["measured"] is False
    refused = client_for(stranger).get(f"{BASE}/reports/figures/", {"unit": ward.code})
    assert refused.status_code == 404
    bad = officer.get(f"{BASE}/reports/figures/", {"unit": ward.code, "period": "9999-99"})
    assert bad.status_code == 400 and "period" in bad.json()
    assert APIClient().get(f"{BASE}/reports/figures/", {"unit": ward.code}).status_code in (
        401,
        403,
    )


@pytest.mark.django_db
def test_the_demo_registers_and_copies_over_the_api():
    call_command("load_demo", verbosity=0)
    clerk = client_for(User.objects.get(username="vanthu"))
    incoming = clerk.get(f"{BASE}/documents/incoming/", {"year": "2026"}).json()
    assert incoming["count"] > 0 and {d["year"] for d in incoming["results"]} == {2026}
    first = incoming["results"][0]
    assert (
        clerk.get(f"{BASE}/documents/incoming/{first['id']}/").json()["number"] == first["number"]
    )
    assert clerk.get(f"{BASE}/documents/outgoing/").status_code == 200
    assert clerk.get(f"{BASE}/documents/incoming/", {"year": "abc"}).status_code == 400
    editor = AdministrativeUnit.objects.get(code="22924")
    citizen = client_for(make_user("nguoidan", editor, Role.WEBSITE_EDITOR))
    assert citizen.get(f"{BASE}/documents/incoming/").status_code == 403


def test_a_certified_copy_its_signed_pdf_and_the_public_check_over_the_api(
    django_capture_on_commit_callbacks,
    keys,
    at_the_desk,
    staff,
):
    certification = at_the_desk(scan_pdf(2))
    _check_and_present(certification, staff)
    with django_capture_on_commit_callbacks(execute=True):
        certify.certify(certification, actor=staff["chairman"])
    desk = client_for(staff["desk"])
    listed = desk.get(f"{BASE}/certified-copies/", {"status": "signed"}).json()
    assert [c["id"] for c in listed["results"]] == [certification.pk]
    item = desk.get(f"{BASE}/certified-copies/{certification.pk}/").json()
    assert item["status"] == "signed" and item["register_number"] == "1/" + str(
        certification.register_entry.year
    )
    pdf = desk.get(f"{BASE}/certified-copies/{certification.pk}/copies/1/pdf/")
    data = b"".join(pdf.streaming_content)
    assert pdf["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
    sha = hashlib.sha256(data).hexdigest()
    assert sha == item["signed_copies"][0]["sha256"]
    certification.refresh_from_db()
    public = APIClient()
    checked = public.post(
        f"{BASE}/public/certified-copies/verify/",
        {"number": item["register_number"], "code": certification.verify_code},
        format="json",
    ).json()
    assert checked["valid"] and checked["copies"][0]["sha256"] == sha
    wrong = public.post(
        f"{BASE}/public/certified-copies/verify/",
        {"number": item["register_number"], "code": "00000000"},
        format="json",
    ).json()
    assert wrong["valid"] is False and wrong["copies"] == []
    # The result went to the portals as the verification URL and the signed PDF's hash.
    result = SyncMessage.objects.get(dossier=certification.dossier, action="attach_result")
    [sent] = json.loads(result.outbox.body)["HoSo"]["DanhSachGiayToKetQua"]
    assert "/kiem-tra-ban-sao/" in sent["DuongDanTepTinKetQua"] and sent["MaBam"] == sha


def test_the_published_schema_is_ours_only(client):
    schema = client.get(f"{BASE}/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    assert all(p.startswith("/api/v1/") for p in paths)
    for expected in (
        "/api/v1/units/",
        "/api/v1/reports/figures/",
        "/api/v1/documents/incoming/",
        "/api/v1/certified-copies/",
        "/api/v1/public/certified-copies/verify/",
    ):
        assert expected in paths


def test_a_copy_request_is_taken_in_from_its_scan_and_certified_over_the_api(
    django_capture_on_commit_callbacks, keys, copy_procedure, staff, ward
):
    desk, justice = client_for(staff["desk"]), client_for(staff["justice"])
    chairman = client_for(staff["chairman"])
    form = {
        "unit": ward.code,
        "applicant_kind": "citizen",
        "applicant_name": "Lê Thị Hoa",
        "title": "Giấy khai sinh",
        "issuer": "UBND phường Phú Thủy",
        "pages": 3,
        "copies": 2,
    }
    scan = SimpleUploadedFile("ban-chinh.pdf", scan_pdf(2), content_type="application/pdf")
    before = Dossier.objects.count()
    refused = desk.post(f"{BASE}/certified-copies/", {**form, "original": scan})
    assert refused.status_code == 400 and "trang" in str(refused.json()["pages"])
    assert Dossier.objects.count() == before  # nothing half-made is left behind
    scan.seek(0)
    made = desk.post(f"{BASE}/certified-copies/", {**form, "pages": 2, "original": scan})
    assert made.status_code == 201, made.content
    item = made.json()
    assert item["status"] == "checked" and item["fee"] == 2 * 4_000 and item["dossier"]
    dossier = Dossier.objects.get(code=item["dossier"])
    actions = f"{BASE}/dossiers/{dossier.pk}/actions"
    moved = desk.post(f"{actions}/transfer/", {"to_user": "tuphap"}, format="json")
    assert moved.status_code == 200, moved.content
    assert (
        justice.post(f"{actions}/hand_over/", {"to_user": "chutich"}, format="json").status_code
        == 200
    )
    assert desk.post(f"{BASE}/certified-copies/{item['id']}/certify/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        signed = chairman.post(f"{BASE}/certified-copies/{item['id']}/certify/")
    assert signed.status_code == 200, signed.content
    done = desk.get(f"{BASE}/certified-copies/{item['id']}/").json()
    assert done["status"] == "signed" and len(done["signed_copies"]) == 2
