"""Dossiers filed on the national portal reach the ward's desk queue with their files, keep the
portal's code beside ours, go through the normal receipt, and a second delivery makes none."""

import pytest

from motcua.core.messaging.delivery import sweep
from motcua.dossiers.models import Channel, DossierPaper, Status
from motcua.dossiers.services.intake import receive
from motcua.interop.inbound import pull_inbox
from motcua.interop.models import InboundDossier
from tests.dossiers.conftest import at
from tests.sample_files import image_bytes, pdf_bytes

FILED = {
    "MaTTHC": "1.001022",
    "ChuHoSo": "Lê Thị Hoa",
    "LoaiDoiTuong": 1,
    "SoGiayToChuHoSo": "068190054321",
    "SoDienThoai": "0987654321",
    "Email": "hoa@example.vn",
    "DiaChi": "Khu phố 3, phường Phú Thuỷ",
}


@pytest.fixture
def inbound(settings, portal):  # type: ignore[no-untyped-def]
    settings.MOTCUA_PORTAL_INBOUND = "dvcqg"
    settings.MOTCUA_PORTALS = ["dvcqg"]
    return portal


def test_a_dossier_filed_on_the_portal_waits_at_the_desk_and_is_received_as_usual(
    ward, procedure, staff, inbound
):
    national = inbound.file_on_portal(
        ward.identifier_code, FILED, {"to-khai.pdf": pdf_bytes(), "cccd.jpg": image_bytes()}
    )
    found = pull_inbox()
    assert found.created == [national] and not found.problems
    row = InboundDossier.objects.get(national_code=national)
    d = row.dossier
    assert (d.status, d.channel, d.applicant_name) == (Status.PENDING, Channel.ONLINE, "Lê Thị Hoa")
    papers = DossierPaper.objects.filter(dossier=d).order_by("pk")
    assert [p.name for p in papers] == ["to-khai.pdf", "cccd.jpg"]
    assert papers[0].scan.name.endswith(".pdf") and papers[1].scan.name.endswith(".jpg")
    assert row.confirmed and inbound.inbox[ward.identifier_code] == []
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    sweep()
    held = inbound.held["dvcqg"][d.code]["HoSo"]
    assert held["MaHoSoQG"] == national and held["KenhThucHien"] == 2
    assert inbound.progress_of(d.code) == [2, 4]  # received, then straight to the handler


def test_a_second_delivery_of_the_same_dossier_makes_no_second_dossier(
    ward, procedure, staff, inbound
):
    national = inbound.file_on_portal(ward.identifier_code, FILED, {"to-khai.pdf": pdf_bytes()})
    inbound.lose_confirmations(1)  # the portal delivers it again
    first = pull_inbox()
    assert first.created == [national]
    assert not InboundDossier.objects.get(national_code=national).confirmed
    again = pull_inbox()
    assert again.created == [] and again.duplicates == [national]
    assert InboundDossier.objects.filter(national_code=national).count() == 1
    assert InboundDossier.objects.get(national_code=national).confirmed
    assert pull_inbox().duplicates == []  # confirmed: the portal no longer offers it


def test_a_file_that_is_not_what_it_claims_is_kept_out_with_the_reason(
    ward, procedure, staff, inbound
):
    national = inbound.file_on_portal(
        ward.identifier_code, FILED, {"to-khai.pdf": b"<html><script>alert(1)</script>"}
    )
    found = pull_inbox()
    row = InboundDossier.objects.get(national_code=national)
    assert found.problems == [national] and row.dossier is None
    assert "không phải tệp PDF" in row.problem and not row.confirmed


def test_an_unknown_procedure_or_a_nul_byte_is_a_reason_not_a_crash(
    ward, procedure, staff, inbound
):
    national = inbound.file_on_portal(
        ward.identifier_code, {**FILED, "MaTTHC": "9.999999", "ChuHoSo": "Lê\x00 Hoa"}, {}
    )
    pull_inbox()
    row = InboundDossier.objects.get(national_code=national)
    assert row.dossier is None and "9.999999" in row.problem


def test_a_portal_that_is_down_leaves_the_inbox_for_the_next_run(ward, procedure, staff, inbound):
    national = inbound.file_on_portal(ward.identifier_code, FILED, {"to-khai.pdf": pdf_bytes()})
    inbound.outage(True)
    assert "503" in pull_inbox().unavailable and not InboundDossier.objects.exists()
    inbound.outage(False)
    assert pull_inbox().created == [national]
