"""Online payment of a dossier's fee through a VNPAY-protocol gateway.

The browser is sent to the gateway with a signed URL; the gateway tells us the outcome
server-to-server (IPN), which is the only thing that changes the books. The return URL only
shows the citizen what happened. An IPN is accepted once: a replay, a forged signature or a
different amount changes nothing.
"""

import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.models import User
from motcua.core.services import audit
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services.common import notify

from ..models import Payment, PaymentStatus
from ..payments import vnpay

PAYABLE = {
    Status.PENDING,
    Status.SUPPLEMENT_REQUESTED,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.AWAITING_SUPPLEMENT,
    Status.RESULT_READY,
}


def gateway() -> vnpay.GatewayConfig:
    url = settings.MOTCUA_VNPAY_URL or (
        settings.MOTCUA_PUBLIC_URL.rstrip("/")
        + reverse("payment-simulator", args=["paymentv2/vpcpay.html"])
    )
    return vnpay.GatewayConfig(
        tmn_code=settings.MOTCUA_VNPAY_TMN_CODE, secret=settings.MOTCUA_VNPAY_SECRET, pay_url=url
    )


def amount_due(dossier: Dossier) -> int:
    return max(dossier.fee_due - dossier.fee_paid, 0)


@transaction.atomic
def start(dossier: Dossier, *, actor: User, client_ip: str, return_url: str) -> tuple[Payment, str]:
    """A payment waiting for the gateway, and the signed URL to send the browser to."""
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if locked.applicant_user_id != actor.pk:
        raise TransitionRefused(_("Only the applicant can pay for this dossier."), by_role=True)
    if locked.status not in PAYABLE:
        raise TransitionRefused(_("This dossier cannot be paid for now."))
    amount = amount_due(locked)
    if amount <= 0:
        raise ValidationError(_("Nothing is left to pay for this dossier."))
    payment = Payment.objects.create(
        dossier=locked,
        amount=amount,
        created_by=actor,
        txn_ref=f"{locked.pk}{timezone.now():%y%m%d}{secrets.token_hex(4).upper()}",
    )
    audit.record(
        actor=actor,
        action="payment.start",
        unit=locked.unit,
        obj=payment,
        after=audit.snapshot(payment, ["txn_ref", "amount", "status"]),
    )
    url = vnpay.payment_url(
        gateway(),
        txn_ref=payment.txn_ref,
        amount_vnd=amount,
        order_info=f"Thanh toan phi, le phi ho so {locked.code or locked.pk}",
        return_url=return_url,
        client_ip=client_ip or "127.0.0.1",
        created_at=timezone.now(),
    )
    return payment, url


def handle_ipn(query: Mapping[str, str]) -> dict[str, str]:
    """The gateway's server-to-server notice; the answer is the protocol's RspCode JSON."""
    try:
        reply = vnpay.verify(query, settings.MOTCUA_VNPAY_SECRET)
    except vnpay.InvalidSignature:
        return vnpay.ipn_response(vnpay.IPN_INVALID_SIGNATURE)
    except vnpay.GatewayError:
        return vnpay.ipn_response(vnpay.IPN_UNKNOWN_ERROR)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("dossier")
            .filter(txn_ref=reply.txn_ref)
            .first()
        )
        if payment is None:
            return vnpay.ipn_response(vnpay.IPN_ORDER_NOT_FOUND)
        payment.notifications_received += 1
        payment.save(update_fields=["notifications_received"])
        if reply.amount_vnd != payment.amount:
            return vnpay.ipn_response(vnpay.IPN_INVALID_AMOUNT)
        if payment.status != PaymentStatus.PENDING:
            return vnpay.ipn_response(vnpay.IPN_ALREADY_CONFIRMED)
        _settle(payment, reply)
    return vnpay.ipn_response(vnpay.IPN_CONFIRMED)


def _settle(payment: Payment, reply: vnpay.GatewayReply) -> None:
    before = audit.snapshot(payment, ["status", "paid_at"])
    payment.response_code = reply.response_code
    payment.gateway_transaction_no = reply.transaction_no
    payment.bank_code = reply.bank_code
    if reply.succeeded:
        payment.status, payment.paid_at = PaymentStatus.PAID, reply.pay_date or timezone.now()
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
        dossier.fee_paid += payment.amount
        dossier.save(update_fields=["fee_paid", "updated_at"])
        notify(dossier, "payment_received", payment=payment)
    else:
        payment.status = (
            PaymentStatus.CANCELLED
            if reply.response_code == vnpay.RESPONSE_CANCELLED
            else PaymentStatus.FAILED
        )
    payment.save()
    audit.record(
        actor=None,
        action="payment.ipn",
        unit=payment.dossier.unit,
        obj=payment,
        before=before,
        after=audit.snapshot(payment, ["status", "paid_at", "amount"]),
    )


def read_return(query: Mapping[str, str]) -> tuple[Payment | None, str]:
    """What the citizen is shown on coming back: nothing changes here (the IPN does that)."""
    try:
        reply = vnpay.verify(query, settings.MOTCUA_VNPAY_SECRET)
    except vnpay.GatewayError:
        return None, _("The payment result could not be verified.")
    payment = Payment.objects.select_related("dossier").filter(txn_ref=reply.txn_ref).first()
    if payment is None:
        return None, _("Unknown payment.")
    if payment.status == PaymentStatus.PAID:
        return payment, ""
    if reply.succeeded:
        return payment, _("The gateway reports success; we are waiting for its confirmation.")
    return payment, _("The payment was not completed.")
