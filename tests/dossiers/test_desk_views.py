import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import Role
from motcua.dossiers.models import Dossier, Status
from tests.conftest import make_user

from .conftest import at, new_dossier


@pytest.fixture
def desk_client(client, staff):  # type: ignore[no-untyped-def]
    client.force_login(staff["desk"])
    return client


def receive_data(procedure, **extra):  # type: ignore[no-untyped-def]
    paper = procedure.papers.first()
    data = {
        "procedure": procedure.pk,
        "channel": "desk",
        "applicant_kind": "citizen",
        "applicant_personal_id": "068090012345",
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_phone": "0987654321",
        "applicant_address": "Khu phố 3",
        "sets": 1,
    }
    if paper:
        data.update(
            {
                f"paper_{paper.pk}_received": "on",
                f"paper_{paper.pk}_originals": 1,
                f"paper_{paper.pk}_copies": 0,
            }
        )
    return {**data, **extra}


@pytest.fixture
def procedure_with_paper(procedure):  # type: ignore[no-untyped-def]
    procedure.papers.create(name="Tờ khai đăng ký", originals=1, copies=0)
    return procedure


def test_the_procedure_picker_finds_procedures_without_diacritics(desk_client, procedure):
    page = desk_client.get(
        "/mot-cua/tiep-nhan/thu-tuc/", {"q": "nhan cha me con"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" in page
    assert (
        "Đăng ký"
        not in desk_client.get("/mot-cua/tiep-nhan/thu-tuc/", {"q": "ket hon"}).content.decode()
    )


def test_choosing_a_procedure_loads_its_paper_checklist(desk_client, procedure_with_paper):
    partial = desk_client.get(
        "/mot-cua/tiep-nhan/", {"procedure": procedure_with_paper.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Tờ khai đăng ký" in partial and 'name="procedure"' in partial


def test_receiving_at_the_counter_issues_the_code_and_the_receipt(
    desk_client, procedure_with_paper
):
    response = desk_client.post("/mot-cua/tiep-nhan/", receive_data(procedure_with_paper))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED and dossier.code
    assert dossier.papers.get().name == "Tờ khai đăng ký"
    page = desk_client.get(response["Location"]).content.decode()
    assert dossier.code in page and "Chuyển xử lý" in page
    pdf = desk_client.get(f"/mot-cua/ho-so/{dossier.pk}/mau/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_bad_scan_keeps_what_was_typed_and_saves_nothing(desk_client, procedure_with_paper):
    paper = procedure_with_paper.papers.first()
    fake = SimpleUploadedFile("to-khai.pdf", b"this is not a pdf at all", "application/pdf")
    data = receive_data(procedure_with_paper, **{f"paper_{paper.pk}_scan": fake})
    page = desk_client.post("/mot-cua/tiep-nhan/", data).content.decode()
    assert "không phải tệp PDF, JPEG hoặc PNG" in page
    assert "Nguyễn Thị Hoa" in page and "0987654321" in page
    assert Dossier.objects.count() == 0


def test_a_returning_citizen_is_filled_in_from_the_last_dossier(
    desk_client, ward, procedure, staff
):
    new_dossier(ward, procedure, staff["desk"])
    found = desk_client.get(
        "/mot-cua/tiep-nhan/nguoi-nop/", {"applicant_personal_id": "068090012345"}
    )
    assert "Trần Văn Bình" in found.content.decode() and "0912345678" in found.content.decode()
    unknown = desk_client.get(
        "/mot-cua/tiep-nhan/nguoi-nop/", {"applicant_personal_id": "068090099999"}
    )
    assert unknown.status_code == 204


def test_actions_run_from_the_dossier_page_and_errors_are_shown(client, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    client.force_login(staff["desk"])
    assert client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/receive/").status_code == 302
    bad = client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/return_result/", {"method": "desk"})
    assert bad.status_code == 400 and "Không thể" in bad.content.decode()
    ok = client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/transfer/", {"to_user": staff["justice"].pk})
    assert ok.status_code == 302
    d.refresh_from_db()
    assert d.assignee == staff["justice"]
    client.force_login(staff["justice"])
    page = client.get(f"/mot-cua/ho-so/{d.pk}/").content.decode()
    assert "Chuyển bước" in page and "Lập phiếu xin lỗi cho" in page


def test_queues_list_the_officers_work(client, ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    client.force_login(staff["desk"])
    assert d.applicant_name in client.get("/mot-cua/", {"q": "to_receive"}).content.decode()
    client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/receive/")
    assert d.applicant_name in client.get("/mot-cua/", {"q": "mine"}).content.decode()


def test_an_officer_of_another_ward_cannot_open_or_change_the_dossier(
    client, ward, other_ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    client.force_login(make_user("motcua_b", other_ward, Role.DESK_OFFICER))
    assert client.get(f"/mot-cua/ho-so/{d.pk}/").status_code == 404
    assert client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/receive/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{d.pk}/mau/receipt.pdf").status_code == 404
    assert d.applicant_name not in client.get("/mot-cua/", {"q": "to_receive"}).content.decode()
    d.refresh_from_db()
    assert d.status == Status.DRAFT


def test_the_monthly_ledger_prints(desk_client, ward, procedure, staff):
    from motcua.dossiers.services.intake import receive

    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    response = desk_client.get("/mot-cua/so-theo-doi/", {"thang": "2026-03"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
