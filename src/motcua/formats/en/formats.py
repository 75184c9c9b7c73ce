# Same dates as Vietnamese (the law fixes dd/mm/yyyy); English number punctuation.
from motcua.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
