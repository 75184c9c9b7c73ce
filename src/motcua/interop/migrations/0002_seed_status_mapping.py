from django.db import migrations


def seed(apps, schema_editor):
    from motcua.interop.codes import DEFAULT_MAPPING, SOURCE

    mapping = apps.get_model("interop", "StatusMapping")
    for key, code, send, note in DEFAULT_MAPPING:
        mapping.objects.get_or_create(
            key=key, defaults={"code": code, "send": send, "note": note, "source": SOURCE}
        )


class Migration(migrations.Migration):
    dependencies = [("interop", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
