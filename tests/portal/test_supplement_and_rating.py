"""Answering a supplement request online; rating on the result page, look-up page and kiosk."""

import pytest
from django.core.exceptions import ValidationError

from motcua.core.errors import TransitionRefused
from motcua.dossiers.models import Status
from motcua.dossiers.selectors import queue
from motcua.dossiers.services import handling, intake
from motcua.dossiers.services.actions import perform
from motcua.dossiers.services.online import OnlinePaper
from motcua.portal.models import Rating, RatingSource
from motcua.portal.services import drafts, ratings

from .conftest import pdf

RATING = {
    "time": "on_time",
    "contacts": "0",
    "agencies": "1",
    "attitude": "courteous",
    "publicity": "full",
    "satisfaction": "very_satisfied",
}


@pytest.fixture
def online_dossier(citizen, ward, online_procedure):  # type: ignore[no-untyped-def]
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    for paper in online_procedure.papers.filter(optional=False):
        drafts.add_file(draft, paper.pk, pdf())
    drafts.save(draft, {"declaration": True})
    return drafts.submit(draft, actor=citizen)


def _answer(dossier, citizen, note="Đã bổ sung"):  # type: ignore[no-untyped-def]
    paper = OnlinePaper(name="Bổ sung: giấy khai sinh", file=pdf("khai-sinh.pdf"), sha256="0" * 64)
    perform("answer_supplement", dossier, citizen, {"papers": [paper], "note": note})


def test_a_supplement_sent_online_before_receipt_returns_the_dossier_to_the_desk(
    online_dossier,
    citizen,
    staff,
):
    intake.request_supplement(
        online_dossier,
        actor=staff["desk"],
        items=["Bản sao giấy khai sinh"],
        reason="Thiếu giấy tờ",
    )
    assert online_dossier.status == Status.SUPPLEMENT_REQUESTED
    assert online_dossier not in queue(staff["desk"], "to_receive")
    _answer(online_dossier, citizen)
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.PENDING
    assert online_dossier in queue(staff["desk"], "to_receive")
    request = online_dossier.supplements.get()
    assert request.answered_at and request.papers.count() == 1
    with pytest.raises(TransitionRefused):  # answered once; the desk decides what happens next
        _answer(online_dossier, citizen)


def test_a_supplement_sent_online_during_appraisal_shows_in_the_desk_queue(
    online_dossier,
    citizen,
    staff,
):
    intake.receive(online_dossier, actor=staff["desk"])  # e-dossiers go to the handler at once
    handling.assign(online_dossier, actor=staff["chairman"], to_user=staff["justice"])
    handling.request_supplement_in_appraisal(
        online_dossier, actor=staff["justice"], items=["Bản sao sổ hộ khẩu"], reason="Cần đối chiếu"
    )
    _answer(online_dossier, citizen)
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.AWAITING_SUPPLEMENT  # the clock restarts at the desk
    assert online_dossier in queue(staff["desk"], "to_receive")
    handling.receive_supplement(online_dossier, actor=staff["desk"])
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.IN_PROGRESS
    assert online_dossier not in queue(staff["desk"], "to_receive")


def test_only_the_applicant_can_answer_a_supplement_request(
    online_dossier,
    staff,
    django_user_model,
):
    intake.request_supplement(online_dossier, actor=staff["desk"], items=["X"], reason="Y")
    stranger = django_user_model.objects.create_user(username="la", is_citizen=True)
    with pytest.raises(TransitionRefused):
        _answer(online_dossier, stranger)


def test_a_dossier_is_rated_once_and_only_when_its_result_is_ready(online_dossier, staff):
    with pytest.raises(ValidationError):
        ratings.rate(online_dossier, RATING, source=RatingSource.ONLINE)
    online_dossier.status = Status.RETURNED
    online_dossier.save()
    rating = ratings.rate(online_dossier, RATING, source=RatingSource.ONLINE)
    assert rating.points() == {
        "time": 1,
        "contacts": 2,
        "agencies": 2,
        "attitude": 2,
        "publicity": 2,
    }
    with pytest.raises(ValidationError, match="đã được đánh giá"):
        ratings.rate(online_dossier, RATING, source=RatingSource.KIOSK)
    with pytest.raises(ValidationError):
        ratings.rate(online_dossier, {**RATING, "attitude": "rude"}, source=RatingSource.ONLINE)


