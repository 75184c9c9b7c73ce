"""Online submission: drafts that keep everything, checks on submit, the desk's queue."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import AuditEvent, OutboxMessage
from motcua.dossiers.models import Channel, Status
from motcua.dossiers.selectors import queue
from motcua.portal.models import Draft
from motcua.portal.services import drafts

from .conftest import pdf, photo


def _complete(draft, procedure):  # type: ignore[no-untyped-def]
    required = list(procedure.papers.filter(optional=False))
    drafts.add_file(draft, required[0].pk, pdf())
    drafts.add_file(draft, required[1].pk, photo())
    drafts.save(draft, {"declaration": True})


def test_a_draft_starts_from_the_account_and_is_resumed_not_duplicated(
    citizen, ward, online_procedure
):
    first = drafts.start(citizen, ward, online_procedure, assisted=False)
    assert first.data["applicant_name"] == "Trần Văn Bình" and first.data["phone"] == "0912345678"
    drafts.save(first, {"address": "Khu phố 2"})
    again = drafts.start(citizen, ward, online_procedure, assisted=False)
    assert again.pk == first.pk and again.data["address"] == "Khu phố 2"


def test_a_bad_upload_is_refused_with_a_reason_and_the_draft_keeps_everything(
    citizen, ward, online_procedure
):
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    drafts.save(draft, {"address": "Khu phố 2, phường Phú Thuỷ"})
    paper = online_procedure.papers.first()
    drafts.add_file(draft, paper.pk, pdf())
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="không phải tệp PDF, JPEG hoặc PNG"):
        drafts.add_file(draft, paper.pk, fake)
    draft.refresh_from_db()
    assert draft.data["address"] == "Khu phố 2, phường Phú Thuỷ" and draft.files.count() == 1


def test_submitting_lists_every_problem_at_once(citizen, ward, online_procedure):
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    drafts.save(draft, {"applicant_name": "", "phone": "12345", "email": ""})
    with pytest.raises(ValidationError) as caught:
        drafts.submit(draft, actor=citizen)
    problems = caught.value.message_dict
    assert set(problems) == {"applicant_name", "phone", "papers", "declaration"}
    assert len(problems["papers"]) == 2  # the optional paper is not asked for
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_an_unconfirmed_account_cannot_submit(citizen, ward, online_procedure):
    citizen.email_verified_at = None
    citizen.save()
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    _complete(draft, online_procedure)
    with pytest.raises(ValidationError, match=r"(?i)xác nhận"):
        drafts.submit(draft, actor=citizen)


def test_a_submitted_draft_becomes_an_online_dossier_in_the_desk_queue(
    django_capture_on_commit_callbacks,
    citizen,
    ward,
    online_procedure,
    staff,
):
    staff["desk"].email = "motcua@phuthuy.gov.vn"
    staff["desk"].save()
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    _complete(draft, online_procedure)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = drafts.submit(draft, actor=citizen)
    assert (dossier.channel, dossier.status) == (Channel.ONLINE, Status.PENDING)
    assert dossier.applicant_user == citizen and dossier.fee_due == 50_000
    assert [p.name for p in dossier.papers.all()] == ["Tờ khai đăng ký", "Giấy tờ chứng minh"]
    assert all(p.scan and len(p.scan_sha256) == 64 for p in dossier.papers.all())
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert dossier in queue(staff["desk"], "to_receive")
    sent = OutboxMessage.objects.filter(about=f"dossier:{dossier.pk}")
    assert {(m.kind, m.recipient) for m in sent} == {
        ("submitted", "binh@example.vn"),
        ("submitted", "0912345678"),
        ("online_submitted", "motcua@phuthuy.gov.vn"),
    }
    assert all(m.status == "sent" for m in sent)
    assert "mang theo" in sent.get(kind="submitted", channel="email").body  # một phần: bring
    assert AuditEvent.objects.filter(action="dossier.submit_online").exists()


def test_a_desk_officer_submits_online_for_a_citizen_and_it_counts_as_assisted(
    ward,
    online_procedure,
    staff,
):
    draft = drafts.start(staff["desk"], ward, online_procedure, assisted=True)
    drafts.save(
        draft,
        {"applicant_name": "Lê Thị Cúc", "personal_id": "068190054321", "phone": "0987 654 321"},
    )
    _complete(draft, online_procedure)
    dossier = drafts.submit(draft, actor=staff["desk"])
    assert dossier.channel == Channel.ONLINE_ASSISTED and dossier.is_electronic
    assert dossier.applicant_user is None and dossier.applicant_phone == "0987654321"
    assert dossier.created_by == staff["desk"]


def test_only_a_desk_officer_may_submit_for_someone_else(citizen, ward, online_procedure):
    with pytest.raises(ValidationError):
        drafts.start(citizen, ward, online_procedure, assisted=True)


def test_a_citizen_cannot_open_another_citizens_draft_or_dossier(
    client, citizen, ward, online_procedure, django_user_model
):
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    other = django_user_model.objects.create_user(
        username="khac", password="x-Strong-Pass-1", is_citizen=True
    )
    client.force_login(other)
    assert client.get(f"/cong-dan/ho-so-nhap/{draft.pk}/").status_code == 404


def test_the_draft_page_keeps_what_was_typed_when_submission_fails(
    client, citizen, ward, online_procedure
):
    client.force_login(citizen)
    response = client.post(f"/thu-tuc/{online_procedure.pk}/nop/")
    draft_url = response["Location"]
    page = client.post(
        draft_url,
        {
            "applicant_name": "Trần Văn Bình",
            "phone": "0912345678",
            "address": "Số 7 đường Lê Lợi",
            "submit": "1",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'value="Số 7 đường Lê Lợi"' in html
    assert "Tờ khai đăng ký" in html and 'role="alert"' in html


def test_the_desk_opens_the_uploaded_papers_and_nobody_else_does(
    client, citizen, ward, other_ward, online_procedure, staff
):
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    _complete(draft, online_procedure)
    dossier = drafts.submit(draft, actor=citizen)
    paper = dossier.papers.first()
    url = f"/mot-cua/ho-so/{dossier.pk}/giay-to/{paper.pk}/"
    client.force_login(staff["desk"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert url in client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    from tests.conftest import make_user

    client.force_login(make_user("khac", other_ward, "desk_officer"))
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 403  # a citizen holds no desk role


def test_an_uploaded_file_is_stored_under_our_name_and_keeps_its_own_only_as_a_label(
    citizen, ward, online_procedure, staff
):
    from tests.sample_files import pdf_bytes

    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    paper = online_procedure.papers.filter(optional=False).first()
    upload = SimpleUploadedFile("../../Giấy khai sinh <b>.pdf", pdf_bytes(), "application/pdf")
    row = drafts.add_file(draft, paper.pk, upload)
    stored = row.file.name.rsplit("/", 1)[-1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored), row.file.name
    assert row.original_name == "Giấy khai sinh <b>.pdf"  # a label, never a path
    _complete(draft, online_procedure)
    dossier = drafts.submit(draft, actor=citizen)
    for scan in dossier.papers.exclude(scan="").values_list("scan", flat=True):
        assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg|png)", scan.rsplit("/", 1)[-1]), scan


def test_an_autosave_that_arrives_after_the_draft_was_submitted_is_a_404_not_a_500(
    client, citizen, ward, online_procedure, monkeypatch
):
    from motcua.portal.views import apply

    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    found = apply._own_draft

    def found_then_submitted_elsewhere(request, pk):  # type: ignore[no-untyped-def]
        item = found(request, pk)
        Draft.objects.filter(pk=pk).delete()  # the "Nộp" request won the race
        return item

    monkeypatch.setattr(apply, "_own_draft", found_then_submitted_elsewhere)
    client.force_login(citizen)
    answer = client.post(
        f"/cong-dan/ho-so-nhap/{draft.pk}/",
        {"address": "Khu phố 2", "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 404
    assert not Draft.objects.exists()
