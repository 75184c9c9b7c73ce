"""MotCua benchmarks (make bench). Every figure is printed beside a baseline from the same run.

- calendar: add_working_days calls/s, against plain datetime + timedelta and against the
  `holidays` package's own date-granular get_nth_working_day.
- numbering: numbers/s on PostgreSQL, 1 thread and 32 threads, each number in its own
  transaction; the 32-thread run is checked for duplicates and gaps.
- desk API: dossiers received through POST /api/v1/dossiers/ (dossiers/s, p95) at 16
  concurrent clients, against a bare Django view served by the same gunicorn.
- forms: Mẫu 01 PDFs/s against WeasyPrint rendering a one-line page.
- certify: signed certified copies per second for a 5-page phone-photo scan (assembly, the
  signer's and the organisation's PAdES signatures), against assembling the same unsigned copy.
- documents: search p95 over 200,000 incoming documents on PostgreSQL (full-text, GIN index),
  against a plain indexed lookup by number in the same run.
- website: the ward site's home page at 64 concurrent clients with the visitor counter on
  (returning visitors, and every request a new visitor) and off, against a bare Django view.
- reports: one province (100 communes, 2,000,000 dossiers over three years): a unit's monthly
  report, the province's yearly roll-up and a unit's yearly 766 index, against a hand-written
  SQL GROUP BY of the same counts.
- portal: public status look-ups (POST /api/v1/public/status/, code + phone) per second and
  p95 at 32 concurrent clients, against the bare view; outbox delivery (messages/s) through the
  database task backend and its worker to a local SMTP server, against Django sending the
  same mails directly.

- interop: status messages delivered per second by the outbox to the portal simulator (DVCQG
  protocol, real HTTP), against the same messages posted directly with the HTTP client; and
  the sync lag (event → portal's acknowledgement) p95 under 16 concurrent receipts through the
  desk API, gunicorn and a separate db_worker.

PostgreSQL: MOTCUA_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/motcua_bench
(dropped and created afresh).
"""

import os
import sys
import threading
import time
from datetime import datetime, timedelta

BENCH_DB = os.environ.get(
    "MOTCUA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench"
)


def fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# One walk-in receipt through the desk API (the desk and portal-sync benchmarks).
RECEIPT = {
    "unit": "22924",
    "procedure": "1.001022",
    "applicant_kind": "citizen",
    "applicant_name": "Trần Văn Bình",
    "applicant_phone": "0912345678",
    "papers": [{"name": "Tờ khai", "originals": 1}],
}


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(fn, count: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(count)
    return rate(count, time.perf_counter() - start)


def bench_calendar() -> None:
    import holidays

    from motcua.core.calendar import VN_TZ
    from motcua.core.models import AdministrativeUnit
    from motcua.core.selectors import calendar_for

    ward = AdministrativeUnit.objects.get(code="22924")
    calendar = calendar_for(ward)
    start = datetime(2026, 2, 10, 9, 15, tzinfo=VN_TZ)
    moments = [start + timedelta(hours=7 * i) for i in range(1000)]
    vn = holidays.country_holidays("VN", years=range(2026, 2029))
    n = 200_000

    def ours(count: int) -> None:
        for i in range(count):
            calendar.add_working_days(moments[i % 1000], 5)

    def via_selector(count: int) -> None:
        for i in range(count):
            calendar_for(ward).add_working_days(moments[i % 1000], 5)

    def plain(count: int) -> None:
        for i in range(count):
            moments[i % 1000] + timedelta(days=5)

    def package(count: int) -> None:
        for i in range(count):
            vn.get_nth_working_day(moments[i % 1000].date(), 5)

    ours(1000)  # load the years once
    r_ours, r_plain = timed(ours, n), timed(plain, n)
    r_pkg, r_sel = timed(package, n // 10), timed(via_selector, n // 20)
    print("calendar: add_working_days(moment, 5)")
    print(f"  MotCua WorkingCalendar        {r_ours:12,.0f} calls/s")
    print(
        f"  calendar_for(unit) + add      {r_sel:12,.0f} calls/s  (one DB version check per call)"
    )
    print(f"  holidays.get_nth_working_day  {r_pkg:12,.0f} calls/s  (dates only, no hours)")
    print(f"  datetime + timedelta          {r_plain:12,.0f} calls/s  (no calendar at all)")
    print(
        f"  ratio MotCua / holidays package: {r_ours / r_pkg:.2f}x;"
        f" MotCua / bare timedelta: {r_ours / r_plain:.3f}x"
    )


def bench_numbering() -> None:
    from django.db import connection, transaction

    from motcua.core.models import AdministrativeUnit
    from motcua.core.services.numbering import current_number, next_number

    ward = AdministrativeUnit.objects.get(code="22924")

    def run(book: str, threads: int, total: int) -> float:
        issued: list[int] = []
        lock = threading.Lock()

        def work(count: int) -> None:
            mine = []
            for _ in range(count):
                with transaction.atomic():
                    mine.append(next_number(ward, book, "2026"))
            with lock:
                issued.extend(mine)
            connection.close()

        shares = [total // threads + (i < total % threads) for i in range(threads)]
        workers = [threading.Thread(target=work, args=(s,)) for s in shares]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        seconds = time.perf_counter() - start
        ok = (
            sorted(issued)
            == list(range(1, total + 1))
            == list(range(1, current_number(ward, book, "2026") + 1))
        )
        verdict = "no duplicate, no gap" if ok else "DUPLICATE OR GAP"
        print(
            f"  {threads:>2} thread(s): {total} numbers in {seconds:.2f} s"
            f" = {rate(total, seconds):8,.0f}/s  {verdict}"
        )
        if not ok:
            sys.exit(1)
        return rate(total, seconds)

    print(f"numbering on {connection.vendor} ({connection.settings_dict['NAME']}):")
    single = run("bench-1", 1, 5000)
    many = run("bench-32", 32, 5000)
    print(
        f"  ratio 32 threads / 1 thread: {many / single:.2f}x"
        " (one locked counter row serialises them)"
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, **settings: str):  # type: ignore[no-untyped-def]
    """Gunicorn (the production WSGI server), 2 workers x 8 threads, on loopback; ``settings``
    are extra environment variables (MOTCUA_VISITS_ENABLED="false", ...)."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MOTCUA_LOOKUP_RATE": "100000000/m",  # measure the look-up, not its limiter
        "MOTCUA_DB_CONN_MAX_AGE": "60",  # persistent connections, as in production
        "PYTHONPATH": os.pathsep.join([root, os.path.join(root, "src")]),
        **settings,
    }
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "motcua.wsgi:application",
            "-w",
            "2",
            "--threads",
            "8",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    import http.client

    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/dang-nhap/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def bench_desk() -> None:
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from bench.load import run
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier

    token, _ = Token.objects.get_or_create(user=User.objects.get(username="motcua"))
    auth = {"Authorization": f"Token {token.key}"}
    body = RECEIPT
    port = free_port()
    server = serve(port)
    try:
        run(port, "/bench/bare/", body, {}, 4, 10)  # warm both up
        run(port, "/api/v1/dossiers/", body, auth, 4, 5)
        bare = run(port, "/bench/bare/", body, {}, 16, 50)
        api = run(port, "/api/v1/dossiers/", body, auth, 16, 25)
    finally:
        server.terminate()
        server.wait()
    lines = sorted(
        Dossier.objects.filter(ledger_year__isnull=False).values_list("ledger_line", flat=True)
    )
    gapless = lines == list(range(1, len(lines) + 1))
    codes = Dossier.objects.values_list("code", flat=True)
    print(
        f"desk API on {connection.vendor}, gunicorn 2 workers x 8 threads, 16 concurrent clients:"
    )
    print(
        f"  bare Django view      {bare.per_second:8,.0f} req/s   p95 {bare.p95_ms:7.1f} ms"
        f"   errors {bare.errors}"
    )
    print(
        f"  POST /api/v1/dossiers {api.per_second:8,.0f} dossiers/s  p95 {api.p95_ms:7.1f} ms"
        f"   errors {api.errors}"
    )
    print(
        f"  ratio API / bare: throughput {api.per_second / bare.per_second:.3f}x,"
        f" p95 {api.p95_ms / bare.p95_ms:.1f}x;"
        f" {len(lines)} dossiers, codes unique: {len(set(codes)) == len(codes)},"
        f" ledger gapless: {gapless}"
    )


def bench_pdf() -> None:
    from weasyprint import HTML

    from motcua.dossiers import documents
    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.exclude(code=None).first()
    n = 20
    documents.receipt_pdf(dossier)  # fonts and templates loaded once
    r_form = timed(lambda c: [documents.receipt_pdf(dossier) for _ in range(c)], n)
    r_plain = timed(lambda c: [HTML(string="<p>MotCua</p>").write_pdf() for _ in range(c)], n)
    print("forms: Mẫu 01 (A5, QR code, shipped font)")
    print(f"  Mẫu 01 PDF            {r_form:8.1f} PDFs/s")
    print(f"  one-line WeasyPrint   {r_plain:8.1f} PDFs/s")
    print(f"  ratio Mẫu 01 / one-line page: {r_form / r_plain:.2f}x")


def bench_portal() -> None:
    bench_lookup()
    bench_outbox()


def bench_lookup() -> None:
    from bench.load import run
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services.intake import receive
    from motcua.procedures.models import Procedure
    from tests.dossiers.conftest import new_dossier

    desk = User.objects.get(username="motcua")
    ward = desk.role_assignments.get().unit
    dossier = new_dossier(ward, Procedure.objects.get(code="1.001022"), desk)
    receive(dossier, actor=desk)
    dossier = Dossier.objects.get(pk=dossier.pk)
    body = {"code": dossier.code, "phone": "0912 345 678"}
    port = free_port()
    server = serve(port)
    try:
        run(port, "/bench/bare/", body, {}, 4, 20)
        run(port, "/api/v1/public/status/", body, {}, 4, 20, expect=200)
        bare = run(port, "/bench/bare/", body, {}, 32, 60)
        found = run(port, "/api/v1/public/status/", body, {}, 32, 60, expect=200)
    finally:
        server.terminate()
        server.wait()
    print("public status look-up (code + phone), gunicorn 2 workers x 8 threads, 32 clients:")
    for label, result in (
        ("bare Django view          ", bare),
        ("POST /api/v1/public/status", found),
    ):
        print(
            f"  {label} {result.per_second:8,.0f} req/s   p95 {result.p95_ms:7.1f} ms"
            f"   errors {result.errors}"
        )
    print(
        f"  ratio look-up / bare: throughput {found.per_second / bare.per_second:.3f}x,"
        f" p95 {found.p95_ms / bare.p95_ms:.1f}x"
    )


def bench_outbox() -> None:
    import logging

    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.core.management import call_command
    from django.db import transaction

    from motcua.core.models import OutboxMessage, OutboxStatus
    from motcua.core.services import outbox
    from tests.smtp_server import start_smtp_server

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    smtp = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = smtp.host, smtp.port, False
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    n = 300
    context = {
        "user": {"get_full_name": "Trần Văn Bình"},
        "code": "123456",
        "public_url": settings.MOTCUA_PUBLIC_URL,
    }
    try:
        start = time.perf_counter()
        for start_at in range(0, n, 50):  # in batches, as state changes commit
            with transaction.atomic():
                for i in range(start_at, start_at + 50):
                    outbox.queue("verify_contact", context, email=f"cd{i}@example.vn")
        queued = time.perf_counter() - start
        start = time.perf_counter()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        smtp.wait_for(n, timeout=120)
        worker = time.perf_counter() - start
        mine = OutboxMessage.objects.filter(kind="verify_contact", recipient__startswith="cd")
        sent = mine.filter(status=OutboxStatus.SENT).count()
        start = time.perf_counter()
        for i in range(n):
            EmailMessage("Mã xác thực", "Nội dung", None, [f"cd{i}@example.vn"]).send()
        smtp.wait_for(2 * n, timeout=120)
        direct = time.perf_counter() - start
    finally:
        smtp.stop()
    print(f"outbox: {n} e-mails through django-tasks-db + db_worker to a local aiosmtpd:")
    print(f"  queue in the caller's transaction  {rate(n, queued):8,.0f} messages/s")
    print(
        f"  delivered by the worker            {rate(sent, worker):8,.1f} messages/s"
        f"   ({sent}/{n} marked sent)"
    )
    print(f"  Django send() directly, same mails {rate(n, direct):8,.1f} messages/s")
    print(f"  ratio worker / direct: {direct / worker:.2f}x")


def bench_certify() -> None:
    import io
    import tempfile
    from pathlib import Path

    from PIL import Image

    from motcua.certification import assembly
    from motcua.certification.pki import create_demo_pki
    from motcua.certification.signing import SignatureSpec, sign_twice

    scans = []
    for n in range(5):  # phone photos of an A4 page: 3000 x 4000, a little texture
        image = Image.effect_noise((750, 1000), 40).convert("RGB").resize((3000, 4000))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
        scans.append((buffer.getvalue(), f"trang-{n + 1}.jpg"))
    statement = assembly.Statement(
        [
            "Chứng thực bản sao đúng với bản chính.",
            "Số chứng thực: 1. Quyển số: 01/2026-SCT/BS.",
            "Ngày 25 tháng 11 năm 2026",
            "CHỦ TỊCH",
            "Nguyễn Văn An",
        ]
    )
    url = "http://127.0.0.1:8000/kiem-tra-ban-sao/?so=1/2026&ma=ABCDEF12"
    with tempfile.TemporaryDirectory() as folder:
        pki = create_demo_pki(
            Path(folder),
            organisation="Ủy ban nhân dân phường Phú Thủy",
            province="Lâm Đồng",
            signers=[("Nguyễn Văn An", "Chủ tịch")],
            password=b"bench",
        )

        def unsigned(count: int) -> None:
            for _ in range(count):
                assembly.assemble(scans, statement=statement, qr_url=url)

        def signed(count: int) -> None:
            for _ in range(count):
                copy = assembly.assemble(scans, statement=statement, qr_url=url)
                sign_twice(
                    copy.pdf,
                    SignatureSpec(
                        pki.signers[0],
                        b"bench",
                        "ChuKyNguoiChungThuc",
                        "Chứng thực",
                        "Phú Thủy",
                        "Nguyễn Văn An",
                        copy.signer_box,
                        "CHỦ TỊCH",
                    ),
                    SignatureSpec(
                        pki.organisation,
                        b"bench",
                        "ChuKyCoQuan",
                        "Chứng thực",
                        "Phú Thủy",
                        "UBND phường Phú Thủy",
                        copy.organisation_box,
                        "UBND phường Phú Thủy",
                    ),
                )

        unsigned(1)
        signed(1)  # fonts, keys and code paths warmed up
        r_unsigned = timed(unsigned, 5)
        r_signed = timed(signed, 5)
    print("certified copy of a 5-page phone-photo scan (3000x4000 JPEG pages):")
    print(f"  unsigned assembly            {r_unsigned:6.2f} copies/s")
    print(f"  assembly + 2 PAdES signatures {r_signed:5.2f} copies/s")
    print(f"  ratio signed / unsigned: {r_signed / r_unsigned:.2f}x")


def bench_documents() -> None:
    import random
    import statistics
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from motcua.core.importing import fold
    from motcua.core.models import AdministrativeUnit, User
    from motcua.documents.catalogue import ensure_document_types
    from motcua.documents.models import DocumentType, IncomingDocument
    from motcua.documents.selectors import search_incoming

    ensure_document_types()
    ward = AdministrativeUnit.objects.get(code="22924")
    clerk = User.objects.get(username="vanthu")
    kind = DocumentType.objects.get(code="CV")
    words = [
        "cải",
        "cách",
        "hành",
        "chính",
        "chuyển",
        "đổi",
        "số",
        "tuyên",
        "truyền",
        "phòng",
        "chống",
        "thiên",
        "tai",
        "dịch",
        "bệnh",
        "đất",
        "đai",
        "xây",
        "dựng",
        "giáo",
        "dục",
        "y",
        "tế",
        "văn",
        "hóa",
        "thể",
        "thao",
        "an",
        "ninh",
        "quốc",
        "thi",
        "đua",
        "khen",
        "thưởng",
        "ngân",
        "sách",
        "thuế",
        "hộ",
        "tịch",
        "chứng",
        "thực",
        "môi",
        "trường",
        "giao",
        "thông",
        "lao",
        "động",
        "việc",
        "làm",
        "bảo",
        "trợ",
        "xã",
        "hội",
        "người",
        "có",
        "công",
        "trẻ",
        "em",
        "bình",
        "đẳng",
        "giới",
        "khu",
        "phố",
        "dân",
        "cư",
    ]
    rng = random.Random(2026)
    n, now = 200_000, timezone.now()
    existing = IncomingDocument.objects.filter(unit=ward)
    if existing.count() < n:
        base = max(existing.values_list("number", flat=True), default=0)  # the demo's own
        rows = []
        for i in range(base + 1, base + n + 1):
            abstract = "V/v " + " ".join(rng.choice(words) for _ in range(12))
            reference = f"{i}/UBND-{rng.choice(['VX', 'KT', 'NC', 'VP'])}"
            rows.append(IncomingDocument(
                unit=ward, year=2026, number=i, received_at=now, received_via="post",
                issuer="UBND tỉnh Lâm Đồng", reference=reference, document_date=date(2026, 1, 1),
                type=kind, abstract=abstract,
                search_text=fold(f"{reference} {abstract} công văn ubnd tỉnh lâm đồng"),
            ))  # fmt: skip
        IncomingDocument.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_incomingdocument")

    def p95(fn, queries) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        times = []
        for q in queries:
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.quantiles(times, n=20)[18], statistics.median(times)

    queries = [" ".join(rng.sample(words, 2)) for _ in range(200)]
    search = p95(lambda q: list(search_incoming(clerk, q)[:20]), queries)
    numbers = [rng.randint(1, n) for _ in range(200)]
    lookup = p95(lambda k: list(IncomingDocument.objects.filter(unit=ward, year=2026,
                                                               secret_series=False, number=k)),
                 numbers)  # fmt: skip
    print(f"document search on {connection.vendor} over {n:,} incoming documents "
          "(first 20 hits, user-scoped):")  # fmt: skip
    print(f"  full-text search, 2 words   p95 {search[0]:7.1f} ms   median {search[1]:6.1f} ms")
    print(f"  indexed lookup by number    p95 {lookup[0]:7.1f} ms   median {lookup[1]:6.1f} ms")
    print(f"  ratio search / lookup (p95): {search[0] / lookup[0]:.1f}x")


def bench_website() -> None:
    """The demo ward's home page at 64 concurrent clients, as anonymous visitors get it (from
    the page cache), with the visitor counter on and off, beside a bare Django view. Two
    gunicorns run side by side (counter on, counter off) and are measured in alternating
    rounds, medians reported, so that drift of the machine falls on both alike."""
    import statistics

    from bench.load import run_get
    from motcua.site.models import VisitorMark
    from motcua.site.visits.counting import flush

    person = (
        "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.{} Mobile Safari/537.36"
    )

    def returning(client: int, request: int) -> str:  # 64 people reading page after page
        return person.format(client)

    def newcomers(client: int, request: int) -> str:  # every request someone new
        return person.format(f"{client}.{request}.{time.perf_counter_ns()}")

    clients, per_client, rounds = 64, 50, 5
    ports = {"on": free_port(), "off": free_port()}
    servers = [
        serve(ports["on"], MOTCUA_VISITS_ENABLED="true", MOTCUA_VISITS_FLUSH_SECONDS="2"),
        serve(ports["off"], MOTCUA_VISITS_ENABLED="false"),
    ]
    runs: dict[str, list] = {"bare": [], "off": [], "on": [], "new": []}
    try:
        for port in ports.values():  # warm: templates, page cache, salts
            run_get(port, "/", 8, 10, returning)
            run_get(port, "/bench/bare-get/", 8, 10, returning)
        for _ in range(rounds):
            runs["bare"].append(run_get(ports["off"], "/bench/bare-get/", clients, per_client,
                                        returning))  # fmt: skip
            runs["off"].append(run_get(ports["off"], "/", clients, per_client, returning))
            runs["on"].append(run_get(ports["on"], "/", clients, per_client, returning))
        for _ in range(rounds):
            runs["new"].append(run_get(ports["on"], "/", clients, per_client, newcomers))
            runs["off"].append(run_get(ports["off"], "/", clients, per_client, returning))
        time.sleep(4)  # the flusher threads write the buffer
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    flush()
    counted = VisitorMark.objects.filter(period="day").count()

    def rate(key: str) -> float:
        return statistics.median(r.per_second for r in runs[key])

    def p95(key: str) -> float:
        return statistics.median(r.p95_ms for r in runs[key])

    print(f"website home page, gunicorn 2 workers x 8 threads each, {clients} clients x "
          f"{per_client} requests, medians of {rounds} alternating rounds, "
          "page cache on:")  # fmt: skip
    for label, key in (
        ("bare Django view                      ", "bare"),
        ("home, counter off                     ", "off"),
        ("home, counter on, 64 returning people ", "on"),
        ("home, counter on, every request new   ", "new"),
    ):
        errors = sum(r.errors for r in runs[key])
        print(f"  {label} {rate(key):8,.0f} req/s   p95 {p95(key):7.1f} ms   errors {errors}")
    print(f"  ratio counter on / off: {rate('on') / rate('off'):.3f}x (returning), "
          f"{rate('new') / rate('off'):.3f}x (every request new)")  # fmt: skip
    print(f"  ratio home (counter on) / bare view: {rate('on') / rate('bare'):.3f}x;"
          f" counter off / bare view: {rate('off') / rate('bare'):.3f}x")  # fmt: skip
    expected = clients + rounds * clients * per_client
    print(f"  visitors counted today: {counted:,} (expected {expected:,})")


def bench_reports() -> None:
    """One province of 100 communes and 2,000,000 dossiers over three years (loaded with COPY):
    a unit's monthly report, the province's yearly roll-up and a unit's yearly 766 index, each
    beside a hand-written SQL GROUP BY of the same counts, in this run."""
    import random
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.core import figures, periods, summaries
    from motcua.core.calendar import VN_TZ
    from motcua.core.models import AdministrativeUnit, FigureSummary
    from motcua.core.models.units import COMMUNE_KINDS
    from motcua.dossiers.models import Dossier
    from motcua.procedures.models import Procedure
    from motcua.reports import index766, selectors
    from motcua.reports.catalogue import ensure_index_766

    ensure_index_766()
    province = AdministrativeUnit.objects.get(code="68")
    communes = list(
        AdministrativeUnit.objects.filter(parent=province, kind__in=COMMUNE_KINDS).order_by("code")
    )[:100]
    procedures = list(Procedure.objects.filter(province=province).values_list("pk", flat=True))
    total, first_day = 2_000_000, datetime(2023, 12, 1, tzinfo=VN_TZ)
    if Dossier.objects.count() < total:
        started = time.perf_counter()
        _copy_dossiers(communes, procedures, total, first_day, random.Random(766))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")
        print(f"  (loaded {total:,} dossiers in {time.perf_counter() - started:.0f} s)")
    unit = communes[0]
    month, year = periods.parse("2026-03"), periods.parse("2025")

    def compute_live(unit, period):  # type: ignore[no-untyped-def]
        return figures.compute([unit.pk], period.start, period.end, summaries=False).values

    def timed_ms(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
        fn()  # warm
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    # The same twelve counts as the baseline, through the figures engine (what it costs
    # beside hand-written SQL), and then the whole report (56 figures over every module).
    same = ["received", "received_desk", "received_post", "received_online",
            "received_online_assisted", "returned", "returned_early", "returned_on_time",
            "returned_late", "withdrawn", "open_at_end", "overdue_at_end"]  # fmt: skip
    FigureSummary.objects.all().delete()  # counted first: no summary yet
    engine = timed_ms(lambda: figures.compute([unit.pk], month.start, month.end, same))
    engine_year = timed_ms(
        lambda: figures.compute([c.pk for c in communes], year.start, year.end, same), repeat=3
    )
    # Counted from the rows (no summary yet), then read from the closed-period summaries the
    # scheduler's job makes (motcua.core.summaries), checked equal.
    with CaptureQueriesContext(connection) as counted:
        selectors.unit_report(unit, month)
    monthly_live = timed_ms(lambda: selectors.unit_report(unit, month))
    rollup_live = timed_ms(lambda: selectors.province_report(province, year), repeat=3)
    started = time.perf_counter()
    summaries.refresh(units=[c.pk for c in communes], chosen=[month, year])
    summarising = time.perf_counter() - started
    assert selectors.unit_report(unit, month).values == compute_live(unit, month)
    engine_summary = timed_ms(lambda: figures.compute([unit.pk], month.start, month.end, same))
    with CaptureQueriesContext(connection) as statements:
        selectors.unit_report(unit, month)
    monthly = timed_ms(lambda: selectors.unit_report(unit, month))
    monthly_sql = timed_ms(lambda: _sql_counts([unit.pk], month.start, month.end))
    rollup = timed_ms(lambda: selectors.province_report(province, year), repeat=3)
    rollup_sql = timed_ms(
        lambda: _sql_counts([c.pk for c in communes], year.start, year.end), repeat=3
    )
    index = timed_ms(lambda: index766.score(unit, year), repeat=3)
    index_sql = timed_ms(lambda: _sql_counts([unit.pk], year.start, year.end), repeat=3)
    ours = selectors.unit_report(unit, month)
    check = _sql_counts([unit.pk], month.start, month.end)[unit.pk]
    for figure, column in (("received", "received"), ("received_desk", "desk"),
                           ("returned_late", "late"), ("open_at_end", "open"),
                           ("overdue_at_end", "overdue"), ("withdrawn", "withdrawn")):  # fmt: skip
        assert ours.value(figure, unit.pk) == check[column], (figure, ours.values, check)
    print(
        f"reports on {connection.vendor}, {Dossier.objects.count():,} dossiers, "
        f"{len(communes)} communes, 3 years (medians); MotCua computes every figure of the "
        f"report ({len(ours.figures)}), the baseline the 12 dossier-table counts by hand:"
    )
    for label, mine, sql in (
        ("the same 12 counts, one unit, a month   ", engine, monthly_sql),
        ("the same 12 counts, from the summary    ", engine_summary, monthly_sql),
        ("the same 12 counts, 100 communes, a year", engine_year, rollup_sql),
        ("a unit's monthly report, counted        ", monthly_live, monthly_sql),
        ("a unit's monthly report, summary        ", monthly, monthly_sql),
        ("the province's yearly roll-up, counted  ", rollup_live, rollup_sql),
        ("the province's yearly roll-up, summaries", rollup, rollup_sql),
        ("a unit's yearly 766 index, summaries    ", index, index_sql),
    ):
        print(f"  {label} {mine:8.1f} ms   hand-written GROUP BY {sql:7.1f} ms"
              f"   ratio {mine / sql:5.1f}x")  # fmt: skip
    print(f"  (the monthly report runs {len(counted)} statements counted, "
          f"{len(statements)} from its summary; summarising the month and the year for "
          f"{len(communes)} communes took {summarising:.1f} s)")  # fmt: skip


def bench_history() -> None:
    """The desk's work list (the desk page's lists and counts) and the public status look-up
    at 1,000,000 and then 10,000,000 dossiers (loaded with COPY, a hundred communes, the demo
    ward among them; the nine million more are older history): p95 of in-process calls, and
    the ratio 10M / 1M in this run."""
    import random
    import statistics

    from django.db import connection

    from motcua.core.calendar import VN_TZ
    from motcua.core.models import AdministrativeUnit, User
    from motcua.core.models.units import COMMUNE_KINDS
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import lookup, queue, queue_counts
    from motcua.dossiers.services.intake import receive
    from motcua.procedures.models import Procedure
    from tests.dossiers.conftest import new_dossier

    desk = User.objects.get(username="motcua")
    ward = desk.role_assignments.get().unit
    others = AdministrativeUnit.objects.filter(parent=ward.parent, kind__in=COMMUNE_KINDS)
    communes = [ward, *others.exclude(pk=ward.pk).order_by("code")[:99]]
    procedures = list(Procedure.objects.filter(province=ward.parent).values_list("pk", flat=True))
    known = new_dossier(ward, Procedure.objects.get(code="1.001022"), desk)
    receive(known, actor=desk)
    code = Dossier.objects.get(pk=known.pk).code
    rng, first_day = random.Random(19), datetime(2023, 12, 1, tzinfo=VN_TZ)

    def p95(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.quantiles(times, n=20)[-1]

    def load(total: int) -> None:
        """1M: three years up to now; 10M: the same and 27 older years (history, all closed),
        so that the desk's current work is the same at both sizes."""
        started = time.perf_counter()
        older = Dossier.objects.count() >= 1_000_000
        start, years = (datetime(1996, 12, 1, tzinfo=VN_TZ), 27) if older else (first_day, 3)
        _copy_dossiers(communes, procedures, total - Dossier.objects.count(), start, rng, years)
        with connection.cursor() as cursor:  # the ward's open dossiers are the officer's
            cursor.execute(
                "UPDATE dossiers_dossier SET assignee_id = %s WHERE unit_id = %s"
                " AND status = 'in_progress' AND assignee_id IS NULL",
                [desk.pk, ward.pk],
            )
            cursor.execute("VACUUM ANALYZE dossiers_dossier")
            cursor.execute("CHECKPOINT")  # the load's writes flushed before anything is timed
        print(f"  (loaded up to {total:,} dossiers in {time.perf_counter() - started:.0f} s)")

    def desk_page() -> None:
        queue(desk, "mine")
        queue_counts(desk)

    found = {}
    for total in (1_000_000, 10_000_000):
        load(total)
        found[total] = (p95(desk_page, 30), p95(lambda: lookup(code, "0912 345 678"), 200))
    small, large = found[1_000_000], found[10_000_000]
    print(f"history on {connection.vendor}: p95 of in-process calls, {len(communes)} communes")
    for n, label in enumerate(["desk work list (lists + counts)", "public status look-up    "]):
        print(f"  {label}  1M {small[n]:8.1f} ms   10M {large[n]:8.1f} ms"
              f"   ratio 10M/1M {large[n] / small[n]:5.2f}x")  # fmt: skip


def _copy_dossiers(communes, procedures, total, first_day, rng, years=3) -> None:  # type: ignore[no-untyped-def]
    """Dossiers spread evenly over ``years`` from ``first_day``: 90% returned (60% early, 30% on
    time, 10% late), 2% withdrawn, the rest still open if received in the last 60 days of the
    span (a desk's current work) and otherwise returned too; half at the desk, 40% online."""
    from datetime import timedelta

    from django.db import connection

    columns = ["id", "unit_id", "procedure_id", "channel", "status", "applicant_kind",
               "applicant_name", "applicant_personal_id", "applicant_address", "applicant_phone",
               "applicant_email",
               "sets", "fee_due", "fee_paid", "received_at", "clock_start", "due_at", "outcome",
               "result_file", "result_paper", "result_note", "returned_at", "return_method",
               "timeliness", "delivery_method", "delivery_address", "late_return_override",
               "withdrawn_at", "withdrawal_reason", "created_at", "updated_at"]  # fmt: skip
    span = years * 365 * 24 * 3600
    settled = first_day + timedelta(seconds=span) - timedelta(days=60)
    channels = ["desk"] * 50 + ["online"] * 30 + ["online_assisted"] * 10 + ["post"] * 10
    from motcua.core.calendar import VN_TZ
    from motcua.dossiers.partitions import DOSSIERS, ID_YEAR, ensure_years

    with connection.cursor() as cursor:
        # The bulk load is not logged for the summaries (none exists while it runs): the
        # trigger would write a log row per dossier loaded.
        cursor.execute("ALTER TABLE dossiers_dossier DISABLE TRIGGER motcua_watch")
        # Ids carry the year (dossiers/partitions.py): a block of the sequence is reserved and
        # each loaded dossier goes to the partition of the year it was received in.
        cursor.execute("SELECT nextval('dossiers_dossier_id_seq')")
        (base,) = cursor.fetchone()
        cursor.execute("SELECT setval('dossiers_dossier_id_seq', %s)", [base + total])
        ensure_years(DOSSIERS, range(first_day.year, first_day.year + years + 2))
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN"
        ) as copy,
    ):
        for n in range(total):
            received = first_day + timedelta(seconds=rng.randrange(span))
            due = received + timedelta(days=3)
            fate = rng.random()
            if fate >= 0.92 and received < settled:
                fate = 0.0  # an old dossier is not still open: it was returned
            returned = withdrawn = None
            status, timeliness, outcome = "in_progress", "", ""
            if fate < 0.9:
                status, outcome = "returned", "granted"
                kind = rng.random()
                if kind < 0.6:
                    returned, timeliness = received + timedelta(days=1, hours=2), "early"
                elif kind < 0.9:
                    returned, timeliness = due - timedelta(hours=1), "on_time"
                else:
                    returned, timeliness = due + timedelta(days=2), "late"
            elif fate < 0.92:
                status, withdrawn = "withdrawn", received + timedelta(hours=5)
            copy.write_row([
                received.astimezone(VN_TZ).year * ID_YEAR + base + n,
                communes[n % len(communes)].pk, rng.choice(procedures), rng.choice(channels),
                status, "citizen", "Nguyễn Văn A", "", "", "", "", 1, 0, 0, received, received,
                due, outcome, "", False, "", returned, "desk" if returned else "", timeliness,
                "desk", "", "", withdrawn, "", received, received,
            ])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE dossiers_dossier ENABLE TRIGGER motcua_watch")


