import threading

import pytest
from django.db import connection

from motcua.core.services.audit import verify_chain
from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services.intake import Applicant, receive, receive_new

from .conftest import new_dossier


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_concurrent_receipts_at_one_desk_all_succeed_with_unique_codes_and_gapless_lines(
    ward, procedure, staff
):
    errors: list[Exception] = []

    desk = staff["desk"]

    def walk_in() -> None:  # the counter's one-step receipt, every number in one statement
        applicant = Applicant(kind=ApplicantKind.CITIZEN, name="Lê Văn C")
        receive_new(actor=desk, unit=ward, procedure=procedure, channel=Channel.DESK,
                    applicant=applicant, papers=[])  # fmt: skip

    def work(n: int) -> None:
        try:
            for _ in range(3):
                if n % 2:
                    walk_in()
                else:
                    receive(new_dossier(ward, procedure, desk), actor=desk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 24 and len(set(codes)) == 24
    lines = sorted(Dossier.objects.values_list("ledger_line", flat=True))
    assert lines == list(range(1, 25))
    # Both paths append to the unit's audit chain; under PostgreSQL's READ COMMITTED each
    # link must still name the event committed just before it.
    assert verify_chain(str(ward.pk)) is None
