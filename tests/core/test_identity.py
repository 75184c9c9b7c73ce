from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.identity import PROVINCE_CODES, check_personal_id_matches, parse_personal_id

TODAY = date(2026, 11, 25)


def test_valid_number_decodes_province_year_and_sex():
    decoded = parse_personal_id("068090012345", today=TODAY)
    assert (decoded.province_code, decoded.birth_year, decoded.sex) == ("068", 1990, "male")
    assert decoded.province_name == "Lâm Đồng"
    assert parse_personal_id("060305123456", today=TODAY).sex == "female"
    assert parse_personal_id("060305123456", today=TODAY).birth_year == 2005


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("", "required", "Nhập số định danh cá nhân"),
        ("06809001234a", "digits", "chỉ gồm chữ số"),
        ("068 09001234", "digits", "chỉ gồm chữ số"),
        ("06809001234", "length", "đúng 12 chữ số; bạn đã nhập 11"),
        ("0680900123456", "length", "bạn đã nhập 13"),
        ("003190012345", "province", "(003) không phải mã tỉnh"),
        ("068290012345", "birth_year", "năm sinh 2090"),
        ("068490012345", "birth_year", "năm sinh 2190"),
    ],
)
def test_each_way_a_personal_id_is_wrong_has_its_own_vietnamese_message(value, code, words):
    with pytest.raises(ValidationError) as caught:
        parse_personal_id(value, today=TODAY)
    error = caught.value
    assert error.code == code
    assert words in error.messages[0]


def test_birth_date_and_sex_that_contradict_the_number_are_reported_per_field():
    errors = check_personal_id_matches("068090012345", birth_date=date(1991, 5, 1), sex="female")
    assert set(errors) == {"birth_date", "sex"}
    assert "1990" in errors["birth_date"].messages[0]
    assert check_personal_id_matches("068090012345", birth_date=date(1990, 5, 1), sex="male") == {}


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    year=st.integers(1900, 2026),
    female=st.booleans(),
    tail=st.integers(0, 999_999),
)
def test_every_well_formed_number_is_accepted_and_decodes_back(province, year, female, tail):
    century = (year - 1900) // 100 * 2 + int(female)
    value = f"{province}{century}{year % 100:02d}{tail:06d}"
    decoded = parse_personal_id(value, today=TODAY)
    assert (decoded.province_code, decoded.birth_year) == (province, year)
    assert decoded.sex == ("female" if female else "male")
