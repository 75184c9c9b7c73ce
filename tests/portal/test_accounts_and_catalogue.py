"""Citizen accounts (sign-up, proof of contact, sign-in by id/phone/e-mail) and the catalogue."""

import pytest
from django.core.exceptions import ValidationError

from motcua.core.models import OutboxMessage, User
from motcua.portal.models import VerificationCode
from motcua.portal.services import accounts
from motcua.procedures.models import OnlineLevel

SIGN_UP = {"full_name": "Lê Thị Hồng", "personal_id": "068195001234", "phone": "0905 123 456",
           "email": "Hong.Le@Example.vn", "password": "Mat-Khau-Rat-Manh-2026"}  # fmt: skip


def _code_sent(user: User, channel: str) -> str:
    message = OutboxMessage.objects.filter(recipient_user=user, channel=channel).latest("id")
    return message.subject.rsplit(" ", 1)[-1] if channel == "email" else message.body.split()[5]


def test_sign_up_creates_an_unconfirmed_citizen_and_sends_a_code_by_email_and_sms(db):
    user = accounts.sign_up(accounts.SignUp(**SIGN_UP))
    assert user.is_citizen and user.phone == "0905123456" and user.email == "hong.le@example.vn"
    assert not accounts.is_verified(user)
    assert VerificationCode.objects.filter(user=user).count() == 2
    code = _code_sent(user, "email")
    assert len(code) == 6 and code.isdigit()
    assert accounts.verify_code(user, code) == "email" and accounts.is_verified(user)


def test_a_wrong_code_is_counted_and_five_wrong_codes_burn_it(db):
    user = accounts.sign_up(accounts.SignUp(**{**SIGN_UP, "phone": ""}))
    code = _code_sent(user, "email")
    for _ in range(5):
        with pytest.raises(ValidationError):
            accounts.verify_code(user, "000000" if code != "000000" else "111111")
    with pytest.raises(ValidationError):  # the right code no longer works either
        accounts.verify_code(user, code)


def test_sign_up_reports_every_problem_and_saves_nothing(db, citizen):
    data = {**SIGN_UP, "personal_id": citizen.personal_id, "phone": "12345", "password": "123"}
    with pytest.raises(ValidationError) as caught:
        accounts.sign_up(accounts.SignUp(**data))
    assert {"personal_id", "phone", "password"} <= set(caught.value.message_dict)
    assert User.objects.count() == 1


@pytest.mark.parametrize("identifier", ["068090012345", "0912 345 678", "BINH@example.vn"])
def test_a_citizen_signs_in_with_id_number_phone_or_email(client, citizen, identifier):
    response = client.post("/cong-dan/dang-nhap/", {"username": identifier,
                                                    "password": "Cong-Dan-2026!"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/"


def test_sign_in_locks_out_after_repeated_failures(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/cong-dan/dang-nhap/", {"username": "068090012345", "password": "sai"})
    right = client.post("/cong-dan/dang-nhap/", {"username": "068090012345",
                                                 "password": "Cong-Dan-2026!"})  # fmt: skip
    assert right.status_code in (403, 429) and "_auth_user_id" not in client.session


def test_the_sign_up_form_keeps_what_was_typed_and_ignores_bots(client, db):
    page = client.post("/cong-dan/dang-ky/", {**SIGN_UP, "personal_id": "123"})
    html = page.content.decode()
    assert page.status_code == 200 and 'value="Lê Thị Hồng"' in html and 'role="alert"' in html
    bot = client.post("/cong-dan/dang-ky/", {**SIGN_UP, "website": "http://spam.example"})
    assert bot.status_code == 302 and not User.objects.exists()


def test_sign_up_is_rate_limited_per_address(client, db, settings):
    settings.MOTCUA_SIGNUP_RATE = "2/h"
    codes = [client.post("/cong-dan/dang-ky/", {**SIGN_UP, "personal_id": "1"}).status_code
             for _ in range(3)]  # fmt: skip
    assert codes == [200, 200, 429]


def test_the_catalogue_finds_procedures_without_diacritics_and_filters_them(
    client, ward, online_procedure
):
    page = client.get("/dich-vu-cong/", {"q": "dang ky NHAN cha me"}).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" in page
    assert "Đăng ký nhận cha" not in client.get("/dich-vu-cong/", {"q": "khai tu"}).content.decode()
    full = client.get("/dich-vu-cong/", {"muc-do": OnlineLevel.FULL}).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" not in full  # it is một phần
    detail = client.get(f"/thu-tuc/{online_procedure.pk}/").content.decode()
    assert "Tờ khai đăng ký" in detail and "50.000 đ" in detail and "Nộp trực tuyến" in detail


def test_an_unpublished_procedure_is_not_in_the_catalogue(client, ward, online_procedure):
    online_procedure.published = False
    online_procedure.save()
    assert client.get(f"/thu-tuc/{online_procedure.pk}/").status_code == 404


@pytest.mark.parametrize(
    "target, lands_on",
    [
        ("https://elsewhere.example/", "/cong-dan/ho-so/"),
        ("//elsewhere.example/x", "/cong-dan/ho-so/"),
        ("/thu-tuc/1/", "/thu-tuc/1/"),
    ],
)
def test_the_confirmation_link_sends_on_only_within_our_own_site(client, citizen, target, lands_on):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.portal.models import VerificationCode
    from motcua.portal.services.accounts import _digest

    citizen.phone_verified_at = None
    citizen.save(update_fields=["phone_verified_at"])
    VerificationCode.objects.create(
        user=citizen,
        channel="sms",
        recipient=citizen.phone,
        code_hash=_digest("123456"),
        expires_at=timezone.now() + timedelta(minutes=30),
    )
    client.force_login(citizen)
    response = client.get("/cong-dan/xac-thuc/", {"code": "123456", "next": target})
    assert response.status_code == 302 and response["Location"] == lands_on
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is not None  # the code was used all the same
