"""The small XML tables some properties hold as escaped text (Content Modifier, Timer, Variables).

A table is XML written as text inside the property value: ``<row><cell id='Name'>x</cell>...``.
Cell text is escaped once here (``'`` included, as the exports do), and the whole value is escaped
again when the ``.iflw`` is serialized.
"""

from __future__ import annotations

from collections.abc import Iterable

_CELL_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("'", "&apos;"), ('"', "&quot;"))

#: Column order of a Content Modifier row in every version from 1.2.3 to 1.6.1.
MODIFIER_COLUMNS = ("Action", "Type", "Value", "Default", "Name", "Datatype")


def cell(text: str) -> str:
    """Escape cell text."""
    for raw, escaped in _CELL_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def modifier_table(rows: Iterable[dict[str, str]]) -> str:
    """A Content Modifier header or property table (cells with single-quoted ids)."""
    out = []
    for row in rows:
        cells = "".join(f"<cell id='{col}'>{cell(row.get(col, ''))}</cell>" for col in MODIFIER_COLUMNS)
        out.append(f"<row>{cells}</row>")
    return "".join(out)


def key_value_table(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table without cell ids (Timer ``scheduleKey``)."""
    return "".join(f"<row><cell>{cell(k)}</cell><cell>{cell(v)}</cell></row>" for k, v in pairs)


def plain_table(rows: Iterable[Iterable[str]]) -> str:
    """A table of positional cells (Write Variables)."""
    return "".join("<row>" + "".join(f"<cell>{cell(c)}</cell>" for c in row) + "</row>" for row in rows)
