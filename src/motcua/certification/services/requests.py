"""A request for certified copies taken in whole, from a machine client (the API): the dossier
of the unit's copy procedure with the scan of the original, received, and the original
checked, in one transaction, so a refusal (a page count that does not match, a scan that is
not a PDF or an image) leaves nothing behind."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.models import AdministrativeUnit, User
from motcua.dossiers.models import Channel
from motcua.dossiers.services import intake
from motcua.dossiers.services.intake import Applicant, PaperIn
from motcua.procedures.models import Procedure

from ..models import Certification
from .certify import Original, certification_for, record_original


def copy_procedure(unit: AdministrativeUnit) -> Procedure:
    found = Procedure.objects.filter(
        province=unit.province,
        published=True,
        code__in=settings.MOTCUA_COPY_CERTIFICATION_PROCEDURES,
    ).order_by("code")
    procedure = found.first()
    if procedure is None:
        raise ValidationError(_("This unit publishes no procedure for certified copies."))
    return procedure


@transaction.atomic
def request_copies(
    *,
    actor: User,
    unit: AdministrativeUnit,
    applicant: Applicant,
    scan: UploadedFile,
    original: Original,
) -> Certification:
    dossier = intake.start_dossier(
        actor=actor,
        unit=unit,
        procedure=copy_procedure(unit),
        channel=Channel.DESK,
        applicant=applicant,
        papers=[PaperIn(name=_("Original"), originals=1, scan=scan)],
    )
    intake.receive(dossier, actor=actor)
    certification = certification_for(dossier, create=True)
    record_original(certification, actor=actor, original=original)
    return certification
