"""How a figure is written in pages and documents: 1.234 · 87,5% (35/40) · "not yet measured"."""

from django.utils.translation import gettext as _

from motcua.documents.figures import Share

from .figures.registry import NotMeasured


def written(value: object) -> str:
    if isinstance(value, NotMeasured):
        return _("not yet measured")
    if isinstance(value, Share):
        if not value.denominator:
            return "— (0/0)"  # nothing to measure in the period
        return f"{percent(value)}% ({thousands(value.numerator)}/{thousands(value.denominator)})"
    if isinstance(value, int):
        return thousands(value)
    return str(value)


def percent(share: Share) -> str:
    return f"{share.numerator * 100 / share.denominator:.1f}".replace(".", ",")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
