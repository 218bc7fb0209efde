"""``value_mapping.xml`` (``<vm version="2.0">``): one group per pair of equivalent values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Entry:
    """One side of a group."""

    agency: str
    schema: str
    value: str
    is_default: bool = False


@dataclass(frozen=True)
class Group:
    """Values that mean the same in two schemas."""

    source: Entry
    target: Entry

    @property
    def id(self) -> str:
        """A stable 32-hex id (the tenant uses random ones; any unique hex works)."""
        key = "\x1f".join((self.source.agency, self.source.schema, self.source.value,
                           self.target.agency, self.target.schema, self.target.value))
        return hashlib.md5(key.encode("utf-8")).hexdigest()


def render(groups: list[Group]) -> bytes:
    """The file: one line, no XML declaration, as the 2026 export."""
    out = ['<vm version="2.0">']
    for group in groups:
        out.append(f'<group id="{group.id}">')
        for entry in (group.source, group.target):
            attr = ' isDefault="true"' if entry.is_default else ""
            out.append(f"<entry{attr}><agency>{escape(entry.agency)}</agency>"
                       f"<schema>{escape(entry.schema)}</schema><value>{escape(entry.value)}</value></entry>")
        out.append("</group>")
    out.append("</vm>")
    return "".join(out).encode("utf-8")
