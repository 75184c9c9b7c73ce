"""No input gives a server error: control characters, over-long text, huge, negative and
non-numeric ids, malformed dates, months, weeks and page sizes, on the forms and query
parameters of the public and staff pages. A property-based part (hypothesis) throws generated
hostile values at every listed parameter of every listed page and asserts no 500 and that a
refused request wrote nothing; the explicit part pins each crash of issue 16 and the messages
the desk receipt form and the citizen's draft give. Run on PostgreSQL too: that is where a NUL
byte or an out-of-range number used to reach the database and fail."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.models import AuditEvent, OutboxMessage, Role, RoleAssignment
from motcua.documents.catalogue import ensure_document_types
from motcua.documents.models import DocumentType
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.intake import receive
from motcua.portal.models import Draft
from motcua.portal.services import drafts
from motcua.procedures.models import RequiredPaper
from tests import sample_files
from tests.conftest import make_user
from tests.dossiers.conftest import make_procedure, new_dossier

# --- hostile values -------------------------------------------------------------------------

KNOWN_BAD = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1f",
    "\x7f",
    "\x1b[31m",
    "9223372036854775807",
    "9223372036854775808",
    "9223372036854775809",
    "99999999999999999999999999",
    "-1",
    "-9223372036854775809",
    "0",
    "40000",
    "abc",
    "1e999",
    "NaN",
    "Infinity",
    "1.5",
    "",
    " ",
    "9999-12",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30",
    "2026-13",
    "2026-00",
    "0000-00-00",
    "2026-W99",
    "２０２６-０３",  # full-width digits
    "١٢٣",  # Arabic-Indic digits
    "²",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u202e\u200b",
    "a" * 501,
    "Đ" * 5001,
    "9" * 400,
]
hostile = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda c, n: c * n, st.sampled_from("aĐ9\x00"), st.integers(150, 6000)),
    st.dates().map(str),
)
# 40 examples a page group: under a minute. MOTCUA_HOSTILE_EXAMPLES=1000 searches longer.
BOUNDED = settings(
    max_examples=int(os.environ.get("MOTCUA_HOSTILE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- the pages and their parameters ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # may hold {dossier}, {draft}, {procedure}, {x} (a hostile path segment)
    fields: tuple[str, ...]
    base: tuple[tuple[str, str], ...] = ()  # sensible values of the other fields

    def call(self, client: Client, ids: dict[str, int], field: str, value: str, segment: str):  # type: ignore[no-untyped-def]
        path = self.path.format(**ids, x=quote(segment, safe=""))
        base = {key: text.format(**ids) for key, text in self.base}
        data = {**base, **({field: value} if field else {})}
        if self.method == "GET":
            return client.get(path, data)
        return client.post(path, data)


PUBLIC = [
    Route("GET", "/dich-vu-cong/", ("q", "linh-vuc", "muc-do", "trang", "don-vi")),
    Route("GET", "/tra-cuu/", ("ma",)),
    Route("POST", "/tra-cuu/", ("code", "phone")),
    Route("POST", "/tra-cuu/danh-gia/", ("code", "phone", "time", "satisfaction")),
    Route("GET", "/tra-cuu/{x}/", ("",)),
    Route("GET", "/thu-tuc/{x}/", ("",)),
    Route("GET", "/kiem-tra-ban-sao/", ("code", "ma")),
    Route("GET", "/cong-dan/xac-thuc/", ("code", "next")),
    Route("POST", "/dang-nhap/", ("username", "password")),
    Route("GET", "/lich/", ("tuan",)),
    Route("GET", "/", ("q", "trang")),
    Route("GET", "/api/v1/public/status/", ("code", "phone")),
    Route(
        "POST",
        "/phan-anh/",
        ("name", "phone", "email", "subject", "content"),
        (
            ("name", "Nguyễn Thị Hoa"),
            ("phone", "0912345678"),
            ("email", "hoa@example.vn"),
            ("subject", "Đèn đường"),
            ("content", "Ba bóng đèn bị hỏng nhiều ngày."),
        ),
    ),
    Route("GET", "/phan-anh/", ("da-gui",)),
    Route(
        "POST",
        "/cong-dan/dang-ky/",
        ("full_name", "personal_id", "phone", "email", "password"),
        (
            ("full_name", "Lê Văn An"),
            ("personal_id", "068090054321"),
            ("phone", "0912000111"),
            ("email", "an@example.vn"),
            ("password", "Mat-Khau-2026!"),
        ),
    ),
]
CITIZEN = [
    Route("POST", "/cong-dan/ho-so-nhap/{draft}/", (*drafts.FIELDS,), (("autosave", "1"),)),
    Route("POST", "/cong-dan/ho-so-nhap/{draft}/", (*drafts.FIELDS,), (("submit", "1"),)),
    Route("GET", "/cong-dan/ho-so-nhap/{x}/", ("",)),
    Route("GET", "/cong-dan/ho-so/", ("trang",)),
    Route("POST", "/thu-tuc/{x}/nop/", ("",)),
]
DESK = [
    Route("GET", "/mot-cua/", ("q",)),
    Route("GET", "/mot-cua/tiep-nhan/", ("procedure",)),
    Route("GET", "/mot-cua/tiep-nhan/thu-tuc/", ("q",)),
    Route("GET", "/mot-cua/tiep-nhan/nguoi-nop/", ("applicant_personal_id",)),
    Route(
        "POST",
        "/mot-cua/tiep-nhan/",
        (
            "procedure",
            "channel",
            "applicant_kind",
            "applicant_personal_id",
            "applicant_name",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "sets",
            "paper_{paper}_originals",
            "paper_{paper}_copies",
        ),
    ),
    Route("GET", "/mot-cua/so-theo-doi/", ("thang",)),
    Route("GET", "/mot-cua/chung-thuc/so/", ("thang", "dang")),
    Route("POST", "/mot-cua/chung-thuc/so/{x}/ghi-chu/", ("text",)),
    Route("GET", "/mot-cua/nop-truc-tuyen/", ("q",)),
    Route("POST", "/mot-cua/nop-truc-tuyen/", ("procedure",)),
    Route("POST", "/mot-cua/danh-gia/", ("dossier", "time")),
    Route("GET", "/mot-cua/tin-nhan/", ("trang-thai",)),
    Route("GET", "/mot-cua/ho-so/{x}/", ("",)),
    Route(
        "POST",
        "/mot-cua/ho-so/{dossier}/thao-tac/transfer/",
        ("to_user", "note"),
    ),
    Route(
        "POST",
        "/mot-cua/ho-so/{dossier}/thao-tac/request_supplement/",
        ("items", "reason", "contact"),
    ),
    Route("POST", "/mot-cua/ho-so/{dossier}/thao-tac/issue_apology/", ("reason", "new_due_at")),
]
OFFICE = [
    Route("GET", "/van-ban/den/", ("ds", "q")),
    Route("GET", "/van-ban/di/", ("q",)),
    Route("GET", "/van-ban/di/moi/", ("tra-loi",)),
    Route("GET", "/van-ban/so/", ("thang",)),
    Route("GET", "/van-ban/so/den/", ("thang", "dang", "mat")),
    Route("GET", "/van-ban/ho-so/", ("nam",)),
    Route("GET", "/lam-viec/lich-tuan/", ("tuan", "dang")),
    Route("GET", "/lam-viec/ke-hoach/", ("trang",)),
    Route("POST", "/lam-viec/ke-hoach/{x}/tu-choi/", ("text",)),
    Route("GET", "/lam-viec/khac-phuc/", ("trang",)),
    Route("GET", "/bao-cao/", ("ky", "don-vi")),
    Route("GET", "/bao-cao/ho-so/", ("ky", "linh-vuc", "thu-tuc", "trang", "chi-tieu")),
    Route("GET", "/bao-cao/tu-cham/", ("nam", "don-vi")),
    Route("GET", "/lam-viec/phan-anh/", ("trang-thai",)),
    Route(
        "POST",
        "/van-ban/den/moi/",
        ("document_date", "pages", "reference", "issuer", "type"),
        (
            ("issuer", "UBND tỉnh Lâm Đồng"),
            ("reference", "12/UBND-VP"),
            ("document_date", "2026-03-02"),
            ("type", "{doctype}"),
            ("abstract", "Về việc kiểm tra"),
            ("received_via", "post"),
            ("urgency", "normal"),
            ("confidentiality", "normal"),
            ("pages", "1"),
        ),
    ),
    Route(
        "POST",
        "/lam-viec/lich-tuan/",
        ("starts_at", "ends_at", "host", "content"),
        (("starts_at", "2026-03-02T07:30"), ("content", "Chào cờ")),
    ),
    Route(
        "POST",
        "/lam-viec/ke-hoach/",
        ("starts_at", "ends_at", "place", "purpose"),
        (
            ("purpose", "Kiểm tra vệ sinh"),
            ("place_kind", "other"),
            ("place", "Khu phố 1"),
            ("starts_at", "2026-03-02T08:00"),
            ("ends_at", "2026-03-02T11:00"),
        ),
    ),
    Route(
        "POST",
        "/lam-viec/kiem-tra/",
        ("starts_on", "ends_on", "title"),
        (
            ("title", "Kiểm tra CCHC"),
            ("scope", "Bộ phận một cửa"),
            ("starts_on", "2026-03-02"),
            ("ends_on", "2026-03-03"),
            ("team", "{leader}"),
        ),
    ),
    Route(
        "POST",
        "/lam-viec/tuyen-truyen/",
        ("held_on", "reached", "link", "title"),
        (("kind", "meeting"), ("title", "Hội nghị"), ("held_on", "2026-03-02"), ("reached", "30")),
    ),
    Route(
        "POST",
        "/lam-viec/chi-dao/moi/",
        ("issued_on", "t0-deadline", "reference"),
        (
            ("title", "Chỉ đạo"),
            ("reference", "5/CĐ"),
            ("issued_on", "2026-03-02"),
            ("text", "Khắc phục"),
            ("t0-title", "Sửa quy trình"),
            ("t0-owner", "{leader}"),
            ("t0-deadline", "2026-03-20T17:00"),
        ),
    ),
]


def _written() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Dossier.objects.count(),
        OutboxMessage.objects.count(),
        Draft.objects.count(),
    )


# --- the world the requests meet ------------------------------------------------------------


@pytest.fixture
def world(ward, province):  # type: ignore[no-untyped-def]
    from wagtail.models import Site

    from motcua.site.models import FeedbackPage, SchedulePage
    from motcua.site.services.sites import create_site

    Site.objects.all().delete()
    site = create_site(ward, hostname="phuthuy.test", is_default=True)
    schedule_page = SchedulePage(title="Lịch công tác", slug="lich")
    site.root_page.add_child(instance=schedule_page)
    schedule_page.save_revision().publish()
    feedback_page = FeedbackPage(title="Phản ánh, kiến nghị", slug="phan-anh")
    site.root_page.add_child(instance=feedback_page)
    feedback_page.save_revision().publish()

    ensure_document_types()
    procedure = make_procedure(province)
    paper = RequiredPaper.objects.create(procedure=procedure, order=1, name="Tờ khai", originals=1)
    people = {
        "desk": make_user("motcua", ward, Role.DESK_OFFICER),
        "clerk": make_user("vanthu", ward, Role.CLERK),
        "leader": make_user("chutich", ward, Role.LEADER),
    }
    from tests.portal.conftest import make_citizen

    citizen = make_citizen()
    draft = drafts.start(citizen, ward, procedure, assisted=False)
    dossier = new_dossier(ward, procedure, people["desk"])
    receive(dossier, actor=people["desk"])
    for role in (Role.CLERK, Role.SPECIALIST):  # the office pages' user may do all of them
        RoleAssignment.objects.create(user=people["leader"], unit=ward, role=role)
    return {
        "people": people,
        "citizen": citizen,
        "ids": {
            "dossier": dossier.pk,
            "draft": draft.pk,
            "procedure": procedure.pk,
            "paper": paper.pk,
            "leader": people["leader"].pk,
            "doctype": DocumentType.objects.order_by("pk").first().pk,
        },
        "paper": paper,
        "procedure": procedure,
        "dossier": dossier,
        "draft": draft,
    }


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _throw(client: Client, routes: list[Route], ids, data) -> None:  # type: ignore[no-untyped-def]
    route = data.draw(st.sampled_from(routes), label="route")
    field = data.draw(st.sampled_from(route.fields), label="field").format(**ids)
    value, segment = data.draw(hostile, label="value"), data.draw(hostile, label="segment")
    before = _written()
    response = route.call(client, ids, field, value, segment or "x")
    assert response.status_code < 500, (route, field, value, segment)
    if response.status_code == 400:  # refused: nothing was written
        assert _written() == before, (route, field, value)


# --- property-based: generated hostile values on every listed parameter -----------------------


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_no_hostile_value_gives_a_server_error_on_the_public_pages(world, data):
    _throw(_client(), PUBLIC, world["ids"], data)


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_no_hostile_value_gives_a_server_error_on_the_citizen_pages(world, data):
    _throw(_client(world["citizen"]), CITIZEN, world["ids"], data)


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_no_hostile_value_gives_a_server_error_on_the_desk_pages(world, data):
    _throw(_client(world["people"]["desk"]), DESK, world["ids"], data)


@pytest.mark.django_db
@BOUNDED
@given(data=st.data())
def test_no_hostile_value_gives_a_server_error_on_the_office_pages(world, data):
    _throw(_client(world["people"]["leader"]), OFFICE, world["ids"], data)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(path=st.text(st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_no_address_gives_a_server_error(path):
    response = Client().get("/" + quote(path, safe="/"))
    assert response.status_code < 500, path


# --- the crashes of issue 16, one by one ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "method", "path", "data"),
    [
        (None, "GET", "/dich-vu-cong/", {"q": "\x00"}),
        (None, "POST", "/tra-cuu/danh-gia/", {"code": "\x00", "phone": "0912345678"}),
        ("desk", "GET", "/mot-cua/tiep-nhan/nguoi-nop/", {"applicant_personal_id": "\x00"}),
        ("desk", "POST", "/mot-cua/chung-thuc/so/1/ghi-chu/", {"text": "ghi\x00chú"}),
        ("leader", "POST", "/lam-viec/ke-hoach/1/tu-choi/", {"text": "không\x00duyệt"}),
        ("desk", "GET", "/mot-cua/tiep-nhan/", {"procedure": "abc"}),
        ("desk", "GET", "/mot-cua/tiep-nhan/", {"procedure": "9223372036854775809"}),
        ("desk", "POST", "/mot-cua/nop-truc-tuyen/", {"procedure": "abc"}),
        ("desk", "POST", "/mot-cua/danh-gia/", {"dossier": "abc"}),
        ("clerk", "GET", "/van-ban/di/moi/", {"tra-loi": "abc"}),
        ("desk", "GET", "/mot-cua/so-theo-doi/", {"thang": "9999-12"}),
        ("desk", "GET", "/mot-cua/chung-thuc/so/", {"thang": "9999-12"}),
        ("clerk", "GET", "/van-ban/so/", {"thang": "9999-12"}),
        ("clerk", "GET", "/van-ban/so/den/", {"thang": "9999-12"}),
        (None, "GET", "/lich/", {"tuan": "9999-12-31"}),
        ("clerk", "GET", "/lam-viec/lich-tuan/", {"tuan": "9999-12-31"}),
    ],
)
def test_each_crash_of_the_issue_is_now_a_vietnamese_400(world, user, method, path, data):
    client = _client(world["people"][user] if user else None)
    before = _written()

    response = client.get(path, data) if method == "GET" else client.post(path, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không được chấp nhận" in page
    assert _written() == before


@pytest.mark.django_db
def test_draft_autosave_with_a_nul_byte_is_refused_and_the_draft_is_unchanged(world):
    draft = world["draft"]
    kept = dict(Draft.objects.get(pk=draft.pk).data)

    response = _client(world["citizen"]).post(
        f"/cong-dan/ho-so-nhap/{draft.pk}/", {"applicant_name": "Bình\x00", "autosave": "1"}
    )

    assert response.status_code == 400
    assert Draft.objects.get(pk=draft.pk).data == kept


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["9223372036854775808", "9223372036854775809", "0", "-1"])
def test_ids_out_of_range_in_addresses_are_not_found(world, pk):
    client = _client(world["people"]["desk"])

    for path in (f"/mot-cua/ho-so/{pk}/", f"/thu-tuc/{pk}/", f"/cong-dan/ho-so-nhap/{pk}/"):
        assert client.get(path).status_code == 404, path


def test_the_parsers_bound_what_they_accept():
    from motcua.core import params

    query = {"n": "5", "big": "9223372036854775808", "m": "2026-03", "d": "2026-03-31"}
    assert params.integer(query, "n", maximum=10) == 5
    assert params.record_id(query, "absent", 7) == 7
    assert params.month(query, "m").isoformat() == "2026-03-01"
    assert params.week(query, "d").isoformat() == "2026-03-30"
    assert params.page_size({"limit": "20"}) == 20
    assert params.choice({"s": "b"}, "s", ["a", "b"], "a") == "b"
    for call in (
        lambda: params.record_id(query, "big"),
        lambda: params.record_id({"x": "²"}, "x"),
        lambda: params.integer(query, "n", maximum=4),
        lambda: params.month({"m": "9999-12"}, "m"),
        lambda: params.month({"m": "2026-13"}, "m"),
        lambda: params.day({"d": "2026-02-30"}, "d"),
        lambda: params.day({"d": "9999-12-31"}, "d"),
        lambda: params.page_size({"limit": "9223372036854775809"}),
        lambda: params.page_size({"limit": "0"}),
        lambda: params.choice({"s": "c"}, "s", ["a", "b"], "a"),
        lambda: params.text({"q": "a" * 201}, "q"),
    ):
        with pytest.raises(params.InvalidParameter):
            call()


# --- the error pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_server_error_page_is_in_vietnamese():
    from django.views.defaults import server_error

    request = RequestFactory().get("/")
    with translation.override("vi"):
        page = server_error(request).content.decode()

    assert "Đã có lỗi xảy ra" in page and "Bộ phận một cửa" in page


@pytest.mark.django_db
def test_the_not_allowed_page_is_in_vietnamese(world):
    response = _client(world["citizen"]).get("/mot-cua/ho-so/1/")

    assert response.status_code in (403, 404)
    page = response.content.decode()
    assert "Không được phép" in page or "Không tìm thấy trang" in page


@pytest.mark.django_db
def test_an_api_list_refuses_an_unreadable_parameter_as_json(world):
    from django.core.exceptions import BadRequest

    from motcua.core.views import bad_request

    request = RequestFactory().get("/api/v1/dossiers/")
    with translation.override("vi"):
        answer = bad_request(request, BadRequest("x"))
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"


# --- the desk receipt form says what is wrong and keeps what was typed ------------------------


def _receipt(world, **changes):  # type: ignore[no-untyped-def]
    paper = world["paper"]
    data = {
        "procedure": world["procedure"].pk,
        "channel": "desk",
        "applicant_kind": "citizen",
        "applicant_personal_id": "068090012345",
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_phone": "0987654321",
        "applicant_email": "hoa@example.vn",
        "applicant_address": "Khu phố 3",
        "sets": "1",
        f"paper_{paper.pk}_received": "on",
        f"paper_{paper.pk}_originals": "1",
        f"paper_{paper.pk}_copies": "0",
    }
    for key, value in changes.items():
        data[key.replace("PAPER", f"paper_{paper.pk}")] = value
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"applicant_email": "hoa@"}, "Nhập địa chỉ e-mail hợp lệ", "hoa@"),
        ({"applicant_name": ""}, "Hãy nhập họ và tên người nộp hồ sơ", "0987654321"),
        ({"applicant_name": "H" * 201}, "Tối đa 200 ký tự; đã nhập 201", "H" * 201),
        ({"sets": "0"}, "Phải nộp ít nhất một bộ hồ sơ", "Nguyễn Thị Hoa"),
        ({"sets": "abc"}, "Nhập một số nguyên", "Nguyễn Thị Hoa"),
        ({"PAPER_originals": "-1"}, "Không được là số âm", "Nguyễn Thị Hoa"),
        ({"PAPER_originals": "40000"}, "Tối đa 999", "Nguyễn Thị Hoa"),
        ({"PAPER_copies": "1e999"}, "Nhập một số nguyên", "Nguyễn Thị Hoa"),
    ],
)
def test_the_desk_receipt_form_names_what_is_wrong_and_keeps_what_was_typed(
    world, changes, message, kept
):
    client = _client(world["people"]["desk"])
    before = Dossier.objects.count()

    response = client.post("/mot-cua/tiep-nhan/", _receipt(world, **changes))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page, page
    assert f'value="{kept}"' in page
    assert Dossier.objects.count() == before


@pytest.mark.django_db
def test_a_zero_byte_scan_is_refused_with_a_message(world):
    client = _client(world["people"]["desk"])
    empty = SimpleUploadedFile("to-khai.pdf", b"", "application/pdf")

    response = client.post("/mot-cua/tiep-nhan/", _receipt(world, PAPER_scan=empty))

    page = response.content.decode()
    assert "Tệp rỗng (0 byte)" in page and "Nguyễn Thị Hoa" in page
    assert Dossier.objects.count() == 1  # only the world's own dossier


@pytest.mark.django_db
def test_a_good_receipt_still_goes_through(world):
    client = _client(world["people"]["desk"])
    scan = SimpleUploadedFile("to-khai.pdf", sample_files.PDF, "application/pdf")

    response = client.post("/mot-cua/tiep-nhan/", _receipt(world, PAPER_scan=scan))

    assert response.status_code == 302
    assert Dossier.objects.count() == 2


# --- the citizen's draft keeps long text whole and says it is too long ------------------------


@pytest.mark.django_db
def test_a_draft_keeps_an_over_long_name_whole_and_says_so(world):
    draft, client = world["draft"], _client(world["citizen"])
    long_name = "Nguyễn " * 100  # 700 characters: more than the 500 it used to be cut at

    saved = client.post(
        f"/cong-dan/ho-so-nhap/{draft.pk}/",
        {"applicant_name": long_name, "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    page = client.post(f"/cong-dan/ho-so-nhap/{draft.pk}/", {"applicant_name": long_name})
    submitted = client.post(
        f"/cong-dan/ho-so-nhap/{draft.pk}/", {"applicant_name": long_name, "submit": "1"}
    )

    assert Draft.objects.get(pk=draft.pk).data["applicant_name"] == long_name
    message = "tối đa 200 ký tự; đã nhập 699"
    assert message in saved.content.decode()
    assert page.status_code == 200 and message in page.content.decode()
    assert message in submitted.content.decode()
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_with_a_bad_e_mail_is_not_submitted(world):
    draft = world["draft"]
    draft.data.update(email="binh@@example", declaration=True)
    draft.save()

    problems = drafts.problems(draft)

    assert "email" in problems


# --- found by the sweep: dates and numbers beyond what the database or the calendar holds ----

PLAN = {
    "purpose": "Kiểm tra vệ sinh",
    "place_kind": "other",
    "place": "Khu phố 1",
    "starts_at": "2026-03-02T08:00",
    "ends_at": "2026-03-02T11:00",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/lam-viec/ke-hoach/", {**PLAN, "starts_at": "0001-01-01T00:00"}, "từ năm 1900"),
        ("/lam-viec/ke-hoach/", {**PLAN, "ends_at": "9999-12-31T23:59"}, "đến năm 2100"),
        (
            "/lam-viec/tuyen-truyen/",
            {"kind": "meeting", "title": "Hội nghị", "held_on": "2026-03-02", "reached": "9" * 20},
            "10000000",
        ),
    ],
)
def test_a_form_value_beyond_the_database_is_refused_with_a_message(world, path, data, message):
    client = _client(world["people"]["leader"])
    before = _written()

    response = client.post(path, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _written() == before


@pytest.mark.django_db
def test_a_report_period_beyond_the_calendar_is_refused(world):
    response = _client(world["people"]["leader"]).get("/bao-cao/", {"ky": "9999-12"})

    assert response.status_code == 400
