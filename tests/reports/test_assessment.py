"""The reform self-assessment: the province's criteria tree, automatic criteria from the year's
figures, manual ones with evidence, the unit's submission, the province's review."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.models import AuditEvent, Position, Role
from motcua.reports import demo
from motcua.reports.assessment import selectors, services
from motcua.reports.assessment.models import AssessmentStatus, CriteriaSet, Criterion
from tests import sample_files
from tests.conftest import make_user

PDF = SimpleUploadedFile("ke-hoach.pdf", sample_files.PDF)


@pytest.fixture
def criteria(march):  # type: ignore[no-untyped-def]
    demo.load(march.ward.province, 2026)
    return CriteriaSet.objects.get(province=march.ward.province, year=2026)


@pytest.fixture
def clerk(ward):  # type: ignore[no-untyped-def]
    return make_user("vanthu", ward, Role.CLERK)


def _criterion(criteria, code):  # type: ignore[no-untyped-def]
    return Criterion.objects.get(criteria_set=criteria, code=code)


def _evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("ke-hoach.pdf", PDF.file.getvalue(), "application/pdf")


def test_automatic_criteria_are_scored_from_the_years_figures(criteria, march, clerk):
    assessment = services.open_assessment(criteria, march.ward, actor=clerk)
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    # 2026 so far: K, D1–D5 returned, 4 early or on time → 8 × 4/6.
    assert scores["2.1"].points == Decimal("5.33") and scores["2.1"].measured == "66,7% (4/6)"
    # Online: 2 of the 9 dossiers received in 2026 (K and D1–D8), 22%: under 30% → 0 points.
    assert scores["2.2"].points == Decimal("0")
    assert scores["4.2"].points is None and scores["4.2"].measured == "— (0/0)"  # no feedback
    assert scores["1.1"].points is None  # manual: the unit scores it
    assert "1" not in scores  # groups are the sum of their criteria
    roots = selectors.tree(criteria, assessment)
    assert [r.criterion.code for r in roots] == ["1", "2", "3", "4", "5"]
    assert roots[1].points == scores["2.1"].points + scores["2.3"].points + scores["2.4"].points


def test_manual_points_stay_within_the_maximum_and_need_evidence_to_submit(
    criteria, march, clerk, staff
):
    assessment = services.open_assessment(criteria, march.ward, actor=clerk)
    plan = _criterion(criteria, "1.1")
    with pytest.raises(ValidationError):
        services.score(assessment, plan, actor=clerk, points=Decimal("2.5"), explanation="")
    with pytest.raises(ValidationError):
        services.score(assessment, _criterion(criteria, "2.1"), actor=clerk, points=Decimal(1),
                       explanation="")  # fmt: skip
    for code in ("1.1", "1.2", "1.3"):
        services.score(assessment, _criterion(criteria, code), actor=clerk, points=Decimal(2),
                       explanation="Kế hoạch số 12/KH-UBND")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.submit(assessment, actor=clerk)  # a leader submits
    with pytest.raises(ValidationError) as missing:
        services.submit(assessment, actor=staff["chairman"])
    assert "1.1, 1.2, 1.3" in " ".join(missing.value.messages)
    for code in ("1.1", "1.2", "1.3"):
        services.add_evidence(assessment, _criterion(criteria, code), actor=clerk,
                              upload=_evidence())  # fmt: skip
    services.submit(assessment, actor=staff["chairman"])
    assert assessment.status == AssessmentStatus.SUBMITTED
    with pytest.raises(PermissionDenied):  # submitted: the unit changes nothing more
        services.score(assessment, plan, actor=clerk, points=Decimal(1), explanation="")
    assert AuditEvent.objects.filter(action="assessment.submit").exists()


def test_the_province_reviews_returns_and_then_accepts(criteria, march, clerk, staff):
    assessment = services.open_assessment(criteria, march.ward, actor=clerk)
    for code in ("1.1", "1.2", "1.3"):
        criterion = _criterion(criteria, code)
        services.score(assessment, criterion, actor=clerk, points=Decimal(2), explanation="Có")
        services.add_evidence(assessment, criterion, actor=clerk, upload=_evidence())
    services.submit(assessment, actor=staff["chairman"])
    viewer = make_user("tinh", march.ward.province, Role.PROVINCE_VIEWER)
    with pytest.raises(PermissionDenied):
        services.review(assessment, actor=staff["chairman"], points={}, accept=True)
    with pytest.raises(ValidationError):
        services.review(assessment, actor=viewer, points={}, accept=False)  # say why
    services.review(assessment, actor=viewer, points={}, accept=False,
                    note="Bổ sung biên bản kiểm tra")  # fmt: skip
    assert assessment.status == AssessmentStatus.RETURNED
    tested = _criterion(criteria, "1.3")
    services.score(assessment, tested, actor=clerk, points=Decimal(3), explanation="Đã bổ sung")
    services.submit(assessment, actor=staff["chairman"])
    services.review(assessment, actor=viewer, points={tested.pk: (Decimal("1.5"), "Thiếu")},
                    accept=True)  # fmt: skip
    assert assessment.status == AssessmentStatus.REVIEWED
    row = assessment.scores.get(criterion=tested)
    assert (row.points, row.reviewed_points, row.review_note) == (3, Decimal("1.5"), "Thiếu")


def test_the_pages_for_the_unit_and_for_the_province(client, criteria, march, clerk, staff):
    client.force_login(clerk)
    page = client.get(reverse("reports-assessment"), {"nam": 2026})
    assert "Bắt đầu tự chấm" in page.content.decode()
    client.post(f"{reverse('reports-assessment')}?nam=2026")
    assessment = criteria.assessments.get(unit=march.ward)
    plan = _criterion(criteria, "1.1")
    url = reverse("reports-assessment-score", args=[assessment.pk, plan.pk])
    client.post(url, {"points": "abc", "explanation": ""})
    client.post(url, {"points": "1,5", "explanation": "Kế hoạch 12/KH-UBND",
                      "evidence": _evidence()})  # fmt: skip
    row = assessment.scores.get(criterion=plan)
    assert row.points == Decimal("1.5") and row.evidence.count() == 1
    text = client.get(reverse("reports-assessment"), {"nam": 2026}).content.decode()
    assert "Kế hoạch 12/KH-UBND" in text and "ke-hoach" in text
    other = make_user("vanthu2", march.ward.province, Role.PROVINCE_VIEWER)
    client.force_login(other)
    assert client.get(reverse("reports-review", args=[assessment.pk])).status_code == 200
    officer = make_user("diachinh2", march.ward, Role.SPECIALIST, Position.LAND_CONSTRUCTION)
    client.force_login(officer)
    assert client.get(reverse("reports-review", args=[assessment.pk])).status_code == 403
