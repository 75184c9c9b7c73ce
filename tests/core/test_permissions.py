"""The permission table (core/permissions.py): its own rules, and how a row is read."""

import pytest

from motcua.core.models import Role
from motcua.core.permissions import PERMISSIONS, can, check_table, units_where
from tests.conftest import make_user


def test_permission_table_contradicts_none_of_its_own_rules() -> None:
    assert check_table() == []
    assert all(name.count(".") == 1 for name in PERMISSIONS)


@pytest.mark.django_db
def test_assignee_only_role_acts_only_on_what_it_is_given(ward, other_ward) -> None:
    specialist = make_user("tuphap", ward, Role.SPECIALIST)
    colleague = make_user("diachinh", ward, Role.SPECIALIST)
    leader = make_user("chutich", ward, Role.LEADER)
    outsider = make_user("khac", other_ward, Role.LEADER)
    action = "planning.task_complete"  # only the task's owner closes it
    assert can(specialist, action, ward, assignee=specialist)
    assert not can(colleague, action, ward, assignee=specialist)
    assert not can(leader, action, ward, assignee=specialist)
    assert not can(outsider, action, ward, assignee=outsider)


@pytest.mark.django_db
def test_province_viewer_reads_the_province_communes_and_changes_nothing(
    province, ward, other_ward
) -> None:
    viewer = make_user("tinh", province, Role.PROVINCE_VIEWER)
    assert can(viewer, "report.unit", ward)
    assert set(units_where(viewer, "report.unit")) == {ward, other_ward}
    assert not can(viewer, "planning.plan_decide", ward)
    assert not can(viewer, "feedback.view", ward)  # senders' personal data stay in the commune


@pytest.mark.django_db
def test_an_action_without_a_row_is_refused_loudly(ward) -> None:
    user = make_user("motcua", ward, Role.DESK_OFFICER)
    with pytest.raises(KeyError, match="no permission row"):
        can(user, "nothing.here", ward)
