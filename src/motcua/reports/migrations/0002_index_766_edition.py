"""The 2022 edition of the service index (motcua.reports.catalogue)."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    from motcua.reports.catalogue import ensure_index_766

    ensure_index_766(apps.get_model("reports", "IndexVersion"))


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    from motcua.reports.catalogue import VALID_FROM

    apps.get_model("reports", "IndexVersion").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
