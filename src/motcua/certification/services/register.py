"""The SCT/BS register: one number per original, per unit and year, continuing across volumes."""

from datetime import datetime

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, User
from motcua.core.services import audit
from motcua.core.services.numbering import next_number

from ..models import COPY_REGISTER, Certification, CertificationSettings, RegisterEntry


def enter(certification: Certification, at: datetime, signer: User, title: str) -> RegisterEntry:
    """Take the next number of the year (inside the caller's transaction: gapless)."""
    dossier = certification.dossier
    year = at.astimezone(VN_TZ).year
    number = next_number(dossier.unit, COPY_REGISTER, str(year))
    per_volume = settings_for(dossier.unit).entries_per_volume
    entry = RegisterEntry.objects.create(
        unit=dossier.unit,
        book=COPY_REGISTER,
        year=year,
        number=number,
        volume=(number - 1) // per_volume + 1,
        certification=certification,
        entered_at=at,
        requester=dossier.applicant_name,
        document=certification.original_title,
        copies=certification.copies,
        pages=certification.original_pages,
        fee=certification.fee,
        signer_name=signer.get_full_name(),
        signer_title=title,
    )
    audit.record(
        actor=signer,
        action="certification.register",
        unit=dossier.unit,
        obj=entry,
        after=audit.snapshot(entry),
    )
    return entry


def annotate(entry: RegisterEntry, *, actor: User, text: str) -> None:
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from ..models import RegisterAnnotation

    if not text.strip():
        raise ValidationError(_("Write the annotation."))
    with transaction.atomic():
        note = RegisterAnnotation.objects.create(entry=entry, text=text.strip(), written_by=actor)
        audit.record(
            actor=actor,
            action="certification.annotate",
            unit=entry.unit,
            obj=entry,
            after={"annotation": note.text},
        )


def settings_for(unit: AdministrativeUnit) -> CertificationSettings:
    found, _created = CertificationSettings.objects.get_or_create(unit=unit)
    return found
