import pytest

from motcua.core.models import Position, Role
from motcua.documents.catalogue import ensure_document_types
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _document_types(db):  # type: ignore[no-untyped-def]
    # Transactional tests elsewhere flush the tables, migration data included.
    ensure_document_types()


@pytest.fixture
def people(ward):  # type: ignore[no-untyped-def]
    """The ward's office clerk, Chairman and two specialists (the first with an e-mail)."""
    people = {
        "clerk": make_user("vanthu", ward, Role.CLERK),
        "chairman": make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN),
        "officer": make_user("tuphap", ward, Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS),
        "other": make_user("vanhoa", ward, Role.SPECIALIST, Position.CULTURE_SOCIETY),
    }
    people["officer"].email = "tuphap@phuthuy.gov.vn"
    people["officer"].save()
    return people
