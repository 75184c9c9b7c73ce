"""Figures of the one-stop desk, the portal and copy certification, counted on the dossiers
(registered in motcua.core.figures when the app is ready). Each docstring is the
figure's formula; periods are [start, end) in Vietnam time; every count is of distinct
dossiers of the scope's units."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.figures import Rows, Scope, count, share, total
from motcua.core.summaries import watch

from .models import (
    ELECTRONIC_CHANNELS,
    Apology,
    Channel,
    Dossier,
    DossierPaper,
    Outcome,
    Status,
    Timeliness,
)

RECEIPT, RESULTS, LATENESS, ONLINE = "receipt", "results", "lateness", "online"
CERTIFICATION, SATISFACTION = "certification", "satisfaction"


def _between(field: str, scope: Scope) -> Q:
    return Q(**{f"{field}__gte": scope.start, f"{field}__lt": scope.end})


def _window(field: str, scope: Scope) -> Rows:
    window = _between(field, scope)
    return Rows(Dossier, window, window)


def _with(relation: str, field: str, scope: Scope) -> Rows:
    """Dossiers with a ``relation`` row (apology, refusal, rating…) whose ``field`` falls in
    the period; the related model is reached through the relation, not its module."""
    window = _between(field, scope)
    model = Dossier._meta.get_field(relation).related_model
    return Rows(model, window, window, through="dossier")  # type: ignore[arg-type]


# --- receipt -----------------------------------------------------------------------------------
@count("received", _("Received in the period"), RECEIPT)
def received(scope: Scope) -> Rows:
    """Dossiers whose receipt time (printed on Mẫu 01) falls in the period, every channel."""
    return _window("received_at", scope)


def _received_by(channel: str):  # type: ignore[no-untyped-def]
    def by_channel(scope: Scope) -> Rows:
        return received(scope).where(channel=channel)

    return by_channel


for _channel, _label in (
    (Channel.DESK, _("Received at the desk")),
    (Channel.POST, _("Received by post")),
    (Channel.ONLINE, _("Received online")),
    (Channel.ONLINE_ASSISTED, _("Received online, assisted at the counter")),
):
    _function = _received_by(_channel)
    _function.__doc__ = f"Received dossiers (see Received) whose channel is “{_channel}”."
    count(f"received_{_channel}", _label, RECEIPT)(_function)


@share("online_share", _("Share submitted online"), ONLINE, of=received)
def received_online(scope: Scope) -> Rows:
    """Received dossiers submitted online (by the applicant, or assisted at the counter)
    ÷ all received dossiers."""
    return received(scope).where(channel__in=ELECTRONIC_CHANNELS)


# --- results -----------------------------------------------------------------------------------
@count("returned", _("Results returned"), RESULTS)
def returned(scope: Scope) -> Rows:
    """Dossiers whose result (granted or a reasoned refusal) was returned in the period."""
    return _window("returned_at", scope).where(status=Status.RETURNED)


def _returned(timeliness: str):  # type: ignore[no-untyped-def]
    def judged(scope: Scope) -> Rows:
        return returned(scope).where(timeliness=timeliness)

    return judged


for _timeliness, _label in (
    (Timeliness.EARLY, _("Returned early")),
    (Timeliness.ON_TIME, _("Returned on time")),
    (Timeliness.LATE, _("Returned late")),
):
    _function = _returned(_timeliness)
    _function.__doc__ = (
        f"Returned dossiers (see Results returned) judged “{_timeliness}” against the first "
        "due date, before any apology."
    )
    count(f"returned_{_timeliness}", _label, RESULTS)(_function)


@share("on_time_share", _("Share returned early or on time"), RESULTS, of=returned)
def returned_in_time(scope: Scope) -> Rows:
    """Returned dossiers judged early or on time ÷ all returned dossiers."""
    return returned(scope).where(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])


@count("open_at_end", _("Still being handled at the end of the period"), RESULTS)
def open_at_end(scope: Scope) -> Rows:
    """Dossiers received before the end of the period and, at its end, neither returned nor
    withdrawn."""
    # Written as the index ranges a hand-written report would use: not yet returned, or
    # returned after the end (an OR of two ranges of (unit, returned_at)), rather than the
    # unit's whole history received before the end.
    returned_later = Q(returned_at__isnull=True) | Q(returned_at__gte=scope.end)
    still_open = Q(received_at__lt=scope.end) & returned_later
    return Rows(Dossier, still_open, still_open, alone=True).exclude(withdrawn_at__lt=scope.end)


@count("overdue_at_end", _("Overdue at the end of the period"), RESULTS)
def overdue_at_end(scope: Scope) -> Rows:
    """Dossiers still being handled at the end of the period whose due date had passed."""
    return open_at_end(scope).where(due_at__lt=scope.end)


@count("refused_at_receipt", _("Refused at receipt (Mẫu 03)"), RESULTS)
def refused_at_receipt(scope: Scope) -> Rows:
    """Dossiers refused at receipt in the period."""
    return _with("refusal", "refused_at", scope).where(stage="at_receipt")


@count("refused_after_appraisal", _("Refused after appraisal"), RESULTS)
def refused_after_appraisal(scope: Scope) -> Rows:
    """Dossiers refused with reasons after appraisal in the period (their result is the
    refusal)."""
    return _with("refusal", "refused_at", scope).where(stage="in_appraisal")


@count("withdrawn", _("Withdrawn by the applicant (stop notice)"), RESULTS)
def withdrawn(scope: Scope) -> Rows:
    """Dossiers stopped at the applicant's request in the period."""
    return _window("withdrawn_at", scope)


@count("supplements", _("Dossiers asked for a supplement (Mẫu 02)"), RESULTS)
def supplement_requested(scope: Scope) -> Rows:
    """Dossiers with a supplement request made in the period (at receipt or in appraisal)."""
    return _with("supplements", "requested_at", scope)


