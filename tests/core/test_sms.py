"""The eSMS adapter against the local simulator, over real HTTP."""

import json
from collections.abc import Iterator

import pytest

from motcua.core.messaging.sms import (
    DeliveryError,
    ESmsGateway,
    FileGateway,
    get_gateway,
    normalise_phone,
    strip_diacritics,
)
from motcua.core.messaging.sms_simulator import RunningSimulator, start_sms_simulator

KEY, SECRET, BRAND = "test-key", "test-secret", "UBND-PHUTHUY"


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    running = start_sms_simulator(KEY, SECRET, BRAND)
    yield running
    running.stop()


@pytest.fixture
def gateway(simulator: RunningSimulator) -> ESmsGateway:
    return ESmsGateway(simulator.base_url, KEY, SECRET, BRAND, timeout=5)


def test_a_sent_message_reaches_the_provider_as_brand_name_customer_care(gateway, simulator):
    sms_id = gateway.send("+84 912 345 678", "Ho so 000.00.24.H36-260101-0001 da co ket qua", "r1")

    [message] = simulator.messages
    assert sms_id == message["SMSID"]
    assert message["Phone"] == "0912345678"
    assert message["Content"] == "Ho so 000.00.24.H36-260101-0001 da co ket qua"
    assert (message["Brandname"], message["SmsType"], message["RequestId"]) == (BRAND, "2", "r1")
    assert message["IsUnicode"] == "0"


def test_only_text_with_diacritics_is_sent_as_unicode(gateway, simulator):
    gateway.send("0912345678", "Hồ sơ đã có kết quả", "r1")

    assert simulator.messages[0]["IsUnicode"] == "1"


def test_a_wrong_key_is_a_permanent_failure(simulator):
    wrong = ESmsGateway(simulator.base_url, KEY, "not-the-secret", BRAND)

    with pytest.raises(DeliveryError, match="101") as caught:
        wrong.send("0912345678", "Xin chao", "r1")
    assert caught.value.temporary is False
    assert simulator.messages == []


def test_an_unregistered_brandname_is_a_permanent_failure(simulator):
    wrong = ESmsGateway(simulator.base_url, KEY, SECRET, "OTHER")

    with pytest.raises(DeliveryError, match="104") as caught:
        wrong.send("0912345678", "Xin chao", "r1")
    assert caught.value.temporary is False


def test_an_invalid_phone_is_a_permanent_failure(gateway):
    with pytest.raises(DeliveryError, match="mobile") as caught:
        gateway.send("12345", "Xin chao", "r1")
    assert caught.value.temporary is False


def test_a_provider_outage_is_temporary_and_a_retry_gets_through(gateway, simulator):
    simulator.fail_next(1, "503")

    with pytest.raises(DeliveryError, match="503") as caught:
        gateway.send("0912345678", "Xin chao", "r1")
    assert caught.value.temporary is True
    assert gateway.send("0912345678", "Xin chao", "r1")
    assert len(simulator.messages) == 1


def test_code_99_is_temporary(gateway, simulator):
    simulator.fail_next(1, "99")

    with pytest.raises(DeliveryError, match="99") as caught:
        gateway.send("0912345678", "Xin chao", "r1")
    assert caught.value.temporary is True


def test_an_unreachable_provider_is_temporary():
    stopped = start_sms_simulator(KEY, SECRET, BRAND)
    stopped.stop()
    gateway = ESmsGateway(stopped.base_url, KEY, SECRET, BRAND, timeout=2)

    with pytest.raises(DeliveryError) as caught:
        gateway.send("0912345678", "Xin chao", "r1")
    assert caught.value.temporary is True


def test_the_same_request_id_twice_sends_one_message(gateway, simulator):
    first = gateway.send("0912345678", "Xin chao", "motcua-7")
    again = gateway.send("0912345678", "Xin chao", "motcua-7")

    assert first == again
    assert len(simulator.messages) == 1


@pytest.mark.parametrize(
    "raw", ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84912345678",
            "+84 912-345-678", "(+84) 912 345 678"],
)  # fmt: skip
def test_vietnamese_mobile_numbers_normalise_to_the_national_form(raw):
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["0862345678", "0352345678", "0702345678", "0592345678"])
def test_every_carriers_ten_digit_prefix_is_accepted(raw):
    assert normalise_phone(raw) == raw


@pytest.mark.parametrize(
    "raw", ["", "12345", "091234567", "09123456789", "01234567890", "0212345678",
            "0242345678", "+1 912 345 678", "0912a45678", "091234567\u0668"],
)  # fmt: skip
def test_landlines_old_eleven_digit_and_malformed_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


def test_stripping_diacritics_keeps_case():
    assert strip_diacritics("Đặng Thị Ánh ĐỨC đức Ưng Ở") == "Dang Thi Anh DUC duc Ung O"
    assert strip_diacritics("Phường Phú Thuỷ, tỉnh Lâm Đồng") == "Phuong Phu Thuy, tinh Lam Dong"


def test_the_file_gateway_appends_one_json_line_per_message(tmp_path):
    gateway = FileGateway(tmp_path)
    gateway.send("+84912345678", "Hồ sơ đã có kết quả", "r1")
    gateway.send("0987654321", "Xin chao", "r2")

    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line) for line in lines)
    assert (first["phone"], first["text"], first["request_id"]) == (
        "0912345678", "Hồ sơ đã có kết quả", "r1",
    )  # fmt: skip
    assert second["phone"] == "0987654321"


def test_the_file_gateway_is_the_default(settings, tmp_path):
    del settings.MOTCUA_SMS_BACKEND
    settings.MOTCUA_SMS_DIR = tmp_path

    assert isinstance(get_gateway(), FileGateway)


def test_the_esms_backend_is_built_from_settings(settings, simulator):
    settings.MOTCUA_SMS_BACKEND = "esms"
    settings.MOTCUA_SMS_URL = simulator.base_url
    settings.MOTCUA_SMS_API_KEY, settings.MOTCUA_SMS_SECRET_KEY = KEY, SECRET
    settings.MOTCUA_SMS_BRANDNAME = BRAND

    get_gateway().send("0912345678", "Xin chao", "r1")

    assert len(simulator.messages) == 1