def _sql_counts(units: list[int], start, end) -> dict[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    """The baseline, written by hand: per unit, the dossier-table counts the report shows
    (received and by channel, returned and by timeliness, withdrawn; open and overdue at the
    end), in two GROUP BY queries."""
    from django.db import connection

    period = """
        SELECT unit_id,
          count(*) FILTER (WHERE received_at >= %(s)s AND received_at < %(e)s),
          count(*) FILTER (WHERE received_at >= %(s)s AND received_at < %(e)s AND channel = 'desk'),
          count(*) FILTER (WHERE received_at >= %(s)s AND received_at < %(e)s AND channel = 'post'),
          count(*) FILTER (WHERE received_at >= %(s)s AND received_at < %(e)s
                             AND channel = 'online'),
          count(*) FILTER (WHERE received_at >= %(s)s AND received_at < %(e)s
                             AND channel = 'online_assisted'),
          count(*) FILTER (WHERE returned_at >= %(s)s AND returned_at < %(e)s
                             AND status = 'returned'),
          count(*) FILTER (WHERE returned_at >= %(s)s AND returned_at < %(e)s
                             AND status = 'returned' AND timeliness = 'early'),
          count(*) FILTER (WHERE returned_at >= %(s)s AND returned_at < %(e)s
                             AND status = 'returned' AND timeliness = 'on_time'),
          count(*) FILTER (WHERE returned_at >= %(s)s AND returned_at < %(e)s
                             AND status = 'returned' AND timeliness = 'late'),
          count(*) FILTER (WHERE withdrawn_at >= %(s)s AND withdrawn_at < %(e)s)
        FROM dossiers_dossier
        WHERE unit_id = ANY(%(u)s)
          AND ((received_at >= %(s)s AND received_at < %(e)s)
            OR (returned_at >= %(s)s AND returned_at < %(e)s)
            OR (withdrawn_at >= %(s)s AND withdrawn_at < %(e)s))
        GROUP BY unit_id
    """
    at_end = """
        SELECT unit_id, count(*), count(*) FILTER (WHERE due_at < %(e)s)
        FROM dossiers_dossier
        WHERE unit_id = ANY(%(u)s) AND received_at < %(e)s
          AND (returned_at IS NULL OR returned_at >= %(e)s)
          AND (withdrawn_at IS NULL OR withdrawn_at >= %(e)s)
        GROUP BY unit_id
    """
    names = ["received", "desk", "post", "online", "assisted", "returned", "early", "on_time",
             "late", "withdrawn"]  # fmt: skip
    found = {u: dict.fromkeys([*names, "open", "overdue"], 0) for u in units}
    with connection.cursor() as cursor:
        cursor.execute(period, {"s": start, "e": end, "u": units})
        for unit, *counts in cursor.fetchall():
            found[unit].update(zip(names, counts, strict=True))
        cursor.execute(at_end, {"e": end, "u": units})
        for unit, still_open, overdue in cursor.fetchall():
            found[unit].update(open=still_open, overdue=overdue)
    return found


def bench_interop() -> None:
    bench_sync_throughput()
    bench_sync_lag()


def _portal_settings(base_url: str) -> dict[str, str]:
    return {"MOTCUA_PORTALS": "dvcqg", "MOTCUA_DVCQG_URL": f"{base_url}/dvcqg"}


def bench_sync_throughput() -> None:
    import json

    import requests
    from django.conf import settings
    from django.db import transaction

    from motcua.core.messaging.delivery import sweep
    from motcua.core.models import OutboxMessage, OutboxStatus, User
    from motcua.dossiers.models import Dossier, Status
    from motcua.interop.models import SyncMessage
    from motcua.interop.services import queue
    from motcua.interop.simulator import start_portal_simulator
    from motcua.interop.systems import adapter_for

    running = start_portal_simulator()
    settings.MOTCUA_PORTALS = ["dvcqg"]
    settings.MOTCUA_DVCQG = {**settings.MOTCUA_DVCQG, "url": f"{running.base_url}/dvcqg"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    adapter_for.cache_clear()
    desk = User.objects.get(username="motcua")
    received = list(Dossier.objects.filter(code__isnull=False).exclude(status=Status.DRAFT)[:300])
    try:
        with transaction.atomic():  # one status per dossier, as many state changes would
            rows = [
                queue(d, "dvcqg", action="transfer", code=4, actor=desk, at=d.received_at)
                for d in received
            ]
        ids = [r.outbox_id for r in rows]
        start = time.perf_counter()
        sweep()
        outbox = time.perf_counter() - start
        sent = OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.SENT).count()
        bodies = [
            json.loads(b)
            for b in OutboxMessage.objects.filter(pk__in=ids).values_list("body", flat=True)
        ]
        http = requests.Session()
        base = f"{running.base_url}/dvcqg"
        auth = {"username": "motcua", "secret": "demo-secret"}
        start = time.perf_counter()
        session = http.post(f"{base}/auth", json=auth, headers={"dstcode": "x"}).json()["session"]
        for n, body in enumerate(bodies):
            tag = {"MaThongDiep": f"direct-{n}"}
            for service, item in (
                ("DongBoHoSoMC", body["HoSo"]),
                ("CapNhatTienDoHoSoMC", body["TienDo"]),
            ):
                answer = http.post(
                    f"{base}/integration",
                    headers={"dstcode": "x"},
                    json={
                        "session": session,
                        "madonvi": body["MaDonVi"],
                        "service": service,
                        "isUpdating": True,
                        "data": [{**item, **tag}],
                    },
                ).json()
                assert answer["error_code"] == "0", answer
        direct = time.perf_counter() - start
    finally:
        running.stop()
        adapter_for.cache_clear()
    held = SyncMessage.objects.filter(outbox_id__in=ids, outcome="accepted").count()
    print(f"portal sync: {len(ids)} status messages (DongBoHoSoMC + CapNhatTienDoHoSoMC each):")
    print(
        f"  outbox → adapter → simulator   {rate(sent, outbox):8,.1f} messages/s"
        f"   ({held}/{len(ids)} accepted)"
    )
    print(f"  same JSON posted with requests {rate(len(bodies), direct):8,.1f} messages/s")
    print(f"  ratio outbox / direct: {rate(sent, outbox) / rate(len(bodies), direct):.2f}x")


def bench_sync_lag() -> None:
    import statistics
    import subprocess

    from rest_framework.authtoken.models import Token

    from bench.load import run
    from motcua.core.models import OutboxStatus, User
    from motcua.interop.models import SyncMessage
    from motcua.interop.simulator import start_portal_simulator

    running = start_portal_simulator()
    extra = _portal_settings(running.base_url)
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="motcua"))
    auth = {"Authorization": f"Token {token.key}"}
    body = RECEIPT
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {
        **os.environ,
        **extra,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join([root, os.path.join(root, "src")]),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            os.path.join(root, "manage.py"),
            "db_worker",
            "--interval",
            "0.05",
            "--no-startup-delay",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = free_port()
    server = serve(port, **extra)
    before = SyncMessage.objects.count()
    try:
        result = run(port, "/api/v1/dossiers/", body, auth, 16, 20)
        mine = SyncMessage.objects.order_by("pk")[before:]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            waiting = SyncMessage.objects.filter(pk__in=[m.pk for m in mine]).exclude(
                outbox__status=OutboxStatus.SENT
            )
            if not waiting.exists():
                break
            time.sleep(0.2)
    finally:
        server.terminate()
        worker.terminate()
        server.wait()
        worker.wait()
        running.stop()
    rows = list(SyncMessage.objects.filter(pk__in=[m.pk for m in mine]).select_related("outbox"))
    lags = [
        (r.outbox.sent_at - r.event_at).total_seconds() * 1000 for r in rows if r.outbox.sent_at
    ]
    p95 = statistics.quantiles(lags, n=20)[18] if len(lags) > 1 else float("nan")
    print(
        f"portal sync lag, {result.requests} receipts by 16 concurrent clients"
        " (gunicorn 2x8, one db_worker):"
    )
    print(
        f"  receipts {result.per_second:6,.1f}/s, p95 {result.p95_ms:7.1f} ms,"
        f" errors {result.errors}"
    )
    print(
        f"  {len(lags)}/{len(rows)} statuses acknowledged; lag event → acknowledgement"
        f" p50 {statistics.median(lags):7.1f} ms, p95 {p95:7.1f} ms;"
        f" p95 lag / p95 receipt {p95 / result.p95_ms:.1f}x"
    )


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:0] = [root, os.path.join(root, "src")]
    fresh_database(BENCH_DB)
    os.environ["DATABASE_URL"] = BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    parts = {
        "calendar": bench_calendar,
        "numbering": bench_numbering,
        "desk": bench_desk,
        "pdf": bench_pdf,
        "portal": bench_portal,
        "certify": bench_certify,
        "documents": bench_documents,
        "website": bench_website,
        "reports": bench_reports,
        "interop": bench_interop,
        "history": bench_history,
    }
    for name in sys.argv[1:] or list(parts):
        parts[name]()


if __name__ == "__main__":
    main()
