import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from motcua.core.models import Position, Role, RoleAssignment, User
from motcua.core.permissions import units_where
from motcua.core.selectors import has_role
from motcua.core.services.users import assign_role, create_staff_user
from tests.conftest import make_user


def test_a_specialist_needs_a_specialist_position(ward):
    user = create_staff_user(
        actor=None, unit=ward, username="a", full_name="A", password="Pw-123456!"
    )
    with pytest.raises(ValidationError) as caught:
        assign_role(
            actor=None, user=user, unit=ward, role=Role.SPECIALIST, position=Position.CHAIRMAN
        )
    assert "chức danh phù hợp" in str(caught.value)
    with pytest.raises(ValidationError):
        assign_role(
            actor=None, user=user, unit=ward, role=Role.DESK_OFFICER, position=Position.CHAIRMAN
        )
    assign_role(
        actor=None,
        user=user,
        unit=ward,
        role=Role.SPECIALIST,
        position=Position.JUSTICE_CIVIL_STATUS,
    )
    assert has_role(user, ward, Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS)


def test_a_province_viewer_sits_in_a_province_and_officers_in_a_commune(province, ward):
    user = create_staff_user(
        actor=None, unit=ward, username="b", full_name="B", password="Pw-123456!"
    )
    with pytest.raises(ValidationError):
        assign_role(actor=None, user=user, unit=ward, role=Role.PROVINCE_VIEWER)
    with pytest.raises(ValidationError):
        assign_role(actor=None, user=user, unit=province, role=Role.DESK_OFFICER)
    assert RoleAssignment.objects.count() == 0


def test_a_unit_has_one_active_chairman(ward):
    make_user("ct1", ward, Role.LEADER, Position.CHAIRMAN)
    with pytest.raises(IntegrityError):
        make_user("ct2", ward, Role.LEADER, Position.CHAIRMAN)


def test_units_are_scoped_to_held_roles_and_a_viewers_province(province, ward, other_ward):
    officer = make_user("o", ward, Role.DESK_OFFICER)
    viewer = make_user("v", province, Role.PROVINCE_VIEWER)
    assert list(units_where(officer, "dossier.view")) == [ward]
    assert list(units_where(officer, "planning.plan_decide")) == []  # a leader's row
    # The province viewer reads the communes where the row says so, never elsewhere.
    assert set(units_where(viewer, "dossier.view")) == {ward, other_ward}
    assert list(units_where(viewer, "document.incoming_list")) == []
    stranger = User.objects.create_user(username="s", password="Pw-123456!")
    assert list(units_where(stranger, "dossier.view")) == []


def test_role_changes_are_audited(ward):
    from motcua.core.models import AuditEvent

    user = create_staff_user(
        actor=None, unit=ward, username="c", full_name="C", password="Pw-123456!"
    )
    assign_role(actor=None, user=user, unit=ward, role=Role.CLERK)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "user.create",
        "role.assign",
    ]
