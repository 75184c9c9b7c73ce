from django.urls import path

from .views import accounts, apply, catalogue, desk, lookup, mine, payment

urlpatterns = [
    path("dich-vu-cong/", catalogue.catalogue, name="portal-home"),
    path("thu-tuc/<id:pk>/", catalogue.procedure, name="portal-procedure"),
    path("thu-tuc/<id:procedure_pk>/nop/", apply.start, name="portal-apply"),
    path("tra-cuu/", lookup.lookup, name="portal-lookup"),
    path("tra-cuu/danh-gia/", lookup.rate, name="portal-lookup-rate"),
    path("tra-cuu/<str:code>/", lookup.lookup, name="dossier-track"),
    path("cong-dan/dang-ky/", accounts.sign_up, name="portal-sign-up"),
    path("cong-dan/dang-nhap/", accounts.SignInView.as_view(), name="portal-sign-in"),
    path("cong-dan/xac-thuc/", accounts.verify, name="portal-verify"),
    path("cong-dan/xac-thuc/gui-lai/", accounts.resend_code, name="portal-resend-code"),
    path("cong-dan/ho-so-nhap/<id:pk>/", apply.draft, name="portal-draft"),
    path("cong-dan/ho-so-nhap/<id:pk>/tai-len/", apply.upload, name="portal-draft-upload"),
    path(
        "cong-dan/ho-so-nhap/<id:pk>/xoa-tep/<id:file_pk>/",
        apply.remove,
        name="portal-draft-remove",
    ),
    path("cong-dan/ho-so-nhap/<id:pk>/huy/", apply.discard, name="portal-draft-discard"),
    path("cong-dan/ho-so/", mine.mine, name="portal-mine"),
    path("cong-dan/ho-so/<id:pk>/", mine.dossier, name="portal-dossier"),
    path("cong-dan/ho-so/<id:pk>/mau/<str:kind>.pdf", mine.form_pdf, name="portal-form"),
    path("cong-dan/ho-so/<id:pk>/ket-qua/", mine.result, name="portal-result"),
    path(
        "cong-dan/ho-so/<id:pk>/ban-sao/<id:index>.pdf",
        mine.certified_copy,
        name="portal-certified-copy",
    ),
    path("cong-dan/ho-so/<id:pk>/bo-sung/", mine.supplement, name="portal-supplement"),
    path("cong-dan/ho-so/<id:pk>/nhan-ket-qua/", mine.delivery, name="portal-delivery"),
    path("cong-dan/ho-so/<id:pk>/danh-gia/", mine.rate, name="portal-rate"),
    path("cong-dan/ho-so/<id:pk>/thanh-toan/", mine.pay, name="portal-pay"),
    path("cong-dan/thanh-toan/ket-qua/", payment.payment_return, name="portal-payment-return"),
    path("cong-dan/thanh-toan/ipn/", payment.payment_ipn, name="portal-payment-ipn"),
    path("gia-lap/vnpay/<path:path>", payment.simulator, name="payment-simulator"),
    path("mot-cua/nop-truc-tuyen/", desk.assisted, name="desk-assisted"),
    path("mot-cua/danh-gia/", desk.kiosk, name="desk-kiosk"),
    path("mot-cua/tin-nhan/", desk.outbox_page, name="desk-outbox"),
    path("mot-cua/tin-nhan/<id:pk>/gui-lai/", desk.outbox_retry, name="desk-outbox-retry"),
]
