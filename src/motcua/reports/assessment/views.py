"""Pages of the self-assessment: the unit scores (/bao-cao/tu-cham/), the province reviews
(/bao-cao/tham-dinh/). Thin: reads through the selectors, writes through the services."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.permissions import permission, require

from .. import selectors as report_selectors
from . import selectors, services
from .models import Criterion, SelfAssessment


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _messages_of(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


@permission({"GET": "assessment.view", "POST": "assessment.edit"})
def unit_page(request: HttpRequest) -> HttpResponse:
    unit = report_selectors.chosen_commune(request.user, request.GET.get("don-vi", ""))  # type: ignore[arg-type]
    year = _year(request)
    criteria_set = selectors.criteria_set_for(unit, year)
    assessment = (
        SelfAssessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
        if criteria_set
        else None
    )
    if request.method == "POST" and criteria_set is not None:
        require(request.user, "assessment.edit", unit)
        try:
            assessment = services.open_assessment(criteria_set, unit, actor=request.user)  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _messages_of(error))
        return redirect(f"{reverse('reports-assessment')}?don-vi={unit.code}&nam={year}")
    return _render(request, unit, year, criteria_set, assessment)


def _render(request, unit, year, criteria_set, assessment, status=200):  # type: ignore[no-untyped-def]
    roots = selectors.tree(criteria_set, assessment) if criteria_set else []
    return render(
        request,
        "reports/assessment.html",
        {
            "unit": unit,
            "units": report_selectors.communes_for(request.user),
            "year": year,
            "criteria_set": criteria_set,
            "assessment": assessment,
            "rows": selectors.rows(roots),
            "total": selectors.total(roots),
            "max_total": selectors.max_total(criteria_set) if criteria_set else 0,
            "editable": assessment is not None and selectors.editable_by(assessment, request.user),
        },
        status=status,
    )


def _assessment(request: HttpRequest, pk: int, action: str) -> SelfAssessment:
    allowed = report_selectors.communes_for(request.user)  # type: ignore[arg-type]
    assessment = get_object_or_404(SelfAssessment.objects.filter(unit__in=allowed), pk=pk)
    require(request.user, action, assessment.unit)
    return assessment


def _back(assessment: SelfAssessment) -> HttpResponse:
    return redirect(
        f"{reverse('reports-assessment')}?don-vi={assessment.unit.code}"
        f"&nam={assessment.criteria_set.year}#c{assessment.pk}"
    )


@permission("assessment.edit")
@require_POST
def score(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, "assessment.edit")
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set=assessment.criteria_set)
    try:
        points = Decimal(request.POST.get("points", "").replace(",", "."))
        if not points.is_finite() or abs(points) > 1000:  # NaN, Infinity, 1e999
            raise InvalidOperation(points)
    except InvalidOperation:
        messages.error(
            request, _("%(code)s: write the points as a number.") % {"code": criterion.code}
        )
        return _back(assessment)
    try:
        services.score(
            assessment,
            criterion,
            actor=request.user,  # type: ignore[arg-type]
            points=points,
            explanation=request.POST.get("explanation", ""),
        )
        for upload in request.FILES.getlist("evidence"):
            services.add_evidence(assessment, criterion, actor=request.user, upload=upload)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, f"{criterion.code}: {_messages_of(error)}")
    else:
        messages.success(request, _("%(code)s saved.") % {"code": criterion.code})
    return _back(assessment)


ACTION_ROWS = {"cap-nhat": "assessment.edit", "gui": "assessment.submit"}


@permission(ACTION_ROWS)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    assessment = _assessment(request, pk, ACTION_ROWS[name])
    try:
        if name == "cap-nhat":
            services.refresh(assessment, actor=request.user)  # type: ignore[arg-type]
        elif name == "gui":
            services.submit(assessment, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Submitted to the province."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
    return _back(assessment)


@permission({"GET": "assessment.review_view", "POST": "assessment.review"})
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The province's page: every criterion with the unit's points, evidence and a field for
    the points after review; accept, or return with what to correct."""
    assessment = get_object_or_404(selectors.reviewable(request.user), pk=pk)  # type: ignore[arg-type]
    row = "assessment.review" if request.method == "POST" else "assessment.review_view"
    require(request.user, row, assessment.criteria_set.province)
    if request.method == "POST":
        points: dict[int, tuple[Decimal | None, str]] = {}
        try:
            for row in assessment.scores.all():
                text = request.POST.get(f"p{row.criterion_id}", "").replace(",", ".").strip()
                given = Decimal(text) if text else row.points
                if given is not None and (not given.is_finite() or abs(given) > 1000):
                    raise InvalidOperation(text)
                points[row.criterion_id] = (given, request.POST.get(f"n{row.criterion_id}", ""))
            services.review(
                assessment,
                actor=request.user,  # type: ignore[arg-type]
                points=points,
                accept=request.POST.get("quyet-dinh") == "dat",
                note=request.POST.get("note", ""),
            )
        except InvalidOperation:
            messages.error(request, _("Write the points as numbers."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("Review saved."))
            return redirect("reports-review-list")
    roots = selectors.tree(assessment.criteria_set, assessment)
    return render(
        request,
        "reports/review.html",
        {"assessment": assessment, "rows": selectors.rows(roots), "total": selectors.total(roots)},
    )


@permission("assessment.review_view")
def review_list(request: HttpRequest) -> HttpResponse:
    found = selectors.reviewable(request.user)  # type: ignore[arg-type]
    return render(request, "reports/review_list.html", {"assessments": found})
