"""Our workflow's actions and statuses on the national status list (TrangThaiHoSo 1–10).

SOURCE: the official field-level specification of Cổng DVCQG is not available to us (../shared
INTEROP.md §2.1). The codes and labels are those of two public integration codebases (OpenCPS
``DVCQGIntegrationActionImpl``, the TD ``FormatTrangThaiHoSoDVCQG`` crosswalk; INTEROP.md §2.2).
Which of our actions maps to which code is OUR ASSUMPTION. The table is seeded into
``StatusMapping`` (editable in the admin) so a province corrects it without code.
"""

SOURCE = "INTEROP.md §2.2 (OpenCPS, TD crosswalk); gán hành động → mã là giả định của MotCua"

NATIONAL_STATUSES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

# (key, code or None, sent?, what the action is). "action:<a>" rows decide whether an action
# is sent; a None code takes the code of the dossier's status afterwards ("status:<s>").
DEFAULT_MAPPING: list[tuple[str, int | None, bool, str]] = [
    ("action:submit", 1, False, "nộp trực tuyến: chưa có mã hồ sơ trước khi tiếp nhận"),
    ("action:receive", 2, True, "tiếp nhận"),
    ("action:request_supplement", 5, True, "yêu cầu bổ sung khi tiếp nhận (Mẫu 02)"),
    ("action:answer_supplement", None, True, "công dân bổ sung trực tuyến"),
    ("action:refuse", 3, True, "từ chối tiếp nhận (Mẫu 03)"),
    ("action:transfer", 4, True, "chuyển xử lý"),
    ("action:assign", 4, False, "phân công (nội bộ)"),
    ("action:record_work", 4, False, "thẩm định, xác minh (nội bộ)"),
    ("action:hand_over", 4, True, "chuyển bước xử lý"),
    ("action:approve", 4, False, "phê duyệt (nội bộ, kết quả gửi khi có kết quả)"),
    ("action:request_supplement_in_appraisal", 5, True, "tạm dừng: yêu cầu bổ sung"),
    ("action:receive_supplement", 4, True, "nhận bổ sung, tiếp tục xử lý"),
    ("action:refuse_after_appraisal", 8, True, "dừng xử lý, trả lại hồ sơ"),
    ("action:issue_apology", None, True, "xin lỗi, hẹn lại ngày trả (Mẫu 04)"),
    ("action:allow_late_return", None, False, "lãnh đạo cho trả muộn (nội bộ)"),
    ("action:attach_result", 9, True, "có kết quả"),
    ("action:return_result", 10, True, "trả kết quả"),
    ("action:withdraw", 7, True, "công dân rút hồ sơ"),
    ("action:rate", 10, True, "công dân đánh giá"),
    ("status:pending", 1, True, ""),
    ("status:supplement_requested", 5, True, ""),
    ("status:refused", 3, True, ""),
    ("status:received", 2, True, ""),
    ("status:in_progress", 4, True, ""),
    ("status:awaiting_supplement", 5, True, ""),
    ("status:result_ready", 9, True, ""),
    ("status:returned", 10, True, ""),
    ("status:withdrawn", 7, True, ""),
]

# KenhThucHien, LoaiDoiTuong (INTEROP.md §2.2 "Code lists seen").
CHANNEL_CODES = {"desk": 1, "online": 2, "online_assisted": 2, "post": 3}
APPLICANT_CODES = {"citizen": 1, "organisation": 4}
