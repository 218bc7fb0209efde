"""One artifact's files, and the deterministic zip a tenant imports.

Zip facts from the 2025/2026 exports: DEFLATE, no directory entries, one timestamp for every
entry, ``create_system=0``, ``external_attr=0``. The timestamp is the package's ``modified``
date, so the same spec always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

#: Order of the well-known entries (package-export order); resources go after the propdef.
_HEAD = ("src/main/resources/parameters.prop", "src/main/resources/parameters.propdef")
_TAIL = (".project", "metainfo.prop", "META-INF/MANIFEST.MF")


@dataclass
class Artifact:
    """A design-time artifact: id, display name, version, type and its files by path."""

    id: str
    name: str
    version: str
    kind: str  # IntegrationFlow | ValueMapping
    modified_ms: int
    files: dict[str, bytes] = field(default_factory=dict)
    description: str = ""

    def ordered_paths(self) -> list[str]:
        """Entry order: the .iflw, parameters, resources, .project, metainfo, MANIFEST."""
        iflw = sorted(p for p in self.files if p.endswith(".iflw"))
        head = [p for p in _HEAD if p in self.files]
        tail = [p for p in _TAIL if p in self.files]
        rest = sorted(p for p in self.files if p not in (*iflw, *head, *tail))
        return iflw + head + rest + tail

    def zip_bytes(self) -> bytes:
        """The zip, byte-identical for identical content."""
        stamp = datetime.fromtimestamp(self.modified_ms / 1000, tz=timezone.utc)
        date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
                     stamp.second // 2 * 2)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in self.ordered_paths():
                info = zipfile.ZipInfo(path, date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                archive.writestr(info, self.files[path], compress_type=zipfile.ZIP_DEFLATED,
                                 compresslevel=6)
            for info in archive.filelist:
                # zipfile forces ?rw------- on write; the central directory is written on close.
                info.external_attr = 0
        return buffer.getvalue()

    def write_dir(self, folder: Path) -> None:
        """Write the files under ``folder`` (files no longer produced are removed)."""
        existing = read_dir(folder) if folder.is_dir() else {}
        for stale in set(existing) - set(self.files):
            (folder / stale).unlink()
        for path, data in self.files.items():
            target = folder / path
            if existing.get(path) == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for sub in sorted(folder.rglob("*"), reverse=True):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()


def read_dir(folder: Path) -> dict[str, bytes]:
    """The files of an unpacked artifact, by POSIX path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_zip(data: bytes) -> dict[str, bytes]:
    """The files of a zipped artifact (directory entries skipped)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
