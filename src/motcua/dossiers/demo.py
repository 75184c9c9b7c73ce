"""Three months of dossiers for the demo ward, so that the desk's queues, the reports and the
dashboards have something true to show. Every dossier goes through the real services at set
times (receipt, transfer, hand-over, approval, result, return; an apology or a withdrawal for
some), so their due dates, timeliness and audit trail are those real work would give. Loaded
once: a ward that already has dossiers is left as it is. Deterministic (a seeded generator)."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, Position, Role, RoleAssignment, User
from motcua.core.selectors import calendar_for
from motcua.portal.models import Rating

from .models import ApplicantKind, Channel, Dossier, Status
from .services.closing import return_result, withdraw
from .services.handling import approve, assign, attach_result, hand_over, transfer
from .services.intake import Applicant, PaperIn, receive, start_dossier
from .services.lateness import allow_late_return, issue_apology

DAYS = 90
# Procedures of the demo catalogue (national codes) and the specialist position handling them.
PROCEDURES = {
    "1.004873": Position.JUSTICE_CIVIL_STATUS,  # xác nhận tình trạng hôn nhân, 3 days
    "1.004859": Position.JUSTICE_CIVIL_STATUS,  # thay đổi, cải chính hộ tịch, 3 days
    "1.001022": Position.JUSTICE_CIVIL_STATUS,  # nhận cha, mẹ, con, 3 days
    "1.010833": Position.CULTURE_SOCIETY,  # xác nhận thân nhân người có công, 5 days
    "1.001653": Position.CULTURE_SOCIETY,  # giấy xác nhận khuyết tật, 5 days
    "1.013228": Position.LAND_CONSTRUCTION,  # cấp lại giấy phép xây dựng, 5 days
}
CHANNELS = (
    [Channel.DESK] * 11 + [Channel.ONLINE] * 6 + [Channel.ONLINE_ASSISTED] * 2 + [Channel.POST]
)
NAMES = ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hồng", "Phạm Văn Nam", "Võ Thị Thu",
         "Đặng Văn Hải", "Huỳnh Thị Mai", "Bùi Văn Tâm", "Ngô Thị Hạnh",
         "Dương Văn Phước"]  # fmt: skip


@dataclass
class _People:
    desk: User
    chairman: User
    by_position: dict[str, User]


def load(ward: AdministrativeUnit) -> int:
    """Returns how many dossiers were made (0 when the ward already has some)."""
    if Dossier.objects.filter(unit=ward).exists():
        return 0
    people = _people(ward)
    if people is None:
        return 0
    from motcua.procedures.models import Procedure

    procedures = list(
        Procedure.objects.filter(province=ward.province, code__in=PROCEDURES, published=True)
    )
    if not procedures:
        return 0
    rng = random.Random(2026)
    calendar = calendar_for(ward)
    now = timezone.now()
    made = 0
    day = timezone.localdate() - timedelta(days=DAYS)
    while day < timezone.localdate():
        if calendar.is_working_day(day):
            for _n in range(rng.choice([0, 1, 1, 2])):
                at = datetime.combine(day, time(8, 0), tzinfo=VN_TZ) + timedelta(
                    minutes=rng.randrange(0, 7 * 60)
                )
                if at.time() > time(11, 15) and at.time() < time(13, 45):
                    at = at.replace(hour=14)
                if at < now:
                    _one(ward, people, rng.choice(procedures), at, rng, now)
                    made += 1
        day += timedelta(days=1)
    return made


def _people(ward: AdministrativeUnit) -> _People | None:
    def holder(role: str, position: str = "") -> User | None:
        found = RoleAssignment.objects.filter(unit=ward, role=role, is_active=True)
        if position:
            found = found.filter(position=position)
        first = found.select_related("user").first()
        return first.user if first else None

    desk, chairman = holder(Role.DESK_OFFICER), holder(Role.LEADER, Position.CHAIRMAN)
    positions = {p: holder(Role.SPECIALIST, p) for p in set(PROCEDURES.values())}
    if desk is None or chairman is None or None in positions.values():
        return None
    return _People(desk, chairman, positions)  # type: ignore[arg-type]


def _one(ward, people: _People, procedure, at: datetime, rng: random.Random, now: datetime) -> None:  # type: ignore[no-untyped-def]
    channel = rng.choice(CHANNELS)
    name = rng.choice(NAMES)
    applicant = Applicant(
        kind=ApplicantKind.CITIZEN,
        name=name,
        phone=f"09{rng.randrange(10**7, 10**8)}",
        address=f"Khu phố {rng.randrange(1, 6)}, {ward.name}",
    )
    dossier = start_dossier(
        actor=people.desk,
        unit=ward,
        procedure=procedure,
        channel=channel,
        applicant=applicant,
        papers=[PaperIn(name="Tờ khai", originals=1)],
    )
    receive(dossier, actor=people.desk, at=at)
    handler = people.by_position[PROCEDURES[procedure.code]]
    start = at + timedelta(minutes=30)
    if dossier.status == Status.RECEIVED:
        transfer(dossier, actor=people.desk, to_user=handler, at=start)
    else:  # online: with the handlers from its receipt
        assign(dossier, actor=handler, to_user=handler, at=start)
    assert dossier.due_at is not None
    due, fate = dossier.due_at, rng.random()
    if fate < 0.04:
        withdraw(dossier, actor=people.desk, reason="Người nộp xin rút hồ sơ", at=start)
        return
    if fate < 0.14:  # late: an apology in time, the result after the first due date
        apology_at = min(start + timedelta(hours=1), due - timedelta(days=2))
        if apology_at <= start:
            apology_at = start + timedelta(minutes=10)
        new_due = calendar_for(ward).add_working_days(due, 3)
        issue_apology(dossier, actor=handler, reason="Cần xác minh thêm thông tin",
                      new_due_at=new_due, at=apology_at)  # fmt: skip
        finish = due + timedelta(days=1, hours=1)
    elif fate < 0.17:  # late without an apology, a leader's reason recorded
        finish = due + timedelta(days=1)
    elif fate < 0.45:
        finish = due - timedelta(minutes=40)  # on time
    else:
        finish = max(start + timedelta(hours=2), due - timedelta(days=1, hours=2))  # early
    if finish + timedelta(hours=1) > now:
        return  # still being handled today
    # Each step takes its share of the time: the appraisal half of it, the signature a third.
    span = finish - start
    hand_over(dossier, actor=handler, to_user=people.chairman, at=start + span * 0.5)
    approve(dossier, actor=people.chairman, to_user=people.desk, at=start + span * 0.8)
    attach_result(
        dossier, actor=people.desk, paper=True, note="Kết quả", at=finish - timedelta(minutes=10)
    )
    if finish > due and not dossier.apologies.exists():
        allow_late_return(dossier, actor=people.chairman, reason="Đã giải thích cho người nộp",
                          at=finish - timedelta(minutes=5))  # fmt: skip
    return_result(dossier, actor=people.desk, method="desk", at=finish)
    dossier.refresh_from_db()
    if rng.random() < 0.6:
        satisfaction = rng.choice(["very_satisfied"] * 5 + ["satisfied"] * 4 + ["dissatisfied"])
        Rating.objects.create(
            dossier=dossier, source="kiosk", time=dossier.timeliness, contacts="0", agencies="1",
            attitude="courteous", publicity="full", satisfaction=satisfaction,
            rated_at=finish + timedelta(minutes=5),
        )  # fmt: skip
