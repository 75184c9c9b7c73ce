"""The one write that tells every process a procedure's cached parts changed."""

from django.utils import timezone

from ..models import Procedure


def touch(procedure_id: int) -> None:
    """Mark the procedure's fees, papers or steps as changed: ``selectors.parts_of`` of every
    process reads them again (its cache is keyed by the procedure's ``updated_at``)."""
    Procedure.objects.filter(pk=procedure_id).update(updated_at=timezone.now())
