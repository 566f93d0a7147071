"""Text that XML 1.0 cannot carry: control characters other than tab and line breaks, and the
non-characters U+FFFE and U+FFFF. Turtle allows them (escaped); a GraphML, GEXF or SVG file
holding one is not well-formed, and every XML reader refuses the whole file. So writers refuse
such text before writing anything, and validation reports where the graph holds it.

>>> illegal_character("ctl\\u0001 red"), illegal_character("tab\\tand\\nline")
('U+0001', None)
>>> check_xml_texts([("act:c1 label", "a\\u001bb")], "GraphML")
Traceback (most recent call last):
actorgraph.errors.ActorGraphError: act:c1 label holds the control character U+001B, which \
GraphML cannot carry: remove it from the graph (validate names its file and line)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import ActorGraphError

__all__ = ["XML_ILLEGAL", "check_xml_texts", "illegal_character"]

#: The characters XML 1.0 cannot carry, as a character class for SPARQL's REGEX; but U+0000,
#: which ends the pattern early in Virtuoso's regular expressions (the exports' own check,
#: :func:`check_xml_texts`, refuses it).
XML_ILLEGAL = "[\\u0001-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def illegal_character(text: str) -> str | None:
    """The first character of ``text`` XML 1.0 cannot carry, as ``U+XXXX``; None if none."""
    found = _ILLEGAL.search(text)
    return f"U+{ord(found[0]):04X}" if found else None


def check_xml_texts(texts: Iterable[tuple[str, str]], format: str) -> None:
    """Raise :class:`ActorGraphError` for the first ``(where, text)`` whose text ``format``
    (an XML format) cannot carry, naming where it is and the character."""
    for where, text in texts:
        if character := illegal_character(text):
            raise ActorGraphError(
                f"{where} holds the control character {character}, which {format} cannot "
                "carry: remove it from the graph (validate names its file and line)"
            )
