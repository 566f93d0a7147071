"""Periods of validity: ``ag:validFrom`` / ``ag:validUntil`` at year, month or day precision.

>>> valid_at(None, "2019", "2019"), valid_at(None, "2019", "2021")
(True, False)
>>> valid_at("2021-08", None, "2021"), valid_at("2021-08", None, "2021-07")
(True, False)
"""

from __future__ import annotations

import calendar
import itertools

__all__ = ["Span", "overlap", "period_bounds", "period_text", "span", "valid_at"]

#: When a relation holds, as first and last ISO days; ``None``: open on that side.
Span = tuple[str | None, str | None]


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


def span(valid_from: str | None, valid_until: str | None, attested_at: str | None = None) -> Span:
    """The days a relation holds, as :func:`valid_at` reads its period: from the first day of
    its start to the last day of its end, open where the source gives none; a relation only
    attested at a date holds within that date.

    >>> span(None, "2017"), span("2021-08", None), span(None, None, "2021-09")
    ((None, '2017-12-31'), ('2021-08-01', None), ('2021-09-01', '2021-09-30'))
    """
    if valid_from is None and valid_until is None and attested_at is not None:
        return period_bounds(attested_at)
    return (
        None if valid_from is None else period_bounds(valid_from)[0],
        None if valid_until is None else period_bounds(valid_until)[1],
    )


def overlap(*ties: list[Span]) -> bool:
    """Whether ties, each holding over one or more spans, all hold at some one time.

    >>> overlap([(None, "2017-12-31")], [("2021-09-01", "2021-09-30")])
    False
    >>> overlap([(None, "2017-12-31"), ("2021-01-01", None)], [("2021-09-01", "2021-09-30")])
    True
    """
    for chosen in itertools.product(*ties):
        starts = [a for a, _ in chosen if a is not None]
        ends = [b for _, b in chosen if b is not None]
        if not starts or not ends or max(starts) <= min(ends):
            return True
    return False


def period_text(
    valid_from: str | None, valid_until: str | None, attested_at: str | None = None
) -> str:
    """A relation's period as an analyst reads it.

    >>> period_text("2015", "2017"), period_text(None, "2017"), period_text("2021-08", None)
    ('2015–2017', 'until 2017', 'from 2021-08')
    >>> period_text(None, None, "2021-09"), period_text(None, None)
    ('at 2021-09', 'undated')
    """
    if valid_from and valid_until:
        return f"{valid_from}–{valid_until}"
    if valid_until:
        return f"until {valid_until}"
    if valid_from:
        return f"from {valid_from}"
    return f"at {attested_at}" if attested_at else "undated"
