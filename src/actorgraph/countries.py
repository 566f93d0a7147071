"""Countries and their capitals: the names a text may give a state by, from the countryinfo
package's data (no network). A capital named as a party stands for its state ("Riyadh denies").

>>> names = country_names()
>>> names["UAE"], names["Mali"]
('United Arab Emirates', 'Mali')
>>> capitals()["Bamako"]
'Mali'
>>> demonyms()["Malian"]
'Mali'
"""

from __future__ import annotations

import functools
import re

__all__ = ["capitals", "country_names", "demonyms"]


@functools.cache
def _countries() -> list[tuple[str, list[str], str, str]]:
    """Each country: its common name, its other names (no ISO codes), its capital and its
    demonym ("" if none)."""
    from countryinfo import all_countries  # its data is read on first use

    found = []
    for country in all_countries():
        info = country.info()
        name = str(info.get("name") or "")
        if not name or not name[0].isupper():
            continue
        iso = info.get("ISO") or {}
        codes = {str(code) for code in iso.values()} if isinstance(iso, dict) else set()
        others = [
            str(alt)
            for alt in info.get("altSpellings") or []
            if str(alt) not in codes and _usable(str(alt))
        ]
        capital, demonym = str(info.get("capital") or ""), str(info.get("demonym") or "")
        found.append((name, others, capital, demonym))
    return found


def _usable(name: str) -> bool:
    """An other name a text uses: "UAE", "UK", "Ivory Coast" (not "Thai", not a native script)."""
    short = name.isupper() and len(name) >= 2
    return bool(re.fullmatch(r"[A-Z][A-Za-z .'’-]+", name)) and (short or len(name) > 4)


@functools.cache
def country_names() -> dict[str, str]:
    """Every name of a country (common name, official and short forms such as "UAE") → its
    common name."""
    names: dict[str, str] = {}
    commons = [name for name, _, _, _ in _countries()]
    for name, others, _, _ in _countries():
        for other in (name, *others):
            if other != name and _within_another(other, name, commons):
                continue  # "Congo" is a short form of two states: neither
            names.setdefault(other, name)
    return names


def _within_another(short: str, owner: str, commons: list[str]) -> bool:
    """Whether another country's common name holds ``short`` as whole words ("Congo" in
    "Democratic Republic of the Congo", for the Republic of the Congo's short form).

    >>> _within_another("Congo", "Republic of the Congo", ["Democratic Republic of the Congo"])
    True
    """
    pattern = re.compile(rf"\b{re.escape(short)}\b")
    return any(pattern.search(name) for name in commons if name != owner)


@functools.cache
def capitals() -> dict[str, str]:
    """Each capital ("Riyadh", "Abu Dhabi", "Washington") → its country's common name."""
    found: dict[str, str] = {}
    for name, _, capital, _ in _countries():
        for form in {capital, re.sub(r"\s+D\.C\.$", "", capital), capital.replace("'", "")}:
            if form and form[0].isupper():
                found.setdefault(form, name)
    return found


@functools.cache
def demonyms() -> dict[str, str]:
    """Each demonym ("Malian", "Somali", "Yemeni") → its country's common name."""
    found: dict[str, str] = {}
    for name, _, _, demonym in _countries():
        if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", demonym):
            found.setdefault(demonym, name)
    return found
