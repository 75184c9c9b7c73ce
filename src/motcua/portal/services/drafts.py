"""Online applications: start or resume a draft, save it on every change, upload papers,
submit it as a dossier. A desk officer may do the same at the counter for a citizen."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.identity import validate_personal_id
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import has_role
from motcua.core.services import audit
from motcua.core.uploads import check_upload, new_name, sha256_of
from motcua.dossiers.models import ApplicantKind, Channel, DeliveryMethod, Dossier
from motcua.dossiers.services.intake import Applicant, check_published
from motcua.dossiers.services.online import OnlinePaper, submit_online
from motcua.procedures.models import OnlineLevel, Procedure

from ..models import Draft, DraftFile
from .accounts import is_verified, normalise_phone

FIELDS = (
    "applicant_kind",
    "applicant_name",
    "personal_id",
    "phone",
    "email",
    "address",
    "delivery_method",
    "delivery_address",
    "declaration",
)
# The longest value each field may have (the dossier's columns). A draft keeps up to KEPT
# characters of whatever was typed, so nothing is cut silently: too_long() names the field and
# its limit on every save, and submitting is refused until it fits.
MAX_LENGTHS = {
    "applicant_kind": 20,
    "applicant_name": 200,
    "personal_id": 12,
    "phone": 20,
    "email": 254,
    "address": 300,
    "delivery_method": 10,
    "delivery_address": 300,
}
KEPT = 5000
LABELS = {
    "applicant_kind": gettext_lazy("Applicant type"),
    "applicant_name": gettext_lazy("Full name (or organisation name)"),
    "personal_id": gettext_lazy("Personal identification number (CCCD)"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "address": gettext_lazy("Address"),
    "delivery_method": gettext_lazy("Receiving the result"),
    "delivery_address": gettext_lazy("Postal address (when by post)"),
}


def start(owner: User, unit: AdministrativeUnit, procedure: Procedure, *, assisted: bool) -> Draft:
    """The owner's open draft for this procedure, or a new one filled from their account."""
    check_published(procedure, unit)
    if procedure.online_level == OnlineLevel.NONE:
        raise ValidationError(_("This procedure cannot be submitted online."))
    if assisted and not has_role(owner, unit, Role.DESK_OFFICER):
        raise ValidationError(_("Only a desk officer of this unit can submit for a citizen."))
    if not assisted:
        existing = Draft.objects.filter(owner=owner, unit=unit, procedure=procedure).first()
        if existing:
            return existing
    data = (
        {}
        if assisted
        else {
            "applicant_kind": ApplicantKind.CITIZEN,
            "applicant_name": owner.get_full_name(),
            "personal_id": owner.personal_id or "",
            "phone": owner.phone,
            "email": owner.email,
            "delivery_method": DeliveryMethod.DESK,
        }
    )
    channel = Channel.ONLINE_ASSISTED if assisted else Channel.ONLINE
    return Draft.objects.create(
        owner=owner, unit=unit, procedure=procedure, channel=channel, data=data
    )


def save(draft: Draft, values: dict[str, object]) -> Draft:
    """Keep what was typed, whatever it is: checks happen on submit, nothing is lost."""
    for key in FIELDS:
        if key in values:
            value = values[key]
            draft.data[key] = bool(value) if key == "declaration" else str(value or "")[:KEPT]
    draft.updated_at = timezone.now()
    # An update that finds no row: the draft was submitted (or deleted) by another request,
    # say an autosave still in flight after the citizen pressed "Nộp".
    if not Draft.objects.filter(pk=draft.pk).update(data=draft.data, updated_at=draft.updated_at):
        raise Draft.DoesNotExist
    return draft


