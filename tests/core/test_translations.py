from pathlib import Path

import polib
from django.conf import settings


def test_the_vietnamese_catalogue_translates_every_message():
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
