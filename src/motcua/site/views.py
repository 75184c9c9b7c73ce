"""Pages of the ward websites: Wagtail's page serving behind the page cache and the visitor
counter, the feedback form, the published documents' files, and the staff's feedback desk.
Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from wagtail import views as wagtail_views
from wagtail.models import Site

from motcua.core import views as core_views
from motcua.core.files import serve_file
from motcua.core.permissions import permission, require, units_where
from motcua.documents.selectors import public_documents

from . import pagecache, routing
from .forms import AnswerForm, FeedbackForm
from .models import Feedback, FeedbackPage, FeedbackStatus, HomePage
from .services import feedback as feedback_service


@permission("site.serve")
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Every website page: Wagtail routes it; anonymous visitors get it from the page cache.
    The site is noted on the request, for the visitor counter (VisitCountingMiddleware)."""
    site = routing.target(request)
    if site is None or not site.is_ward_site:
        if not path:
            return core_views.home(request)  # no website: "/" is MotCua's own front door
        raise Http404
    request.visit_site_id = site.site_id  # type: ignore[attr-defined]
    if not pagecache.cacheable(request):
        return wagtail_views.serve(request, path)
    return pagecache.serve_cached(request, site.site_id, lambda: wagtail_views.serve(request, path))


def feedback_page(request: HttpRequest, page: FeedbackPage) -> HttpResponse:
    """The form (honeypot, rate limit, every error beside its field, nothing lost) and the
    answers published so far."""
    home = page.get_parent().specific
    form = FeedbackForm(request.POST or None)
    sent = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # only robots fill the hidden field
            return redirect(f"{page.url}?da-gui=1")
        if is_ratelimited(
            request, group="site-feedback", key="ip", rate=_rate(), method="POST", increment=True
        ):
            form.add_error(None, _("Too many messages from this address. Please try later."))
        else:
            try:
                sent = feedback_service.submit(home.unit, form.data_object())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(f"{page.url}?da-gui={sent.pk}")
    answered = Feedback.objects.filter(unit=home.unit, status=FeedbackStatus.PUBLISHED)
    return TemplateResponse(
        request,
        "site/feedback_page.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "sent": request.GET.get("da-gui"),
            "answered": answered.order_by("-published_at")[:30],
        },
    )


def _rate() -> str:
    from django.conf import settings

    return settings.MOTCUA_FEEDBACK_RATE


@permission("site.document_file")
def public_document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The signed file of a document the unit published (anyone may download it)."""
    site = Site.find_for_request(request)
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        raise Http404
    document = get_object_or_404(public_documents(home.unit_id), pk=pk)
    chosen = document.signed_file or document.file
    if not chosen:
        raise Http404
    name = f"{document.reference}.pdf".replace("/", "-")
    return serve_file(chosen, filename=name, inline=True, private=False)


# --- the staff's feedback desk -----------------------------------------------------------------
@permission("feedback.list")
def feedback_list(request: HttpRequest) -> HttpResponse:
    found = Feedback.objects.filter(unit__in=units_where(request.user, "feedback.list"))
    status = request.GET.get("trang-thai", "")
    if status in FeedbackStatus.values:
        found = found.filter(status=status)
    elif status == "qua-han":
        found = found.filter(status=FeedbackStatus.RECEIVED, due_at__lt=timezone.now())
    return render(
        request,
        "site/feedback_list.html",
        {"items": found.select_related("unit")[:200], "status": status, "now": timezone.now()},
    )


def _feedback(request: HttpRequest, pk: int, action: str) -> Feedback:
    item = get_object_or_404(
        Feedback.objects.filter(unit__in=units_where(request.user, action)), pk=pk
    )  # type: ignore[arg-type]
    require(request.user, action, item.unit)
    return item


@permission({"GET": "feedback.view", "POST": "feedback.answer"})
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _feedback(
        request, pk, "feedback.answer" if request.method == "POST" else "feedback.view"
    )
    form = AnswerForm(request.POST or None, initial={"answer": item.answer})
    if request.method == "POST" and form.is_valid():
        try:
            feedback_service.answer(item, actor=request.user, text=form.cleaned_data["answer"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("answer", error.messages)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The answer is saved and sent to the sender."))
            return redirect("site-feedback", pk=pk)
    return render(request, "site/feedback_detail.html", {"item": item, "form": form})


@permission("feedback.publish")
@require_POST
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _feedback(request, pk, "feedback.publish")
    published = request.POST.get("cong-khai") == "1"
    try:
        feedback_service.set_published(item, actor=request.user, published=published)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("Published on the website.") if published else _("Taken off the website.")
        )
    return redirect("site-feedback", pk=pk)
