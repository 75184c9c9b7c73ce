"""The work-file pages (hồ sơ công việc): the yearly file plan, a work file, filing from the
file or from a document's page, closing, the PDF; refusals are shown, nothing is lost."""

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import Role
from motcua.documents.models import DocumentType, FiledItem, FilePlan, WorkFile
from motcua.documents.services import outgoing
from motcua.documents.workfiles import services
from motcua.documents.workfiles.models import WorkFileStatus
from motcua.dossiers.services.intake import receive
from tests.conftest import make_user
from tests.documents import factories
from tests.documents.factories import letter
from tests.dossiers.conftest import make_procedure, new_dossier

YEAR = 2026
PLAN = reverse("documents-workfiles")

# The services' refusals, as the Vietnamese catalogue words them.
CLOSED = "Hồ sơ 01.TP đã đóng, không nhận thêm văn bản."
NOT_YOUR_FILE = "Chỉ người lập hồ sơ, văn thư hoặc lãnh đạo mới đưa văn bản vào hồ sơ này."
NOT_YOURS_TO_OPEN = "Chỉ người lập hồ sơ, văn thư hoặc lãnh đạo mới mở hồ sơ công việc."
NOT_YOURS_TO_CLOSE = "Chỉ người lập hồ sơ hoặc lãnh đạo mới đóng hồ sơ."
NO_PLAN_FOR_OFFICERS = "Chỉ văn thư hoặc lãnh đạo mới quản lý danh mục hồ sơ."


def issued_letter(ward, people):  # type: ignore[no-untyped-def]
    return factories.issued_letter(
        ward, author=people["officer"], leader=people["chairman"], clerk=people["clerk"]
    )


@pytest.fixture
def work_file(ward, people):  # type: ignore[no-untyped-def]
    """The justice officer's work file 01.TP in the ward's 2026 plan."""
    plan = services.plan_for(ward, YEAR, actor=people["clerk"])
    return services.open_file(
        plan,
        actor=people["officer"],
        code="01.TP",
        title="Hồ sơ cải cách hành chính năm 2026",
        keeper=people["officer"],
        retention="5 năm",
    )


def page(work_file, name="documents-workfile"):  # type: ignore[no-untyped-def]
    return reverse(name, args=[work_file.pk])


def file_from_document(kind, document):  # type: ignore[no-untyped-def]
    return reverse("documents-workfile-file-document", args=[kind, document.pk])


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_the_plan_page_lists_the_years_files_and_the_clerk_opens_one(client, ward, people):
    client.force_login(people["clerk"])
    response = client.get(PLAN)
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year  # Vietnam time by default
    assert not FilePlan.objects.exists()  # reading the page sets nothing up
    opened = client.post(
        f"{PLAN}?nam={YEAR}",
        {
            "code": "02.vp",
            "title": "Hồ sơ thi đua khen thưởng",
            "keeper": people["other"].pk,
            "retention": "10 năm",
        },
    )
    work_file = WorkFile.objects.get()
    assert opened.status_code == 302 and opened["Location"] == page(work_file)
    assert work_file.code == "02.VP" and work_file.keeper == people["other"]
    assert work_file.plan.year == YEAR and work_file.plan.unit == ward
    listed = text(client.get(PLAN, {"nam": YEAR}))
    assert "02.VP" in listed and "Hồ sơ thi đua khen thưởng" in listed and "vanhoa" in listed
    assert "10 năm" in listed and page(work_file) in listed
    assert "02.VP" not in text(client.get(PLAN, {"nam": YEAR + 1}))


def test_an_officer_opens_his_own_file_but_not_one_for_a_colleague(client, people, work_file):
    client.force_login(people["other"])
    fields = {"code": "03.VH", "title": "Hồ sơ văn hóa cơ sở", "retention": "5 năm"}
    refused = client.post(f"{PLAN}?nam={YEAR}", {**fields, "keeper": people["officer"].pk})
    assert refused.status_code == 200 and NOT_YOURS_TO_OPEN in text(refused)
    assert "Hồ sơ văn hóa cơ sở" in text(refused)  # what was typed is still there
    assert WorkFile.objects.count() == 1
    opened = client.post(f"{PLAN}?nam={YEAR}", {**fields, "keeper": people["other"].pk})
    assert opened.status_code == 302
    assert WorkFile.objects.get(code="03.VH").keeper == people["other"]