def add_file(draft: Draft, paper_id: int | None, upload: UploadedFile) -> DraftFile:
    """A scan or phone photo of one required paper (several files make several pages)."""
    content_type = check_upload(upload)  # ValidationError with the reason; the draft is intact
    paper = draft.procedure.papers.filter(pk=paper_id).first() if paper_id else None
    if paper_id and paper is None:
        raise ValidationError(_("This paper is not part of the procedure."))
    row = DraftFile(
        draft=draft,
        required_paper=paper,
        name=paper.name if paper else _("Other paper"),
        original_name=(upload.name or "")[-255:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256_of(upload),
    )
    row.file.save(new_name(content_type), upload, save=False)
    with transaction.atomic():
        row.save()
        draft.save(update_fields=["updated_at"])
        _audit(draft, "portal.draft_file_added", {"paper": row.name, "sha256": row.sha256})
    return row


def remove_file(draft: Draft, file_id: int) -> None:
    row = draft.files.filter(pk=file_id).first()
    if row is None:
        return
    with transaction.atomic():
        _audit(draft, "portal.draft_file_removed", {"paper": row.name, "sha256": row.sha256})
        row.delete()
    transaction.on_commit(lambda: row.file.delete(save=False))


def discard(draft: Draft) -> None:
    files = [f.file for f in draft.files.all()]
    with transaction.atomic():
        _audit(draft, "portal.draft_discarded", {"procedure": draft.procedure.code})
        draft.delete()
    for f in files:
        f.delete(save=False)


def _audit(draft: Draft, action: str, after: dict[str, str]) -> None:
    """Typing in a draft is not audited (the submission snapshot is); files and deletion are."""
    audit.record(
        actor=draft.owner,
        action=action,
        unit=draft.unit,
        object_type="portal.draft",
        object_id=str(draft.pk),
        object_repr=str(draft),
        after=after,
    )


def too_long(draft: Draft) -> dict[str, list[str]]:
    """The fields holding more than their column takes, with the limit and what was typed."""
    errors = {}
    for key, limit in MAX_LENGTHS.items():
        length = len(str(draft.data.get(key, "") or "").strip())
        if length > limit:
            errors[key] = [
                _("%(field)s: at most %(limit)s characters; you entered %(length)s.")
                % {"field": LABELS[key], "limit": limit, "length": length}
            ]
    return errors


def problems(draft: Draft) -> dict[str, list[str]]:
    """Everything that stops the draft being submitted, by field, all at once."""
    data, errors = draft.data, too_long(draft)
    if not str(data.get("applicant_name", "")).strip():
        errors["applicant_name"] = [_("Enter the applicant's full name.")]
    if data.get("applicant_kind") and data["applicant_kind"] not in ApplicantKind.values:
        errors["applicant_kind"] = [_("Choose the applicant type from the list.")]
    if data.get("delivery_method") and data["delivery_method"] not in DeliveryMethod.values:
        errors["delivery_method"] = [_("Choose how to receive the result from the list.")]
    email = str(data.get("email", "") or "").strip()
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address, e.g. ten@example.vn.")]
    try:
        if data.get("personal_id") or data.get("applicant_kind") != ApplicantKind.ORGANISATION:
            validate_personal_id(str(data.get("personal_id", "")))
    except ValidationError as error:
        errors.setdefault("personal_id", error.messages)
    phone = normalise_phone(str(data.get("phone", "")))
    if not phone and not data.get("email"):
        errors["phone"] = [_("Enter a phone number or an e-mail address for notices.")]
    elif phone and (len(phone) != 10 or not phone.startswith("0")) and "phone" not in errors:
        errors["phone"] = [_("Enter a 10-digit phone number, e.g. 0912345678.")]
    if (
        data.get("delivery_method") == DeliveryMethod.POST
        and len(str(data.get("delivery_address", "")).strip()) < 10
    ):
        errors["delivery_address"] = [_("Enter the full postal address.")]
    uploaded = {f.required_paper_id for f in draft.files.all()}
    for paper in draft.procedure.papers.filter(optional=False):
        if paper.pk not in uploaded:
            errors.setdefault("papers", []).append(_("Attach “%(paper)s”.") % {"paper": paper.name})
    if not data.get("declaration"):
        errors["declaration"] = [_("Confirm the declaration to submit.")]
    return errors


def submit(draft: Draft, *, actor: User) -> Dossier:
    """The draft becomes a dossier in the desk's queue; the draft and its files go."""
    if draft.channel == Channel.ONLINE and not is_verified(actor):
        raise ValidationError(_("Confirm your e-mail address or phone number before submitting."))
    errors = problems(draft)
    if errors:
        raise ValidationError(errors)
    data = draft.data
    applicant = Applicant(
        kind=data.get("applicant_kind") or ApplicantKind.CITIZEN,
        name=data["applicant_name"].strip(),
        personal_id=data.get("personal_id", ""),
        address=data.get("address", ""),
        phone=normalise_phone(data.get("phone", "")),
        email=data.get("email", "").strip(),
        user=actor if draft.channel == Channel.ONLINE else None,
    )
    files = list(draft.files.select_related("required_paper"))
    with transaction.atomic():
        dossier = submit_online(
            actor=actor,
            unit=draft.unit,
            procedure=draft.procedure,
            channel=draft.channel,
            applicant=applicant,
            delivery_method=data.get("delivery_method") or DeliveryMethod.DESK,
            delivery_address=data.get("delivery_address", ""),
            papers=[OnlinePaper(f.name, f.file, f.sha256, f.required_paper) for f in files],
        )
        audit.record(
            actor=actor,
            action="portal.draft_submitted",
            unit=draft.unit,
            obj=dossier,
            object_repr=str(draft),
        )
        draft.delete()
    for f in files:  # copied into the dossier; the draft copies can go
        f.file.delete(save=False)
    return dossier
