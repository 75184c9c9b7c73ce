"""The 29 document types of Nghị định 30/2020/NĐ-CP (Điều 7, Phụ lục III): code, abbreviation,
name. A công văn and a thư công have no abbreviation."""

TYPES = [
    ("NQ", "NQ", "Nghị quyết"), ("QD", "QĐ", "Quyết định"), ("CT", "CT", "Chỉ thị"),
    ("QC", "QC", "Quy chế"), ("QYD", "QyĐ", "Quy định"), ("TC", "TC", "Thông cáo"),
    ("TB", "TB", "Thông báo"), ("HD", "HD", "Hướng dẫn"), ("CTR", "CTr", "Chương trình"),
    ("KH", "KH", "Kế hoạch"), ("PA", "PA", "Phương án"), ("DEAN", "ĐA", "Đề án"),
    ("DA", "DA", "Dự án"), ("BC", "BC", "Báo cáo"), ("BB", "BB", "Biên bản"),
    ("TTR", "TTr", "Tờ trình"), ("HDONG", "HĐ", "Hợp đồng"), ("CV", "", "Công văn"),
    ("CD", "CĐ", "Công điện"), ("BGN", "BGN", "Bản ghi nhớ"), ("BTT", "BTT", "Bản thỏa thuận"),
    ("GUQ", "GUQ", "Giấy ủy quyền"), ("GM", "GM", "Giấy mời"), ("GGT", "GGT", "Giấy giới thiệu"),
    ("GNP", "GNP", "Giấy nghỉ phép"), ("PG", "PG", "Phiếu gửi"), ("PC", "PC", "Phiếu chuyển"),
    ("PB", "PB", "Phiếu báo"), ("THUCONG", "", "Thư công"),
]  # fmt: skip


def ensure_document_types(model=None) -> None:  # type: ignore[no-untyped-def]
    """Create or update the types (used by the migration, the demo and tests)."""
    if model is None:
        from .models import DocumentType as model
    for order, (code, abbreviation, name) in enumerate(TYPES, start=1):
        model.objects.update_or_create(
            code=code, defaults={"abbreviation": abbreviation, "name": name, "order": order}
        )
