"""Reading a deployed integration flow package (the ``.zip`` a tenant imports).

The runtime reads the package as deployed: the one ``.iflw`` under
``src/main/resources/scenarioflows/integrationflow/``, ``parameters.prop`` (Java properties), the
manifest, and every resource (``script/``, ``mapping/``, ``edmx/`` ...) by its path relative to
``src/main/resources``. Externalized parameters (``{{Name}}``) are resolved here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Mapping

from generator.render import javaprops

from .errors import InvalidPackage, MissingParameter

IFLW_DIR = "src/main/resources/scenarioflows/integrationflow/"
RESOURCES = "src/main/resources/"
PARAM_RE = re.compile(r"\{\{([^{}]+)\}\}")


@dataclass
class Package:
    """The parts of a package the runtime needs."""

    iflw_name: str
    iflw: bytes
    manifest: dict[str, str]
    parameters: dict[str, str]
    resources: dict[str, bytes] = field(default_factory=dict)

    @property
    def symbolic_name(self) -> str:
        return self.manifest.get("Bundle-SymbolicName", "").split(";")[0].strip()

    def resource(self, path: str) -> bytes | None:
        """A resource by its path below ``src/main/resources`` (leading ``/`` allowed)."""
        path = path.lstrip("/")
        if path.startswith(RESOURCES):
            path = path[len(RESOURCES):]
        return self.resources.get(path)


def read_package(data: bytes) -> Package:
    """Open a package zip; raise :class:`InvalidPackage` naming what is wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidPackage(f"the artifact content is not a zip file: {exc}") from exc
    names = [n for n in archive.namelist() if not n.endswith("/")]
    iflws = [n for n in names if n.startswith(IFLW_DIR) and n.endswith(".iflw")]
    if len(iflws) != 1:
        raise InvalidPackage(f"expected exactly one .iflw under {IFLW_DIR}, found {len(iflws)}"
                             + (f": {', '.join(iflws)}" if iflws else ""))
    manifest = {}
    if "META-INF/MANIFEST.MF" in names:
        manifest = parse_manifest(archive.read("META-INF/MANIFEST.MF").decode("utf-8", "replace"))
    params = {}
    if RESOURCES + "parameters.prop" in names:
        params = javaprops.load(archive.read(RESOURCES + "parameters.prop").decode("latin-1"))
    resources = {n[len(RESOURCES):]: archive.read(n) for n in names
                 if n.startswith(RESOURCES) and not n.startswith(IFLW_DIR)}
    return Package(iflw_name=iflws[0].rsplit("/", 1)[-1], iflw=archive.read(iflws[0]),
                   manifest=manifest, parameters=params, resources=resources)


def parse_manifest(text: str) -> dict[str, str]:
    """Java manifest main section: continuation lines start with one space."""
    headers: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(" ") and last:
            headers[last] += line[1:]
        elif ":" in line:
            key, _, value = line.partition(":")
            last = key.strip()
            headers[last] = value.strip()
        elif not line.strip() and headers:
            break
    return headers


def parameter_names(text: str | None) -> list[str]:
    """The ``{{Name}}`` references in a value."""
    return PARAM_RE.findall(text or "")


def resolve_parameters(text: str, values: Mapping[str, str], where: str = "") -> str:
    """Replace every ``{{Name}}``; a name without a value raises :class:`MissingParameter`."""
    missing = [n for n in PARAM_RE.findall(text) if n not in values]
    if missing:
        raise MissingParameter(missing)
    return PARAM_RE.sub(lambda m: values[m.group(1)], text)
