"""The 2022 edition of the service index (Quyết định 766/QĐ-TTg), as DOMAIN.md §3 lists it.
The points are data an administrator corrects in the admin (marked "verify" in DOMAIN.md)."""

from decimal import Decimal
from typing import Any

VALID_FROM = "2022-06-23"

GROUPS = [
    (
        "Công khai, minh bạch",
        18,
        [
            ("Thủ tục hành chính được công bố, công khai đúng hạn", 6, "published_on_time"),
            ("Thủ tục hành chính được cập nhật đúng hạn", 4, "updated_on_time"),
            ("Thủ tục hành chính được công khai đầy đủ", 2, ""),
            (
                "Tiến độ giải quyết hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia",
                6,
                "synced_national_portal",
            ),
        ],
    ),
    (
        "Tiến độ giải quyết",
        20,
        [
            ("Hồ sơ được giải quyết trước hạn, đúng hạn", 20, "on_time_share"),
        ],
    ),
    (
        "Dịch vụ công trực tuyến",
        22,
        [
            (
                "Hồ sơ trực tuyến toàn trình trên tổng số hồ sơ của thủ tục đủ điều kiện "
                "toàn trình",
                12,
                "full_online_share",
            ),
            (
                "Thủ tục hành chính có triển khai thanh toán trực tuyến",
                2,
                "procedures_payable_online",
            ),
            ("Thủ tục hành chính có phát sinh thanh toán trực tuyến", 2, "procedures_paid_online"),
            ("Hồ sơ thanh toán trực tuyến", 6, "online_paid_share"),
        ],
    ),
    (
        "Số hóa hồ sơ",
        22,
        [
            ("Hồ sơ có kết quả giải quyết điện tử", 6, "e_result_share"),
            ("Hồ sơ được số hóa thành phần hồ sơ", 4, "digitised_share"),
            ("Cung cấp dịch vụ chứng thực bản sao điện tử", 2, "e_copies_offered"),
            ("Khai thác, tái sử dụng thông tin, dữ liệu số hóa", 2, "reused_data"),
            (
                "Kết quả được chia sẻ vào kho quản lý dữ liệu điện tử của tổ chức, cá nhân",
                4,
                "citizen_data_store",
            ),
            (
                "Thủ tục hành chính kết nối với Cơ sở dữ liệu quốc gia về dân cư",
                2,
                "population_db_procedures",
            ),
            ("Hồ sơ khai thác Cơ sở dữ liệu quốc gia về dân cư", 2, "population_db_dossiers"),
        ],
    ),
    (
        "Mức độ hài lòng",
        18,
        [
            ("Phản ánh, kiến nghị được xử lý đúng hạn", 6, "feedback_on_time"),
            ("Mức độ hài lòng về xử lý phản ánh, kiến nghị", 6, "feedback_satisfaction"),
            ("Mức độ hài lòng về giải quyết thủ tục hành chính", 6, "satisfaction_share"),
        ],
    ),
]


def ensure_index_766(version_model: Any = None) -> None:
    """Create the edition when no edition exists (the migration; a flushed test database)."""
    if version_model is None:
        from .models import IndexVersion as version_model
    if version_model.objects.exists():
        return
    version = version_model.objects.create(
        name="Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp",
        valid_from=VALID_FROM,
        legal_basis="Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ",
        note="Điểm từng chỉ số lấy theo DOMAIN.md; cần đối chiếu văn bản gốc trước khi dùng.",
    )
    for order, (name, top, indicators) in enumerate(GROUPS):
        group = version.groups.create(order=order, name=name, max_points=Decimal(top))
        for n, (title, points, figure) in enumerate(indicators):
            group.indicators.create(order=n, name=title, max_points=Decimal(points), figure=figure)
