"""An illustrative reform criteria set for the demo province (the real one is decided by each
province every year and entered in the admin, "Reform criteria sets")."""

from decimal import Decimal

from motcua.core.models import AdministrativeUnit

from .assessment.models import CriteriaSet, Scoring

MANUAL, AUTOMATIC, GROUP = Scoring.MANUAL, Scoring.AUTOMATIC, Scoring.GROUP
TREE = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", 10, GROUP, "", None, [
        ("1.1", "Ban hành kế hoạch cải cách hành chính năm đúng thời hạn", 2, MANUAL, "", None),
        ("1.2", "Báo cáo cải cách hành chính định kỳ đầy đủ, đúng hạn", 2, MANUAL, "", None),
        ("1.3", "Kiểm tra cải cách hành chính và khắc phục hạn chế sau kiểm tra", 3, MANUAL, "",
         None),
        ("1.4", "Tuyên truyền cải cách hành chính (từ 4 hoạt động trong năm)", 3, AUTOMATIC,
         "propaganda", "4"),
    ]),
    ("2", "Cải cách thủ tục hành chính", 20, GROUP, "", None, [
        ("2.1", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 8, AUTOMATIC, "on_time_share", None),
        ("2.2", "Tỷ lệ hồ sơ nộp trực tuyến (đạt từ 30%)", 6, AUTOMATIC, "online_share", "0.3"),
        ("2.3", "Tỷ lệ hồ sơ thanh toán trực tuyến", 3, AUTOMATIC, "online_paid_share", None),
        ("2.4", "Tỷ lệ hồ sơ được số hóa thành phần", 3, AUTOMATIC, "digitised_share", None),
    ]),
    ("3", "Hiện đại hóa nền hành chính", 10, GROUP, "", None, [
        ("3.1", "Văn bản đi được ký số (đạt từ 90%)", 4, AUTOMATIC, "docs_signed", "0.9"),
        ("3.2", "Văn bản đến được xử lý trên hệ thống", 3, AUTOMATIC, "docs_processed", None),
        ("3.3", "Cán bộ, công chức sử dụng hộp thư công vụ (đạt từ 90%)", 3, AUTOMATIC,
         "staff_email", "0.9"),
    ]),
    ("4", "Sự hài lòng của người dân", 10, GROUP, "", None, [
        ("4.1", "Tỷ lệ hài lòng về giải quyết thủ tục hành chính", 5, AUTOMATIC,
         "satisfaction_share", None),
        ("4.2", "Phản ánh, kiến nghị được trả lời đúng hạn", 5, AUTOMATIC, "feedback_on_time",
         None),
    ]),
    ("5", "Kỷ cương hành chính và đổi mới", 10, GROUP, "", None, [
        ("5.1", "Hạn chế phát hiện qua kiểm tra được khắc phục đúng hạn", 4, AUTOMATIC,
         "remediation_on_time", None),
        ("5.2", "Có sáng kiến cải cách hành chính được công nhận", 3, AUTOMATIC,
         "initiatives_recognised", "1"),
        ("5.3", "Thực hiện \"4 xin, 4 luôn\" tại Bộ phận Một cửa", 3, AUTOMATIC, "desk_conduct",
         None),
    ]),
]  # fmt: skip


def load(province: AdministrativeUnit, year: int) -> bool:
    if CriteriaSet.objects.filter(province=province, year=year).exists():
        return False
    criteria_set = CriteriaSet.objects.create(
        province=province,
        year=year,
        name=f"Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm {year} (minh họa)",
        legal_basis="Minh họa: mỗi tỉnh ban hành bộ tiêu chí của mình hằng năm",
    )
    for order, (code, name, points, scoring, _figure, _threshold, children) in enumerate(TREE):
        group = criteria_set.criteria.create(
            order=order, code=code, name=name, max_points=Decimal(points), scoring=scoring,
            evidence_required=False,
        )  # fmt: skip
        for n, (c_code, c_name, c_points, c_scoring, c_figure, c_threshold) in enumerate(children):
            criteria_set.criteria.create(
                parent=group, order=n, code=c_code, name=c_name, max_points=Decimal(c_points),
                scoring=c_scoring, figure=c_figure,
                threshold=Decimal(c_threshold) if c_threshold else None,
                evidence_required=c_scoring == MANUAL,
            )  # fmt: skip
    return True