def test_a_code_already_in_the_plan_is_refused_next_to_the_field(client, people, work_file):
    client.force_login(people["clerk"])
    response = client.post(
        f"{PLAN}?nam={YEAR}",
        {"code": "01.tp", "title": "Trùng", "keeper": people["clerk"].pk, "retention": "5 năm"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Ký hiệu 01.TP đã có trong danh mục hồ sơ năm 2026."
    ]


def test_only_the_clerk_or_a_leader_sets_up_a_years_plan(client, people):
    client.force_login(people["officer"])
    response = client.post(
        f"{PLAN}?nam={YEAR}",
        {"code": "01.TP", "title": "Hồ sơ", "keeper": people["officer"].pk, "retention": "5 năm"},
    )
    assert response.status_code == 200 and NO_PLAN_FOR_OFFICERS in text(response)
    assert not FilePlan.objects.exists()


def test_an_incoming_document_is_filed_from_its_detail_page(client, ward, people, work_file):
    received = letter(ward, people["clerk"])
    client.force_login(people["officer"])
    detail = text(client.get(reverse("documents-incoming", args=[received.pk])))
    assert file_from_document("den", received) in detail and "01.TP" in detail
    response = client.post(file_from_document("den", received), {"work_file": work_file.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents-incoming", args=[received.pk])
    assert FiledItem.objects.get().incoming == received
    detail = text(client.get(reverse("documents-incoming", args=[received.pk])))
    assert page(work_file) in detail and file_from_document("den", received) not in detail
    listed = text(client.get(page(work_file)))
    assert "123/UBND-VX" in listed and reverse("documents-incoming", args=[received.pk]) in listed


def test_an_issued_outgoing_document_is_filed_from_its_page_and_a_draft_is_not_offered(
    client, ward, people, work_file
):
    sent = issued_letter(ward, people)
    draft = outgoing.draft(
        ward,
        outgoing.Draft(type=DocumentType.objects.get(code="CV"), abstract="V/v dự thảo"),
        actor=people["officer"],
    )
    client.force_login(people["officer"])
    draft_page = text(client.get(reverse("documents-outgoing", args=[draft.pk])))
    assert file_from_document("di", draft) not in draft_page
    assert file_from_document("di", sent) in text(
        client.get(reverse("documents-outgoing", args=[sent.pk]))
    )
    client.post(file_from_document("di", sent), {"work_file": work_file.pk})
    assert FiledItem.objects.get().outgoing == sent


def test_filing_into_a_closed_file_is_refused_with_the_reason(client, ward, people, work_file):
    received = letter(ward, people["clerk"])
    services.close(work_file, actor=people["officer"])
    client.force_login(people["officer"])
    response = client.post(
        page(work_file, "documents-workfile-file"), {"kind": "incoming", "incoming": received.pk}
    )
    assert response.status_code == 200 and CLOSED in text(response)
    from_document = client.post(
        file_from_document("den", received), {"work_file": work_file.pk}, follow=True
    )
    assert CLOSED in text(from_document)
    assert not FiledItem.objects.exists()


def test_the_keeper_closes_the_file_with_a_note_and_it_offers_no_more_filing(
    client, people, work_file
):
    client.force_login(people["officer"])
    assert page(work_file, "documents-workfile-file") in text(client.get(page(work_file)))
    response = client.post(page(work_file, "documents-workfile-close"), {"note": "Đã xong việc"})
    assert response.status_code == 302
    work_file.refresh_from_db()
    assert work_file.status == WorkFileStatus.CLOSED and work_file.note == "Đã xong việc"
    closed = text(client.get(page(work_file)))
    assert "Đã xong việc" in closed and page(work_file, "documents-workfile-file") not in closed


def test_an_officer_who_does_not_keep_the_file_is_told_he_may_not_file_or_close_it(
    client, ward, people, work_file
):
    received = letter(ward, people["clerk"])
    client.force_login(people["other"])
    filed = client.post(
        page(work_file, "documents-workfile-file"), {"kind": "incoming", "incoming": received.pk}
    )
    # Refused by the permission table before any form is read: 403, the rule said.
    assert filed.status_code == 403 and NOT_YOUR_FILE in text(filed)
    closed = client.post(page(work_file, "documents-workfile-close"), {"note": "Xong"})
    assert closed.status_code == 403 and NOT_YOURS_TO_CLOSE in text(closed)
    # Someone else's file is not offered on the document's page either.
    detail = text(client.get(reverse("documents-incoming", args=[received.pk])))
    assert file_from_document("den", received) not in detail
    work_file.refresh_from_db()
    assert work_file.is_open and not FiledItem.objects.exists()


def test_a_dossier_is_filed_by_typing_its_code(
    client, ward, province, people, desk_officer, work_file
):
    dossier = receive(new_dossier(ward, make_procedure(province), desk_officer), actor=desk_officer)
    client.force_login(people["officer"])
    target = page(work_file, "documents-workfile-file")
    unknown = client.post(target, {"kind": "dossier", "dossier_code": "KHONG-CO"})
    assert unknown.status_code == 200 and unknown.context["file_form"].errors["dossier_code"]
    response = client.post(target, {"kind": "dossier", "dossier_code": dossier.code.lower()})
    assert response.status_code == 302 and FiledItem.objects.get().dossier == dossier
    listed = text(client.get(page(work_file)))
    assert dossier.code in listed and reverse("desk-dossier", args=[dossier.pk]) in listed


def test_the_pdf_export_is_an_inline_pdf(client, ward, people, work_file):
    services.file_item(work_file, actor=people["officer"], incoming=letter(ward, people["clerk"]))
    client.force_login(people["officer"])
    assert page(work_file, "documents-workfile-pdf") in text(client.get(page(work_file)))
    response = client.get(page(work_file, "documents-workfile-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_confidential_document_the_user_may_not_see_is_not_offered_nor_shown(
    client, ward, people, work_file
):
    plain = letter(ward, people["clerk"], reference="1/UBND-VP")
    secret = letter(ward, people["clerk"], reference="77/CA-PV01", confidentiality="secret")
    client.force_login(people["officer"])
    offered = text(client.get(page(work_file)))
    assert f'<option value="{plain.pk}">' in offered and "1/UBND-VP" in offered
    assert f'<option value="{secret.pk}">' not in offered and "77/CA-PV01" not in offered
    smuggled = client.post(
        page(work_file, "documents-workfile-file"), {"kind": "incoming", "incoming": secret.pk}
    )
    assert smuggled.context["file_form"].errors["incoming"] and not FiledItem.objects.exists()
    hidden = client.post(file_from_document("den", secret), {"work_file": work_file.pk})
    assert hidden.status_code == 404
    # Filed by the clerk, who may see it, it stays masked for the keeper, and so does the PDF.
    services.file_item(work_file, actor=people["clerk"], incoming=secret)
    shown = client.get(page(work_file))
    assert "77/CA-PV01" not in text(shown) and not shown.context["sees_everything"]
    pdf = client.get(page(work_file, "documents-workfile-pdf"))
    assert pdf.status_code == 302 and pdf["Location"] == page(work_file)
    client.force_login(people["clerk"])
    assert "77/CA-PV01" in text(client.get(page(work_file)))


def test_a_work_file_of_another_unit_is_not_found(client, other_ward, people, work_file):
    client.force_login(make_user("vanthu2", other_ward, Role.CLERK))
    assert client.get(page(work_file)).status_code == 404
    assert client.get(page(work_file, "documents-workfile-pdf")).status_code == 404
