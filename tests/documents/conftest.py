import pytest

from motcua.documents.catalogue import ensure_document_types


@pytest.fixture(autouse=True)
def _document_types(db):  # type: ignore[no-untyped-def]
    # Transactional tests elsewhere flush the tables, migration data included.
    ensure_document_types()