def test_the_public_look_up_lets_the_applicant_rate_without_signing_in(
    client,
    online_dossier,
    staff,
):
    intake.receive(online_dossier, actor=staff["desk"])
    online_dossier.refresh_from_db()
    online_dossier.status = Status.RETURNED
    online_dossier.save()
    page = client.post("/tra-cuu/", {"code": online_dossier.code, "phone": "0912345678"})
    assert 'action="/tra-cuu/danh-gia/"' in page.content.decode()
    wrong = client.post(
        "/tra-cuu/danh-gia/", {"code": online_dossier.code, "phone": "0900000000", **RATING}
    )
    assert wrong.status_code == 200 and not Rating.objects.exists()
    client.post(
        "/tra-cuu/danh-gia/", {"code": online_dossier.code, "phone": "0912345678", **RATING}
    )
    assert Rating.objects.get().source == RatingSource.LOOKUP


def test_the_counter_kiosk_offers_the_dossier_the_officer_just_returned(
    client,
    ward,
    procedure,
    staff,
):
    from motcua.dossiers.services import closing
    from tests.dossiers.conftest import new_dossier

    d = new_dossier(ward, procedure, staff["desk"])
    intake.receive(d, actor=staff["desk"])
    handling.transfer(d, actor=staff["desk"], to_user=staff["justice"])
    handling.hand_over(d, actor=staff["justice"], to_user=staff["chairman"])
    handling.approve(d, actor=staff["chairman"], to_user=staff["desk"])
    handling.attach_result(d, actor=staff["desk"], paper=True)
    client.force_login(staff["desk"])
    assert d.code not in client.get("/mot-cua/danh-gia/").content.decode()
    closing.return_result(d, actor=staff["desk"], method="desk")
    assert d.code in client.get("/mot-cua/danh-gia/").content.decode()
    client.post("/mot-cua/danh-gia/", {"dossier": d.pk, **RATING})
    assert Rating.objects.get(dossier=d).source == RatingSource.KIOSK
    assert d.code not in client.get("/mot-cua/danh-gia/").content.decode()


def test_the_applicant_chooses_the_post_with_an_address_until_the_result_is_returned(
    online_dossier, citizen, staff
):
    from motcua.dossiers.services.online import choose_delivery

    with pytest.raises(ValidationError):
        choose_delivery(online_dossier, actor=citizen, method="post", address="")
    choose_delivery(online_dossier, actor=citizen, method="post",
                    address="Số 7 Lê Lợi, khu phố 2, phường Phú Thủy")  # fmt: skip
    online_dossier.refresh_from_db()
    assert online_dossier.delivery_method == "post" and "Lê Lợi" in online_dossier.delivery_address
    with pytest.raises(TransitionRefused):
        choose_delivery(online_dossier, actor=staff["desk"], method="desk")
    online_dossier.status = Status.RETURNED
    online_dossier.save()
    with pytest.raises(TransitionRefused):
        choose_delivery(online_dossier, actor=citizen, method="desk")


def test_the_applicant_downloads_their_forms_but_not_the_desks_control_sheet(
    client, online_dossier, citizen, staff
):
    intake.receive(online_dossier, actor=staff["desk"])
    client.force_login(citizen)
    receipt = client.get(f"/cong-dan/ho-so/{online_dossier.pk}/mau/receipt.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    sheet = client.get(f"/cong-dan/ho-so/{online_dossier.pk}/mau/control_sheet.pdf")
    assert sheet.status_code == 404
    client.force_login(staff["desk"])  # staff are not the applicant: not through the portal
    assert client.get(f"/cong-dan/ho-so/{online_dossier.pk}/").status_code == 404