# --- lateness ----------------------------------------------------------------------------------
@count("apologies", _("Dossiers with an apology (Mẫu 04)"), LATENESS)
def apologised(scope: Scope) -> Rows:
    """Dossiers for which an apology and new due date was issued in the period."""
    return _with("apologies", "issued_at", scope)


@count("apologies_late", _("Apologies issued later than the rule"), LATENESS)
def apologised_late(scope: Scope) -> Rows:
    """Dossiers whose apology, issued in the period, came later than one working day before
    the original due date."""
    return apologised(scope).where(timely=False)


@count("late_without_apology", _("Returned late without an apology"), LATENESS)
def late_without_apology(scope: Scope) -> Rows:
    """Dossiers returned late in the period that never had an apology (a violation)."""
    # Uncorrelated sub-queries, limited to the scope: hashed once per query, not run per row.
    apologised = Apology.objects.filter(
        _between("dossier__returned_at", scope), dossier__unit_id__in=scope.units
    ).values("dossier_id")
    return returned(scope).where(~Q(pk__in=apologised), timeliness=Timeliness.LATE)


# --- online and digitisation -------------------------------------------------------------------
def _received_with_fee(scope: Scope) -> Rows:
    return received(scope).where(fee_due__gt=0)


@share("online_paid_share", _("Share of fees paid online"), ONLINE, of=_received_with_fee)
def paid_online(scope: Scope) -> Rows:
    """Received dossiers with a fee that were paid through the online payment gateway
    ÷ received dossiers with a fee."""
    # The payments are the portal's rows: reached through the relation, not its module.
    payment = Dossier._meta.get_field("payments").related_model
    paid = payment._default_manager.filter(
        _between("dossier__received_at", scope), dossier__unit_id__in=scope.units, status="paid"
    ).values("dossier_id")
    return _received_with_fee(scope).where(pk__in=paid)


def _granted(scope: Scope) -> Rows:
    return returned(scope).where(outcome=Outcome.GRANTED)


@share("e_result_share", _("Share with an electronic result"), ONLINE, of=_granted)
def electronic_result(scope: Scope) -> Rows:
    """Returned granted dossiers whose result is an electronic file
    ÷ returned granted dossiers."""
    return _granted(scope).exclude(result_file="")


def _received_with_papers(scope: Scope) -> Rows:
    with_papers = DossierPaper.objects.filter(
        _between("dossier__received_at", scope), dossier__unit_id__in=scope.units
    )
    return received(scope).where(pk__in=with_papers.values("dossier_id"))


@share("digitised_share", _("Share with every paper digitised"), ONLINE,
       of=_received_with_papers)  # fmt: skip
def digitised(scope: Scope) -> Rows:
    """Received dossiers with papers, every one of them scanned or uploaded
    ÷ received dossiers with papers."""
    unscanned = DossierPaper.objects.filter(
        _between("dossier__received_at", scope), dossier__unit_id__in=scope.units, scan=""
    )
    return _received_with_papers(scope).where(~Q(pk__in=unscanned.values("dossier_id")))


def _full_online_eligible(scope: Scope) -> Rows:
    return received(scope).where(procedure__online_level="full")


@share("full_online_share", _("Share submitted online for full-online procedures"), ONLINE,
       of=_full_online_eligible)  # fmt: skip
def full_online(scope: Scope) -> Rows:
    """Received dossiers of full-online (toàn trình) procedures submitted online
    ÷ received dossiers of full-online procedures."""
    return _full_online_eligible(scope).where(channel__in=ELECTRONIC_CHANNELS)


# --- certified copies --------------------------------------------------------------------------
@count("e_certified", _("Originals certified electronically"), CERTIFICATION)
def certified(scope: Scope) -> Rows:
    """Copy-certification dossiers whose electronic certified copies were signed in the
    period (one register number per original)."""
    return _with("certification", "certified_at", scope).where(status="signed")


@total("e_certified_copies", _("Electronic certified copies"), CERTIFICATION,
       "certification__copies")  # fmt: skip
def certified_copies(scope: Scope) -> Rows:
    """Electronic certified copies signed in the period: the copies of every original
    certified electronically, added up."""
    return certified(scope)


# --- satisfaction ------------------------------------------------------------------------------
def _rated(scope: Scope) -> Rows:
    return _with("rating", "rated_at", scope)


@share("satisfaction_share", _("Share satisfied or very satisfied"), SATISFACTION, of=_rated)
def satisfied(scope: Scope) -> Rows:
    """Dossiers rated in the period as satisfied or very satisfied ÷ dossiers rated."""
    return _rated(scope).where(satisfaction__in=["very_satisfied", "satisfied"])


@count("rated", _("Dossiers rated by the applicant"), SATISFACTION)
def rated(scope: Scope) -> Rows:
    """Dossiers whose applicant rated the service in the period."""
    return _rated(scope)


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
# A dossier bears on the periods from the earliest of its dates; so do its child rows.
DOSSIER_DATES = ("received_at", "returned_at", "withdrawn_at", "created_at")
watch(Dossier, since=DOSSIER_DATES)
for _relation, _dates in (
    ("refusal", ("refused_at",)),
    ("supplements", ("requested_at",)),
    ("apologies", ("issued_at",)),
    ("papers", ()),
    ("certification", ("certified_at",)),
    ("rating", ("rated_at",)),
    ("payments", ("paid_at",)),
):
    watch(Dossier._meta.get_field(_relation).related_model, since=_dates, through="dossier",
          parent_since=DOSSIER_DATES)  # fmt: skip
watch(Dossier._meta.get_field("procedure").related_model, unit=None)  # online level
