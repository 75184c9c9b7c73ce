"""The copy-certification fee (Thông tư 226/2016/TT-BTC), counted on the original's pages."""

from datetime import date

from .models import CopyFeeRule


def per_copy(pages: int, rule: CopyFeeRule) -> int:
    """First pages at one price, the rest at another, capped per copy."""
    first = min(pages, rule.first_pages) * rule.first_page_fee
    later = max(pages - rule.first_pages, 0) * rule.later_page_fee
    return min(first + later, rule.cap_per_copy)


def copy_fee(pages: int, copies: int, on: date) -> int:
    """What the applicant pays for ``copies`` copies of a ``pages``-page original."""
    return per_copy(pages, rule_on(on)) * copies


def rule_on(day: date) -> CopyFeeRule:
    rule = CopyFeeRule.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rule is None:  # the schedule is data; without any row, the 2016 circular's figures
        return CopyFeeRule(valid_from=date(2017, 1, 1), legal_basis="Thông tư 226/2016/TT-BTC")
    return rule
