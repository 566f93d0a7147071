"""Is a literal's lexical form valid for its XSD datatype?

rdflib checks most XSD types (``Literal.ill_typed``) but not the Gregorian ones (gYear …),
not integer ranges, and it accepts non-ASCII digits; those are checked here.

>>> ill_typed("2021-08", XSD["gYearMonth"]), ill_typed("since 2018", XSD["gYear"])
(False, True)
>>> ill_typed("-5", XSD["nonNegativeInteger"]), ill_typed("٣", XSD["integer"])
(True, True)
"""

from __future__ import annotations

import logging
import re
import warnings
from calendar import monthrange

from .namespaces import XSD

__all__ = ["ill_typed"]

_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_PATTERNS = {
    XSD["gYear"]: re.compile(f"{_YEAR}{_TZ}"),
    XSD["gYearMonth"]: re.compile(f"{_YEAR}-(0[1-9]|1[0-2]){_TZ}"),
    XSD["gMonth"]: re.compile(f"--(0[1-9]|1[0-2]){_TZ}"),
    XSD["gMonthDay"]: re.compile(f"--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}"),
    XSD["gDay"]: re.compile(f"---(0[1-9]|[12][0-9]|3[01]){_TZ}"),
}
_DATE = re.compile(f"(?P<year>{_YEAR})-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}}){_TZ}")
_ASCII_ONLY = {
    XSD[name]
    for name in ("decimal", "double", "float", "boolean", "dateTime", "dateTimeStamp", "time")
}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    XSD["integer"]: (None, None),
    XSD["nonNegativeInteger"]: (0, None),
    XSD["positiveInteger"]: (1, None),
    XSD["nonPositiveInteger"]: (None, 0),
    XSD["negativeInteger"]: (None, -1),
    XSD["long"]: (-(2**63), 2**63 - 1),
    XSD["int"]: (-(2**31), 2**31 - 1),
    XSD["short"]: (-(2**15), 2**15 - 1),
    XSD["byte"]: (-(2**7), 2**7 - 1),
    XSD["unsignedLong"]: (0, 2**64 - 1),
    XSD["unsignedInt"]: (0, 2**32 - 1),
    XSD["unsignedShort"]: (0, 2**16 - 1),
    XSD["unsignedByte"]: (0, 2**8 - 1),
}


def ill_typed(value: str, datatype: str) -> bool:
    """True if ``value`` is not a valid lexical form of ``datatype`` (unknown types pass)."""
    if datatype in _INTEGER_RANGES:
        if not _INTEGER.fullmatch(value):
            return True
        low, high = _INTEGER_RANGES[datatype]
        number = int(value)
        return (low is not None and number < low) or (high is not None and number > high)
    if pattern := _PATTERNS.get(datatype):
        return not pattern.fullmatch(value)
    if datatype == XSD["date"]:
        match = _DATE.fullmatch(value)
        if not match:
            return True
        year, month, day = (int(match[part]) for part in ("year", "month", "day"))
        # the year only decides February 29th; 2000 stands in for years beyond Python's range
        leap_probe = year if 1 <= year <= 9999 else (2000 if year % 4 == 0 else 2001)
        return not (1 <= month <= 12 and 1 <= day <= monthrange(leap_probe, month)[1])
    if datatype in _ASCII_ONLY and not value.isascii():
        return True
    return _rdflib_ill_typed(value, datatype)


def _rdflib_ill_typed(value: str, datatype: str) -> bool:
    from rdflib import Literal, URIRef

    log = logging.getLogger("rdflib.term")
    previous = log.level
    log.setLevel(logging.ERROR)  # rdflib logs (or warns) for each ill-typed literal it builds
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(Literal(value, datatype=URIRef(datatype)).ill_typed)
    finally:
        log.setLevel(previous)
