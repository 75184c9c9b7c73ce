import threading

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.dossiers.services.intake import receive

from .conftest import new_dossier


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_concurrent_receipts_at_one_desk_all_succeed_with_unique_codes_and_gapless_lines(
    ward, procedure, staff
):
    errors: list[Exception] = []

    def work() -> None:
        try:
            for _ in range(3):
                receive(new_dossier(ward, procedure, staff["desk"]), actor=staff["desk"])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 24 and len(set(codes)) == 24
    lines = sorted(Dossier.objects.values_list("ledger_line", flat=True))
    assert lines == list(range(1, 25))
