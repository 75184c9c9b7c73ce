"""Personal identification number (số định danh cá nhân, CCCD): 12 digits.

Layout (Thông tư 59/2021/TT-BCA, Điều 7): 3 digits province of birth registration, 1 digit
century and sex, 2 digits last digits of the birth year, 6 random digits.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Province codes of the personal identification number: the 63 provinces as they stood when
# the scheme was fixed. Numbers already issued keep them after the 2025 merger.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

MALE, FEMALE = "male", "female"


@dataclass(frozen=True)
class PersonalId:
    province_code: str
    birth_year: int
    sex: str

    @property
    def province_name(self) -> str:
        return PROVINCE_CODES[self.province_code]


def parse_personal_id(value: str, *, today: date | None = None) -> PersonalId:
    """Decode a personal identification number; raise ValidationError saying what is wrong."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Enter the personal identification number."), code="required")
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("The personal identification number may contain digits 0–9 only."),
            code="digits",
        )
    if len(value) != 12:
        raise ValidationError(
            _("The personal identification number has exactly 12 digits; %(count)d were entered."),
            code="length",
            params={"count": len(value)},
        )
    province = value[:3]
    if province not in PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not the code of a province of birth."),
            code="province",
            params={"code": province},
        )
    century_digit = int(value[3])
    birth_year = 1900 + 100 * (century_digit // 2) + int(value[4:6])
    sex = MALE if century_digit % 2 == 0 else FEMALE
    this_year = (today or timezone.localdate()).year
    if birth_year > this_year:
        raise ValidationError(
            _(
                "Digits 4 to 6 (%(digits)s) give the birth year %(year)d, which has not "
                "come yet: check the century/sex digit and the birth-year digits."
            ),
            code="birth_year",
            params={"digits": value[3:6], "year": birth_year},
        )
    return PersonalId(province_code=province, birth_year=birth_year, sex=sex)


def validate_personal_id(value: str) -> None:
    parse_personal_id(value)


def check_personal_id_matches(
    value: str, *, birth_date: date | None, sex: str | None
) -> dict[str, ValidationError]:
    """Errors for a birth date or sex that contradict the number (per field name)."""
    try:
        decoded = parse_personal_id(value)
    except ValidationError as error:
        return {"personal_id": error}
    errors: dict[str, ValidationError] = {}
    if birth_date and birth_date.year != decoded.birth_year:
        errors["birth_date"] = ValidationError(
            _(
                "The personal identification number gives the birth year %(year)d, "
                "which does not match the date of birth %(date)s."
            ),
            code="birth_year_mismatch",
            params={"year": decoded.birth_year, "date": birth_date.strftime("%d/%m/%Y")},
        )
    if sex and sex != decoded.sex:
        errors["sex"] = ValidationError(
            _("The fourth digit of the personal identification number gives the other sex."),
            code="sex_mismatch",
        )
    return errors


def normalise_phone(phone: str) -> str:
    """Digits of a Vietnamese phone number, +84 written as 0; "" when empty (not validated)."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits.lstrip("+")
