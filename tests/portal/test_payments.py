"""Online payment through the VNPAY-protocol gateway simulator, over real HTTP.

Only the gateway's IPN changes the books: a forged signature, a replayed IPN and a changed
amount are each refused, and nothing is counted twice.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from motcua.core.models import AuditEvent
from motcua.dossiers.models import Dossier
from motcua.portal.models import Payment, PaymentStatus
from motcua.portal.payments import vnpay
from motcua.portal.payments.simulator import Merchant, start_simulator
from motcua.portal.services import drafts, payments

from .conftest import pdf

SECRET = "SIMULATOR-SECRET-0123456789ABCDEF"
TMN = "MOTCUA01"


@pytest.fixture
def gateway(live_server, settings):  # type: ignore[no-untyped-def]
    ipn = f"{live_server.url}/cong-dan/thanh-toan/ipn/"
    with start_simulator({TMN: Merchant(secret=SECRET, ipn_url=ipn)}) as running:
        settings.MOTCUA_VNPAY_URL = running.pay_url
        settings.MOTCUA_VNPAY_TMN_CODE, settings.MOTCUA_VNPAY_SECRET = TMN, SECRET
        settings.MOTCUA_PAYMENT_SIMULATOR = False
        settings.MOTCUA_PUBLIC_URL = live_server.url
        yield running


@pytest.fixture
def dossier(citizen, ward, online_procedure):  # type: ignore[no-untyped-def]
    draft = drafts.start(citizen, ward, online_procedure, assisted=False)
    for paper in online_procedure.papers.filter(optional=False):
        drafts.add_file(draft, paper.pk, pdf())
    drafts.save(draft, {"declaration": True})
    return drafts.submit(draft, actor=citizen)


def _pay(gateway, dossier, citizen, live_server, *, cancel=False):  # type: ignore[no-untyped-def]
    payment, url = payments.start(
        dossier,
        actor=citizen,
        client_ip="127.0.0.1",
        return_url=f"{live_server.url}/cong-dan/thanh-toan/ket-qua/",
    )
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    assert page.status_code == 200 and "50.000 đ" in page.text
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert query["vnp_Amount"] == ["5000000"] and query["vnp_TxnRef"] == [payment.txn_ref]
    confirm = url.split("?")[0].rsplit("/", 1)[0] + "/confirm"
    back = browser.post(
        confirm,
        data={"query": urlsplit(url).query, "action": "cancel" if cancel else "pay"},
        timeout=10,
    )
    return payment, back


@pytest.mark.django_db(transaction=True)
def test_a_payment_confirmed_by_the_gateway_is_counted_once(gateway, dossier, citizen, live_server):
    payment, back = _pay(gateway, dossier, citizen, live_server)
    assert back.status_code == 200 and "/cong-dan/thanh-toan/ket-qua/" in back.url
    assert gateway.ipn_log[-1].reply == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_transaction_no
    assert Dossier.objects.get(pk=dossier.pk).fee_paid == 50_000
    assert AuditEvent.objects.filter(action="payment.ipn").count() == 1

    replayed = gateway.replay_ipn(-1)
    assert replayed["RspCode"] == vnpay.IPN_ALREADY_CONFIRMED
    assert Dossier.objects.get(pk=dossier.pk).fee_paid == 50_000  # not counted twice


@pytest.mark.django_db(transaction=True)
def test_a_forged_or_altered_ipn_changes_nothing(gateway, dossier, citizen, live_server):
    payment, _url = payments.start(
        dossier,
        actor=citizen,
        client_ip="127.0.0.1",
        return_url=f"{live_server.url}/cong-dan/thanh-toan/ket-qua/",
    )
    result = {
        "vnp_TmnCode": TMN,
        "vnp_Amount": "5000000",
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP1",
        "vnp_CardType": "ATM",
        "vnp_PayDate": "20261125093000",
        "vnp_OrderInfo": "Thanh toan",
        "vnp_TransactionNo": "14000001",
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.txn_ref,
    }
    forged = gateway.send_ipn({**result, "vnp_SecureHash": "ab" * 64}, sign=False)
    assert forged["RspCode"] == vnpay.IPN_INVALID_SIGNATURE
    cheaper = gateway.send_ipn({**result, "vnp_Amount": "100000"})  # signed, but 1.000 đ
    assert cheaper["RspCode"] == vnpay.IPN_INVALID_AMOUNT
    unknown = gateway.send_ipn({**result, "vnp_TxnRef": "KHONGCO"})
    assert unknown["RspCode"] == vnpay.IPN_ORDER_NOT_FOUND
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert Dossier.objects.get(pk=dossier.pk).fee_paid == 0
    assert gateway.send_ipn(result)["RspCode"] == vnpay.IPN_CONFIRMED  # the genuine one
    assert Dossier.objects.get(pk=dossier.pk).fee_paid == 50_000


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_payment_leaves_the_fee_unpaid(gateway, dossier, citizen, live_server):
    payment, _back = _pay(gateway, dossier, citizen, live_server, cancel=True)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert Dossier.objects.get(pk=dossier.pk).fee_paid == 0
    assert payments.amount_due(Dossier.objects.get(pk=dossier.pk)) == 50_000


def test_only_the_applicant_can_pay_and_only_what_is_due(dossier, citizen, staff):
    from motcua.core.errors import TransitionRefused

    with pytest.raises(TransitionRefused):
        payments.start(dossier, actor=staff["desk"], client_ip="", return_url="http://x/")
    Dossier.objects.filter(pk=dossier.pk).update(fee_paid=50_000)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        payments.start(dossier, actor=citizen, client_ip="", return_url="http://x/")
    assert not Payment.objects.exists()
