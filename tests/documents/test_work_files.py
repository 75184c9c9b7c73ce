"""Work files (hồ sơ công việc): the yearly plan, opening, filing documents and dossiers,
closing, and the PDF of a file."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from motcua.core.errors import TransitionRefused
from motcua.core.models import AuditEvent, Position, Role
from motcua.documents.models import DocumentType, FiledItem, FilePlan
from motcua.documents.services import outgoing
from motcua.documents.workfiles import services
from motcua.documents.workfiles.export import work_file_pdf
from motcua.documents.workfiles.models import WorkFileStatus
from motcua.dossiers.services.intake import receive
from tests.conftest import make_user
from tests.documents import factories
from tests.documents.factories import letter
from tests.dossiers.conftest import make_procedure, new_dossier

YEAR = 2026


@pytest.fixture
def people(ward, other_ward):  # type: ignore[no-untyped-def]
    return {
        "clerk": make_user("vanthu", ward, Role.CLERK),
        "leader": make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN),
        "keeper": make_user("tuphap", ward, Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS),
        "other": make_user("vanhoa", ward, Role.SPECIALIST, Position.CULTURE_SOCIETY),
        "desk": make_user("motcua", ward, Role.DESK_OFFICER),
        "foreign_clerk": make_user("vanthu2", other_ward, Role.CLERK),
    }


def issued_letter(ward, people):  # type: ignore[no-untyped-def]
    return factories.issued_letter(
        ward, author=people["keeper"], leader=people["leader"], clerk=people["clerk"]
    )


@pytest.fixture
def work_file(ward, people):  # type: ignore[no-untyped-def]
    plan = services.plan_for(ward, YEAR, actor=people["clerk"])
    return services.open_file(
        plan,
        actor=people["keeper"],
        code="01.tp ",
        title="Hồ sơ cải cách hành chính năm 2026",
        keeper=people["keeper"],
        retention="5 năm",
    )


@pytest.fixture
def dossier(ward, province, people):  # type: ignore[no-untyped-def]
    d = new_dossier(ward, make_procedure(province), people["desk"])
    return receive(d, actor=people["desk"])


def actions(unit) -> list[str]:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(unit=unit, action__startswith="workfile.")
    return list(events.order_by("seq").values_list("action", flat=True))


def test_a_unit_has_one_file_plan_a_year_kept_by_the_clerk_or_a_leader(ward, other_ward, people):
    plan = services.plan_for(ward, YEAR, actor=people["clerk"])
    assert services.plan_for(ward, YEAR, actor=people["leader"]) == plan
    assert services.plan_for(ward, YEAR + 1, actor=people["leader"]) != plan
    foreign = services.plan_for(other_ward, YEAR, actor=people["foreign_clerk"])
    assert foreign != plan and FilePlan.objects.count() == 3
    with pytest.raises(TransitionRefused) as refused:
        services.plan_for(ward, YEAR, actor=people["keeper"])
    assert refused.value.by_role
    with pytest.raises(TransitionRefused):
        services.plan_for(ward, YEAR, actor=people["foreign_clerk"])
    assert actions(ward) == ["workfile.plan", "workfile.plan"]  # created twice, not re-created


def test_officers_open_their_own_files_and_the_clerk_opens_them_for_others(ward, people, work_file):
    assert work_file.code == "01.TP" and work_file.status == WorkFileStatus.OPEN
    assert work_file.keeper == people["keeper"] and work_file.opened_at
    plan = work_file.plan
    kwargs = {"title": "Hồ sơ thi đua", "retention": "Vĩnh viễn"}
    by_clerk = services.open_file(
        plan, actor=people["clerk"], code="02.VH", keeper=people["other"], **kwargs
    )
    assert by_clerk.keeper == people["other"]
    with pytest.raises(TransitionRefused) as refused:
        services.open_file(
            plan, actor=people["keeper"], code="03.VH", keeper=people["other"], **kwargs
        )
    assert refused.value.by_role
    with pytest.raises(ValidationError) as taken:
        services.open_file(
            plan, actor=people["keeper"], code="01.TP", keeper=people["keeper"], **kwargs
        )
    assert "01.TP" in str(taken.value) and "2026" in str(taken.value)
    with pytest.raises(ValidationError):
        services.open_file(
            plan, actor=people["clerk"], code="04.X", keeper=people["foreign_clerk"], **kwargs
        )
    assert actions(ward) == ["workfile.plan", "workfile.open", "workfile.open"]


def test_incoming_outgoing_documents_and_dossiers_are_filed(ward, people, work_file, dossier):
    received = letter(ward, people["clerk"])
    sent = issued_letter(ward, people)
    services.file_item(work_file, actor=people["keeper"], incoming=received)
    services.file_item(work_file, actor=people["clerk"], outgoing=sent)
    services.file_item(work_file, actor=people["leader"], dossier=dossier)
    items = {f.item for f in work_file.items.all()}
    assert items == {received, sent, dossier}
    assert actions(ward).count("workfile.file") == 3
    event = AuditEvent.objects.filter(action="workfile.file").order_by("seq").first()
    assert event is not None and event.after["label"] == str(received)


def test_only_the_keeper_the_clerk_or_a_leader_files(ward, people, work_file):
    received = letter(ward, people["clerk"])
    for outsider in (people["other"], people["desk"]):
        with pytest.raises(TransitionRefused) as refused:
            services.file_item(work_file, actor=outsider, incoming=received)
        assert refused.value.by_role
    with pytest.raises(ValidationError):
        services.file_item(work_file, actor=people["keeper"])  # nothing to file


def test_an_item_is_filed_in_one_work_file_only(ward, people, work_file):
    received = letter(ward, people["clerk"])
    services.file_item(work_file, actor=people["keeper"], incoming=received)
    with pytest.raises(ValidationError):
        services.file_item(work_file, actor=people["keeper"], incoming=received)
    second = services.open_file(
        work_file.plan,
        actor=people["clerk"],
        code="02.VP",
        title="Hồ sơ khác",
        keeper=people["clerk"],
        retention="10 năm",
    )
    with pytest.raises(ValidationError) as twice:
        services.file_item(second, actor=people["clerk"], incoming=received)
    assert "01.TP" in str(twice.value)
    assert FiledItem.objects.count() == 1


def test_another_units_items_and_officers_stay_out(ward, other_ward, people, work_file):
    theirs = letter(other_ward, people["foreign_clerk"])
    with pytest.raises(ValidationError) as refused:
        services.file_item(work_file, actor=people["clerk"], incoming=theirs)
    assert ward.name in str(refused.value)
    with pytest.raises(TransitionRefused) as outsider:
        services.file_item(work_file, actor=people["foreign_clerk"], incoming=theirs)
    assert outsider.value.by_role
    assert not FiledItem.objects.exists()


def test_drafts_and_unreceived_dossiers_are_not_filed(ward, province, people, work_file):
    data = outgoing.Draft(type=DocumentType.objects.get(code="CV"), abstract="V/v dự thảo")
    draft = outgoing.draft(ward, data, actor=people["keeper"])
    with pytest.raises(ValidationError):
        services.file_item(work_file, actor=people["keeper"], outgoing=draft)
    unreceived = new_dossier(ward, make_procedure(province), people["desk"])
    with pytest.raises(ValidationError):
        services.file_item(work_file, actor=people["keeper"], dossier=unreceived)


def test_a_confidential_document_is_filed_only_by_people_named_on_it(ward, people, work_file):
    secret = letter(ward, people["clerk"], confidentiality="secret")
    with pytest.raises(TransitionRefused):
        services.file_item(work_file, actor=people["keeper"], incoming=secret)
    services.file_item(work_file, actor=people["clerk"], incoming=secret)


def test_the_keeper_or_a_leader_closes_and_a_closed_file_takes_nothing_more(
    ward, people, work_file
):
    for refused_actor in (people["clerk"], people["other"], people["foreign_clerk"]):
        with pytest.raises(TransitionRefused) as refused:
            services.close(work_file, actor=refused_actor)
        assert refused.value.by_role
    services.close(work_file, actor=people["keeper"], note="Đã xong việc")
    assert work_file.status == WorkFileStatus.CLOSED
    assert work_file.closed_by == people["keeper"] and work_file.closed_at
    with pytest.raises(TransitionRefused) as closed:
        services.file_item(
            work_file, actor=people["keeper"], incoming=letter(ward, people["clerk"])
        )
    assert not closed.value.by_role and "01.TP" in str(closed.value)
    with pytest.raises(TransitionRefused):
        services.close(work_file, actor=people["leader"])
    event = AuditEvent.objects.get(unit=ward, action="workfile.close")
    assert event.before["status"] == "open" and event.after["status"] == "closed"
    assert event.reason == "Đã xong việc"


def test_a_leader_closes_another_officers_file(people, work_file):
    services.close(work_file, actor=people["leader"])
    assert work_file.closed_by == people["leader"]


def test_the_database_wants_exactly_one_item(people, work_file, ward):
    received = letter(ward, people["clerk"])
    sent = issued_letter(ward, people)
    common = {"work_file": work_file, "filed_by": people["clerk"], "filed_at": timezone.now()}
    for items in ({}, {"incoming": received, "outgoing": sent}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FiledItem.objects.create(**common, **items)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_the_pdf_has_the_cover_and_lists_the_items(ward, people, work_file, dossier):
    received = letter(ward, people["clerk"])
    sent = issued_letter(ward, people)
    for kind, item in (("incoming", received), ("outgoing", sent), ("dossier", dossier)):
        services.file_item(work_file, actor=people["clerk"], **{kind: item})
    services.close(work_file, actor=people["keeper"])
    pdf = work_file_pdf(work_file)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    text = text_of(pdf)
    assert "Hồ sơ cải cách hành chính năm 2026" in text and "01.TP" in text
    assert "Phường Phú Thuỷ".upper() in text and "5 năm" in text and "tuphap" in text
    assert "123/UBND-VX" in text and "20/11/2026" in text
    assert sent.reference in text and "V/v báo cáo cải cách hành chính" in text
    assert dossier.code in text and "Đăng ký nhận cha, mẹ, con" in text
    assert "Gồm: 3 văn bản" in text
