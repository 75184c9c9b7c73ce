import pytest

from motcua.certification.services.certify import certification_for
from tests.dossiers.conftest import make_procedure, new_dossier, staff  # noqa: F401

COPY_STEPS = [
    ("Tiếp nhận, kiểm tra hồ sơ", "desk_officer", "", "0"),
    ("Đối chiếu bản chính, ghi lời chứng, trình ký", "specialist", "justice_civil_status", "0"),
    ("Ký duyệt", "leader", "", "0"),
    ("Trả kết quả", "desk_officer", "", "0"),
]


@pytest.fixture
def copy_procedure(province):  # type: ignore[no-untyped-def]
    procedure = make_procedure(province, code="2.000815", days="0", steps=COPY_STEPS)
    procedure.name = "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    procedure.save()
    return procedure


@pytest.fixture
def request_for_copy(ward, copy_procedure, staff):  # type: ignore[no-untyped-def]  # noqa: F811
    """A certification request taken in at the desk (the scan is added by each test)."""

    def make():  # type: ignore[no-untyped-def]
        return certification_for(new_dossier(ward, copy_procedure, staff["desk"]), create=True)

    return make
