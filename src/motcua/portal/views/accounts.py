from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from motcua.core.permissions import permission

from ..forms import CitizenSignInForm, CodeForm, SignUpForm
from ..services import accounts


def safe_next(request: HttpRequest) -> str:
    """``?next=`` only when it stays on our own host (never an open redirect)."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def signup_rate(group: str, request: HttpRequest) -> str:
    return settings.MOTCUA_SIGNUP_RATE


def lookup_rate(group: str, request: HttpRequest) -> str:
    return settings.MOTCUA_LOOKUP_RATE


@permission("portal.sign_up")
@ratelimit(key="ip", rate=signup_rate, method="POST", block=True)
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # a bot filled the hidden field: pretend nothing
            return redirect("portal-home")
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            user = accounts.sign_up(accounts.SignUp(**data))
        except ValidationError as error:
            for field, items in error.message_dict.items():
                for item in items:
                    form.add_error(field if field in form.fields else None, item)
        else:
            login(request, user, backend="motcua.portal.auth.CitizenBackend")
            messages.success(request, _("Your account was created. Enter the code we sent you."))
            return redirect("portal-verify")
    return render(request, "portal/sign_up.html", {"form": form})


@permission("portal.account")
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or request.GET or None)
    if (request.method == "POST" or "code" in request.GET) and form.is_valid():
        try:
            channel = accounts.verify_code(request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            label = _("e-mail address") if channel == "email" else _("phone number")
            messages.success(request, _("Your %(contact)s is confirmed.") % {"contact": label})
            return redirect(safe_next(request) or "portal-mine")
    return render(request, "portal/verify.html", {"form": form})


@permission("portal.account")
@require_POST
@ratelimit(key="user", rate="5/h", method="POST", block=True)
def resend_code(request: HttpRequest) -> HttpResponse:
    accounts.send_codes(request.user)  # type: ignore[arg-type]
    messages.success(request, _("A new code is on its way."))
    return redirect("portal-verify")


@method_decorator(ratelimit(key="ip", rate=lookup_rate, method="POST", block=True), name="post")
class SignInView(auth_views.LoginView):
    """Lockout after repeated failures comes from django-axes, as for staff."""

    motcua_permission = "core.sign_in"

    form_class = CitizenSignInForm
    template_name = "portal/sign_in.html"

    def get_success_url(self) -> str:
        return self.get_redirect_url() or "/cong-dan/ho-so/"

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = getattr(settings, "MOTCUA_OIDC_ENABLED", False)
        context["oidc_name"] = getattr(settings, "MOTCUA_OIDC_PROVIDER_NAME", "VNeID")
        return context
