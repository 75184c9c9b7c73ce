"""A hand-built month of one ward (March 2026), every dossier driven through the real services
at set times, so that the figures' expected values can be written in the tests."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.services.closing import return_result, withdraw
from motcua.dossiers.services.handling import (
    approve,
    assign,
    attach_result,
    hand_over,
    transfer,
)
from motcua.dossiers.services.intake import receive, refuse, request_supplement
from motcua.dossiers.services.lateness import allow_late_return, issue_apology
from motcua.portal.models import Payment, Rating
from tests import sample_files
from tests.dossiers.conftest import at, make_procedure, new_dossier
from tests.dossiers.conftest import staff as staff

PDF = sample_files.PDF


def handle(d, staff, *, transfer_at, approve_at, returned_at, file=False):  # type: ignore[no-untyped-def]
    """Received dossier → justice officer → Chairman → desk → returned at the desk (an online
    dossier is with the handlers from its receipt: it is only assigned)."""
    if d.status == Status.RECEIVED:
        transfer(d, actor=staff["desk"], to_user=staff["justice"], at=at(transfer_at))
    elif d.assignee_id is None:
        assign(d, actor=staff["justice"], to_user=staff["justice"], at=at(transfer_at))
    hand_over(d, actor=staff["justice"], to_user=staff["chairman"], at=at(approve_at))
    approve(d, actor=staff["chairman"], to_user=staff["desk"], at=at(approve_at))
    result = SimpleUploadedFile("ket-qua.pdf", PDF, "application/pdf") if file else None
    attach_result(d, actor=staff["desk"], file=result, paper=not file, at=at(approve_at))
    if returned_at:
        return_result(d, actor=staff["desk"], method="desk", at=at(returned_at))
    return d


def received(ward, procedure, staff, when, channel=Channel.DESK):  # type: ignore[no-untyped-def]
    d = new_dossier(ward, procedure, staff["desk"], channel=channel)
    receive(d, actor=staff["desk"], at=at(when))
    return d


def rate(d, satisfaction: str, when: str) -> None:  # type: ignore[no-untyped-def]
    Rating.objects.create(
        dossier=d, source="online", time="early", contacts="0", agencies="1",
        attitude="courteous", publicity="full", satisfaction=satisfaction, rated_at=at(when),
    )  # fmt: skip


@dataclass
class March:
    ward: object
    dossiers: dict[str, Dossier]


@pytest.fixture
def march(ward, staff):  # type: ignore[no-untyped-def]
    """Eleven dossiers of phường Phú Thuỷ around March 2026 (procedure: 3 working days)."""
    procedure = make_procedure(ward.province)
    d: dict[str, Dossier] = {}
    # K: received in February, returned early on 2 March (counts as returned, not received).
    d["K"] = received(ward, procedure, staff, "27/02/2026 09:00")
    handle(d["K"], staff, transfer_at="27/02/2026 10:00", approve_at="02/03/2026 08:00",
           returned_at="02/03/2026 10:00")  # fmt: skip
    # D1 at the desk: early, rated very satisfied, its paper scanned, a fee not paid online.
    d["D1"] = received(ward, procedure, staff, "02/03/2026 09:00")
    handle(d["D1"], staff, transfer_at="02/03/2026 10:00", approve_at="04/03/2026 10:00",
           returned_at="04/03/2026 15:00")  # fmt: skip
    d["D1"].papers.update(scan="dossiers/papers/2026/03/to-khai.pdf")
    rate(d["D1"], "very_satisfied", "05/03/2026 08:00")
    # D2 online: on time (due 06/03 09:00), an electronic result, its fee paid online.
    d["D2"] = received(ward, procedure, staff, "03/03/2026 09:00", Channel.ONLINE)
    handle(d["D2"], staff, transfer_at="03/03/2026 10:00", approve_at="05/03/2026 10:00",
           returned_at="06/03/2026 08:30", file=True)  # fmt: skip
    rate(d["D2"], "dissatisfied", "06/03/2026 09:00")
    Dossier.objects.filter(pk__in=[d["D1"].pk, d["D2"].pk]).update(fee_due=20_000)
    Payment.objects.create(dossier=d["D2"], txn_ref="MC-1", amount=20_000, status="paid",
                           paid_at=at("03/03/2026 09:05"), created_by=staff["desk"])  # fmt: skip
    # D3 by post: due 09/03 09:00, apology in time with a new due date 12/03 (the one reset),
    # returned 11/03: late against the first due date, but not without an apology.
    d["D3"] = received(ward, procedure, staff, "04/03/2026 09:00", Channel.POST)
    transfer(d["D3"], actor=staff["desk"], to_user=staff["justice"], at=at("04/03/2026 10:00"))
    issue_apology(d["D3"], actor=staff["justice"], reason="Chờ xác minh", at=at("05/03/2026 16:00"),
                  new_due_at=at("12/03/2026 09:00"))  # fmt: skip
    hand_over(d["D3"], actor=staff["justice"], to_user=staff["chairman"], at=at("10/03/2026 10:00"))
    approve(d["D3"], actor=staff["chairman"], to_user=staff["desk"], at=at("10/03/2026 11:00"))
    attach_result(d["D3"], actor=staff["desk"], paper=True, at=at("10/03/2026 11:00"))
    return_result(d["D3"], actor=staff["desk"], method="post", at=at("11/03/2026 10:00"))
    # D4 at the desk: due 10/03 09:00, returned 12/03 without an apology (a leader allowed it).
    d["D4"] = received(ward, procedure, staff, "05/03/2026 09:00")
    handle(d["D4"], staff, transfer_at="05/03/2026 10:00", approve_at="11/03/2026 10:00",
           returned_at="")  # fmt: skip
    allow_late_return(d["D4"], actor=staff["chairman"], reason="Đã giải thích cho công dân",
                      at=at("12/03/2026 08:00"))  # fmt: skip
    return_result(d["D4"], actor=staff["desk"], method="desk", at=at("12/03/2026 09:00"))
    # D5 online, assisted: returned at 23:59 on 31 March, early (due 02/04).
    d["D5"] = received(ward, procedure, staff, "30/03/2026 10:00", Channel.ONLINE_ASSISTED)
    handle(d["D5"], staff, transfer_at="30/03/2026 10:30", approve_at="31/03/2026 10:00",
           returned_at="31/03/2026 23:59", file=True)  # fmt: skip
    # D6 received after 15:00 on the last day: still being handled at the end, not overdue.
    d["D6"] = received(ward, procedure, staff, "31/03/2026 16:00")
    # D7 withdrawn by the applicant the day after receipt.
    d["D7"] = received(ward, procedure, staff, "09/03/2026 09:00")
    withdraw(d["D7"], actor=staff["desk"], reason="Công dân xin rút", at=at("10/03/2026 09:00"))
    # D8 received 10/03, due 13/03, still not done at the end of March: overdue.
    d["D8"] = received(ward, procedure, staff, "10/03/2026 09:00")
    transfer(d["D8"], actor=staff["desk"], to_user=staff["justice"], at=at("10/03/2026 10:00"))
    # D9 incomplete at the counter: asked for a supplement, never received.
    d["D9"] = new_dossier(ward, procedure, staff["desk"])
    request_supplement(d["D9"], actor=staff["desk"], items=["Bản sao giấy khai sinh"],
                       reason="Thiếu giấy tờ", at=at("16/03/2026 09:00"))  # fmt: skip
    # D10 refused at receipt.
    d["D10"] = new_dossier(ward, procedure, staff["desk"])
    refuse(
        d["D10"], actor=staff["desk"], reasons="Không thuộc thẩm quyền", at=at("17/03/2026 09:00")
    )
    for key in d:
        d[key].refresh_from_db()
    assert timezone.is_aware(d["D5"].returned_at)
    return March(ward, d)
