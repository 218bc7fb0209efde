"""The table values the designer stores as escaped text: ``<row><cell id='Name'>x</cell>...</row>``.

Content Modifier tables name their cells (``id='Action'``, ``id='Type'`` ...); Write Variables,
the Timer's schedule and the XML-to-JSON path table use plain positional cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Row:
    """One table row: the cells in order, and by id where they have one."""

    cells: tuple[str, ...]
    named: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.named.get(name, default)


def parse_table(text: str | None) -> list[Row]:
    """Parse a table value; an empty value is an empty table. Raises ValueError on bad XML."""
    if not text or not text.strip():
        return []
    try:
        root = etree.fromstring(f"<table>{text}</table>".encode("utf-8"),
                                parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a table of <row><cell> elements: {exc}") from exc
    rows = []
    for row in root.iter("row"):
        cells = []
        named = {}
        for cell in row.findall("cell"):
            value = "".join(cell.itertext())
            cells.append(value)
            if cell.get("id"):
                named[cell.get("id")] = value
        rows.append(Row(tuple(cells), named))
    return rows


def table_dict(text: str | None) -> dict[str, str]:
    """A two-column table (key, value) as a dict: the Timer's ``scheduleKey``."""
    return {r.cells[0]: (r.cells[1] if len(r.cells) > 1 else "") for r in parse_table(text) if r.cells}
