from datetime import datetime
from decimal import Decimal

import pytest

from motcua.core.calendar import VN_TZ
from motcua.core.models import Position, Role
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services.intake import Applicant, PaperIn, start_dossier
from motcua.procedures.models import Field, Procedure, WorkflowStep
from tests.conftest import make_user


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)


def make_procedure(province, code="1.001022", days="3", steps=None):  # type: ignore[no-untyped-def]
    field, _ = Field.objects.get_or_create(code="HOTICH", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(
        province=province,
        code=code,
        name="Đăng ký nhận cha, mẹ, con",
        field=field,
        processing_days=Decimal(days),
        result="Trích lục",
        online_level="partial",
        published=True,
    )
    steps = steps or [
        ("Tiếp nhận", Role.DESK_OFFICER, "", "0.5"),
        ("Thẩm định", Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS, "2"),
        ("Ký duyệt", Role.LEADER, "", "0.5"),
        ("Trả kết quả", Role.DESK_OFFICER, "", "0"),
    ]
    for n, (name, role, position, budget) in enumerate(steps):
        WorkflowStep.objects.create(
            procedure=procedure,
            order=n,
            name=name,
            role=role,
            position=position,
            budget_days=Decimal(budget),
        )
    return procedure


@pytest.fixture
def procedure(province):  # type: ignore[no-untyped-def]
    return make_procedure(province)


@pytest.fixture
def staff(ward):  # type: ignore[no-untyped-def]
    return {
        "desk": make_user("motcua", ward, Role.DESK_OFFICER),
        "justice": make_user("tuphap", ward, Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS),
        "land": make_user("diachinh", ward, Role.SPECIALIST, Position.LAND_CONSTRUCTION),
        "chairman": make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN),
        "vice": make_user("phochutich", ward, Role.LEADER, Position.VICE_CHAIRMAN),
    }


def new_dossier(ward, procedure, desk, channel=Channel.DESK, **kwargs):  # type: ignore[no-untyped-def]
    applicant = Applicant(
        kind=ApplicantKind.CITIZEN,
        name="Trần Văn Bình",
        personal_id="068090012345",
        phone="0912345678",
        email="binh@example.vn",
        address="Khu phố 2, phường Phú Thuỷ",
    )
    papers = [PaperIn(name="Tờ khai", originals=1)]
    return start_dossier(
        actor=desk,
        unit=ward,
        procedure=procedure,
        channel=channel,
        applicant=applicant,
        papers=papers,
        **kwargs,
    )
