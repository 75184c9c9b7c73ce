"""Incoming and outgoing documents: numbering, duplicates, direction and deadlines,
confidentiality, electronic exchange between units, search without diacritics."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.errors import TransitionRefused
from motcua.core.models import AuditEvent, OutboxMessage, Position, Role
from motcua.documents import selectors
from motcua.documents.models import DocumentType, IncomingStatus, OutgoingDocument
from motcua.documents.services import incoming, outgoing
from tests.conftest import make_user


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)


def letter(**changes):  # type: ignore[no-untyped-def]
    data = {
        "issuer": "UBND tỉnh Lâm Đồng",
        "reference": "123/UBND-VX",
        "document_date": date(2026, 11, 20),
        "type": DocumentType.objects.get(code="CV"),
        "abstract": "V/v đẩy mạnh cải cách hành chính, chuyển đổi số năm 2026",
    }
    return incoming.IncomingData(**{**data, **changes})


def test_there_are_29_document_types_and_a_cong_van_has_no_abbreviation(db):
    assert DocumentType.objects.count() == 29
    assert DocumentType.objects.get(code="CV").is_letter
    assert DocumentType.objects.get(code="QD").abbreviation == "QĐ"


def test_incoming_numbers_restart_on_1_january_and_secret_ones_have_their_own_series(ward, people):
    clerk = people["clerk"]
    first = incoming.register(ward, letter(reference="1/A"), actor=clerk, at=at("31/12/2026 16:00"))
    secret = incoming.register(
        ward,
        letter(reference="2/A", confidentiality="secret"),
        actor=clerk,
        at=at("31/12/2026 16:30"),
    )
    new_year = incoming.register(
        ward, letter(reference="3/A"), actor=clerk, at=at("01/01/2027 07:30")
    )
    assert [(d.year, d.number, d.secret_series) for d in (first, secret, new_year)] == [
        (2026, 1, False),
        (2026, 1, True),
        (2027, 1, False),
    ]


def test_the_same_number_and_symbol_from_the_same_issuer_warns_before_registering(ward, people):
    incoming.register(ward, letter(), actor=people["clerk"])
    with pytest.raises(incoming.PossibleDuplicate, match="123/UBND-VX"):
        incoming.register(ward, letter(issuer="Ubnd tinh Lam Dong"), actor=people["clerk"])
    again = incoming.register(ward, letter(), actor=people["clerk"], confirm_duplicate=True)
    assert again.number == 2


def test_a_leader_directs_with_a_deadline_and_late_documents_are_overdue(ward, people):
    document = incoming.register(ward, letter(), actor=people["clerk"])
    with pytest.raises(TransitionRefused):
        incoming.direct(document, leader=people["officer"], lead=people["officer"])
    now = timezone.now()
    incoming.direct(
        document,
        leader=people["chairman"],
        lead=people["officer"],
        supporting=[people["other"]],
        deadline=now + timedelta(days=1),
        note="Tham mưu báo cáo",
    )
    assert document.status == IncomingStatus.DIRECTED
    assert document in selectors.assigned_to(people["officer"])
    assert document in selectors.assigned_to(people["other"])
    assert document in selectors.due_soon(people["officer"], now)
    assert document in selectors.overdue(people["officer"], now + timedelta(days=2))
    assert OutboxMessage.objects.filter(
        kind="document_assigned", recipient="tuphap@phuthuy.gov.vn"
    ).exists()
    with pytest.raises(TransitionRefused):  # not named by the leader
        incoming.record_progress(
            document,
            actor=make_user("x", ward, Role.SPECIALIST, Position.LAND_CONSTRUCTION),
            note="?",
        )
    incoming.record_progress(document, actor=people["officer"], note="Đã tham mưu", done=True)
    assert document.status == IncomingStatus.DONE
    assert document not in selectors.overdue(people["officer"], now + timedelta(days=2))


def test_a_confidential_document_is_seen_only_by_the_people_named_on_it(ward, people):
    document = incoming.register(ward, letter(confidentiality="secret"), actor=people["clerk"])
    assert document not in selectors.incoming_for(people["officer"])
    incoming.direct(document, leader=people["chairman"], lead=people["officer"])
    assert document in selectors.incoming_for(people["officer"])
    assert document not in selectors.incoming_for(people["other"])


def _issued(unit, people, type_code="QD", **changes):  # type: ignore[no-untyped-def]
    abstract = "V/v tổ chức tuyên truyền" if type_code == "CV" else "Về việc kiện toàn tổ"
    data = outgoing.Draft(
        type=DocumentType.objects.get(code=type_code), abstract=abstract, **changes
    )
    document = outgoing.draft(unit, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return document


def test_outgoing_numbers_are_given_at_issue_with_the_right_symbol(ward, people):
    decision = _issued(ward, people)
    letter_ = _issued(ward, people, "CV", drafting_office="vp")
    secret = _issued(ward, people, confidentiality="secret")
    assert decision.reference == "" and decision.number is None  # not numbered before issue
    for document in (decision, letter_, secret):
        outgoing.issue(document, actor=people["clerk"], at=at("02/03/2026 10:00"))
    assert [decision.reference, letter_.reference, secret.reference] == [
        "01/QĐ-UBND",
        "02/UBND-VP",
        "01/QĐ-UBND",
    ]
    assert secret.secret_series and not decision.secret_series
    with pytest.raises(TransitionRefused):
        outgoing.issue(decision, actor=people["clerk"])  # once only


def test_a_cong_van_needs_an_abstract_starting_with_vv(ward, people):
    with pytest.raises(ValidationError):
        outgoing.draft(
            ward,
            outgoing.Draft(
                type=DocumentType.objects.get(code="CV"), abstract="Tổ chức tuyên truyền"
            ),
            actor=people["officer"],
        )


def test_only_an_approved_document_is_issued_and_only_by_the_clerk(ward, people):
    data = outgoing.Draft(type=DocumentType.objects.get(code="TB"), abstract="Thông báo lịch")
    document = outgoing.draft(ward, data, actor=people["officer"])
    with pytest.raises(TransitionRefused):
        outgoing.issue(document, actor=people["clerk"])
    outgoing.submit(document, actor=people["officer"])
    with pytest.raises(TransitionRefused):
        outgoing.approve(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    with pytest.raises(TransitionRefused):
        outgoing.issue(document, actor=people["officer"])


def test_a_document_issued_to_another_unit_arrives_there_as_incoming(ward, other_ward, people):
    clerk_b = make_user("vanthu_b", other_ward, Role.CLERK)
    document = _issued(ward, people, "CV", recipient_units=[other_ward])
    outgoing.issue(document, actor=people["clerk"])
    arrived = selectors.incoming_for(clerk_b).get()
    assert arrived.source == document and arrived.reference == document.reference
    assert arrived.received_via == "electronic" and arrived.number == 1
    assert arrived.issuer == ward.committee_name
    incoming.acknowledge(arrived, actor=clerk_b)
    assert arrived.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="incoming.acknowledge").exists()


def test_search_finds_documents_without_diacritics_in_any_field(ward, people):
    incoming.register(ward, letter(), actor=people["clerk"])
    incoming.register(
        ward,
        letter(reference="9/SNV", issuer="Sở Nội vụ", abstract="V/v thi đua khen thưởng"),
        actor=people["clerk"],
    )
    found = selectors.search_incoming(people["clerk"], "cai cach hanh chinh")
    assert [d.reference for d in found] == ["123/UBND-VX"]
    assert [d.reference for d in selectors.search_incoming(people["clerk"], "so noi vu")] == [
        "9/SNV"
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_gives_unique_gapless_numbers(ward, people):
    documents = [_issued(ward, people) for _ in range(12)]
    errors: list[Exception] = []

    def issue(document: OutgoingDocument) -> None:
        try:
            outgoing.issue(document, actor=people["clerk"])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13))


def test_search_finds_words_inside_the_pdf_of_an_outgoing_document(ward, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    pdf = HTML(string="<p>Kế hoạch tuyên truyền chuyển đổi số tại khu phố 3</p>").write_pdf()
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="KH"),
        abstract="Kế hoạch năm",
        file=SimpleUploadedFile("ke-hoach.pdf", pdf),
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    assert list(selectors.search_outgoing(people["officer"], "chuyen doi so khu pho")) == [document]
    assert list(selectors.search_outgoing(people["officer"], "tuyen truyen ha noi")) == []


def test_a_document_is_presented_by_the_end_of_the_next_working_day_urgent_ones_at_once(
    ward, people
):
    friday = at("06/03/2026 16:00")
    normal = incoming.register(ward, letter(reference="1/B"), actor=people["clerk"], at=friday)
    urgent = incoming.register(ward, letter(reference="2/B", urgency="urgent"),
                               actor=people["clerk"], at=friday)  # fmt: skip
    assert normal.present_by == at("09/03/2026 17:00")  # Monday's end: the weekend is skipped
    assert urgent.present_by == friday
    late = selectors.late_to_present(people["clerk"], now=at("10/03/2026 08:00"))
    assert set(late) == {normal, urgent}
    incoming.direct(normal, leader=people["chairman"], lead=people["officer"])
    assert normal not in selectors.late_to_present(people["clerk"], now=at("10/03/2026 08:00"))


def test_every_view_of_a_secret_outgoing_document_and_its_file_is_audited(
    client, ward, people, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from weasyprint import HTML

    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)  # the leader signs it

    pdf = SimpleUploadedFile("mat.pdf", HTML(string="<p>Mật</p>").write_pdf())
    secret = _issued(ward, people, confidentiality="secret", file=pdf)
    plain = _issued(ward, people)
    client.force_login(people["chairman"])
    client.get(reverse("documents-outgoing", args=[secret.pk]))
    client.get(reverse("documents-outgoing", args=[plain.pk]))
    client.get(reverse("documents-outgoing-file", args=[secret.pk]))
    seen = AuditEvent.objects.filter(actor=people["chairman"], action__endswith="view")
    assert [(e.action, e.object_id) for e in seen.order_by("id")] == [
        ("outgoing.view", str(secret.pk)),
        ("outgoing.file_view", str(secret.pk)),
    ]


def test_only_a_leader_or_the_clerk_publishes_and_never_a_secret_document(ward, people):
    document = outgoing.issue(_issued(ward, people), actor=people["clerk"])
    with pytest.raises(TransitionRefused):
        outgoing.set_public(document, actor=people["officer"], public=True)
    outgoing.set_public(document, actor=people["clerk"], public=True)
    assert document.public
    assert AuditEvent.objects.filter(action="outgoing.publish", object_id=str(document.pk)).exists()
    secret = _issued(ward, people, confidentiality="secret")
    with pytest.raises(ValidationError):
        outgoing.set_public(secret, actor=people["chairman"], public=True)
    with pytest.raises(ValidationError):
        outgoing.draft(
            ward,
            outgoing.Draft(type=document.type, abstract="Về việc mật", confidentiality="secret",
                           public=True),
            actor=people["officer"],
        )  # fmt: skip
