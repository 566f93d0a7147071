"""Periods of validity: ``ag:validFrom`` / ``ag:validUntil`` at year, month or day precision.

>>> valid_at(None, "2019", "2019"), valid_at(None, "2019", "2021")
(True, False)
>>> valid_at("2021-08", None, "2021"), valid_at("2021-08", None, "2021-07")
(True, False)
"""

from __future__ import annotations

import calendar

__all__ = ["period_bounds", "valid_at"]


def period_bounds(value: str) -> tuple[str, str]:
    """First and last day of a year, month or day, as ISO dates.

    >>> period_bounds("2019"), period_bounds("2021-02"), period_bounds("2021-08-26")
    (('2019-01-01', '2019-12-31'), ('2021-02-01', '2021-02-28'), ('2021-08-26', '2021-08-26'))
    """
    parts = value.split("-")
    if len(parts) == 1:
        return f"{value}-01-01", f"{value}-12-31"
    if len(parts) == 2:
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return f"{value}-01", f"{value}-{last:02d}"
    return value[:10], value[:10]


def valid_at(
    valid_from: str | None, valid_until: str | None, when: str, attested_at: str | None = None
) -> bool:
    """Whether a relation with this period holds at some time during ``when``. Undated: yes; a
    relation the source only attests at a date (no start or end given): when the two meet.

    >>> valid_at(None, None, "2019", attested_at="2021-09"), valid_at(None, None, "2021", "2021-09")
    (False, True)
    """
    start, end = period_bounds(when)
    if valid_from is None and valid_until is None and attested_at is not None:
        first, last = period_bounds(attested_at)
        return first <= end and last >= start
    if valid_from is not None and period_bounds(valid_from)[0] > end:
        return False
    return valid_until is None or period_bounds(valid_until)[1] >= start
