"""The 29 types of administrative documents (Nghị định 30/2020/NĐ-CP, Điều 7 and Phụ lục III)."""

from django.db import migrations

from motcua.documents.catalogue import ensure_document_types


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    ensure_document_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
