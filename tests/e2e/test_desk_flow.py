"""A dossier's life at the desk, in a real browser."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.selectors import calendar_for
from motcua.dossiers.models import Dossier, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "PhuThuy@2026"


def sign_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/lam-viec/")
    return page


def act(page, name: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator(f"form[data-action='{name}']")
    page.locator("details", has=form).locator("summary").click()
    for field, value in fields.items():
        target = form.locator(f"[name='{field}']")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(label=value)
        elif target.get_attribute("type") == "checkbox":
            target.check()
        else:
            target.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_dossier_is_received_handled_made_late_apologised_for_and_returned(
    browser, live_server, shot
):
    call_command("load_demo", verbosity=0)
    base = live_server.url

    desk = sign_in(browser, base, "motcua")
    desk.goto(f"{base}/mot-cua/tiep-nhan/")
    desk.fill("#procedure-search", "nhan cha me con")  # no diacritics
    desk.locator("#procedure-results button", has_text="nhận cha, mẹ, con").first.click()
    desk.wait_for_selector("#papers input[name=procedure]", state="attached")
    desk.fill("#id_applicant_personal_id", "068090012345")
    desk.fill("#id_applicant_name", "Trần Văn Bình")
    desk.fill("#id_applicant_phone", "0912345678")
    shot(desk, "1-receive-form")
    desk.click("form button[type=submit] >> nth=-1")
    desk.wait_for_url("**/mot-cua/ho-so/*/")
    dossier = Dossier.objects.get(pk=int(desk.url.rstrip("/").split("/")[-1]))  # not a demo one
    assert dossier.code and dossier.code in desk.content()
    shot(desk, "2-received")
    act(desk, "transfer", to_user="Hoàng Thị Em")  # step 1 → the justice officer

    specialist = sign_in(browser, base, "tuphap")
    specialist.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    act(specialist, "hand_over", to_user="Nguyễn Văn An", note="Đủ điều kiện")  # step 2 → leader
    leader = sign_in(browser, base, "chutich")
    leader.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    act(leader, "approve", to_user="Phạm Minh Dũng")
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY

    # Time passes: the due date is now behind us.
    late_by = dossier.due_at - timezone.now() + timedelta(hours=2)
    for step in dossier.steps.all():
        step.due_at -= late_by
        step.save(update_fields=["due_at"])
    Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier.due_at - late_by)

    desk.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    assert "quá hạn" in desk.content()
    act(desk, "attach_result", paper="on", note="Trích lục")
    act(desk, "return_result", method="trực tiếp tại Bộ phận Một cửa")
    assert "Mẫu 04" in desk.content()  # refused: late without an apology
    shot(desk, "3-return-refused")

    new_due = calendar_for(dossier.unit).add_working_days(timezone.now(), 2).astimezone(VN_TZ)
    specialist.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    act(specialist, "issue_apology", reason="Chờ xác minh của công an",
        new_due_at=new_due.strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    assert dossier.apologies.count() == 1
    shot(specialist, "4-apology")

    desk.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    act(desk, "return_result", method="trực tiếp tại Bộ phận Một cửa")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.timeliness) == (Status.RETURNED, "late")
    shot(desk, "5-returned")
    pdf = desk.request.get(f"{base}/mot-cua/ho-so/{dossier.pk}/mau/apology.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
