"""A local artifact zip as the upload sees it: manifest, parameters, credential aliases, senders.

Checks done here, before anything is sent (FACTS §6.3): the MANIFEST is present and wrapped at 72
bytes, ``Bundle-SymbolicName`` equals the artifact id the tenant will store, the bundle type is
one the API handles. Problems raise :class:`ArtifactError` naming the file and what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from harness.tenant.errors import ArtifactError
from generator.render import javaprops

MANIFEST = "META-INF/MANIFEST.MF"
PARAMETERS = "src/main/resources/parameters.prop"
PROPDEF = "src/main/resources/parameters.propdef"
IFLW_DIR = "src/main/resources/scenarioflows/integrationflow/"
SCRIPT_DIR = "src/main/resources/script/"

# SAP-BundleType -> the resource prefix of the OData API ({prefix}DesigntimeArtifacts).
API_KINDS = {
    "IntegrationFlow": "Integration",
    "ValueMapping": "ValueMapping",
    "MessageMapping": "MessageMapping",
    "ScriptCollection": "ScriptCollection",
}

_NS = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL", "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}
# Adapter keys that hold the name of a deployed credential (User Credentials / OAuth2 / secure param).
CREDENTIAL_KEYS = ("credentialName", "alias", "credential_name", "BasicAuthCredentialName", "tokenCredential")
AUTH_KEYS = ("authenticationMethod", "authentication", "auth")
_PARAM = re.compile(r"\{\{([^}]+)\}\}")
_SCRIPT_ALIAS = re.compile(r"""get(?:UserCredential|SecureParameter|OAuth2Token)\s*\(\s*["']([^"'$]+)["']""")


@dataclass(frozen=True)
class Manifest:
    """MANIFEST.MF headers with continuation lines joined."""

    headers: dict[str, str]

    @classmethod
    def parse(cls, data: bytes, source: str) -> "Manifest":
        """Parse and check the 72-byte line limit; raise ArtifactError naming ``source``."""
        headers: dict[str, str] = {}
        last: str | None = None
        for number, raw in enumerate(data.split(b"\n"), start=1):
            line = raw.rstrip(b"\r")
            if len(line) > 72:
                raise ArtifactError(f"{source}: {MANIFEST} line {number} is {len(line)} bytes; "
                                    "manifest lines wrap at 72 bytes")
            if not line:
                continue
            text = line.decode("utf-8")
            if text.startswith(" "):
                if last is None:
                    raise ArtifactError(f"{source}: {MANIFEST} line {number} continues nothing")
                headers[last] += text[1:]
                continue
            name, sep, value = text.partition(":")
            if not sep:
                raise ArtifactError(f"{source}: {MANIFEST} line {number}: expected 'Name: value'")
            last = name.strip()
            headers[last] = value[1:] if value.startswith(" ") else value
        return cls({k: v.strip() for k, v in headers.items()})

    @property
    def symbolic_name(self) -> str:
        """``Bundle-SymbolicName`` without directives such as ``; singleton:=true``."""
        return self.headers.get("Bundle-SymbolicName", "").split(";")[0].strip()


@dataclass(frozen=True)
class CredentialRef:
    """Where an adapter names a credential: the raw value (maybe ``{{Param}}``) and the element."""

    element_id: str
    key: str
    value: str


@dataclass(frozen=True)
class SenderEndpoint:
    """An inbound HTTPS or SOAP sender: its address template and the role it requires."""

    adapter: str
    address: str
    user_role: str
    element_id: str


@dataclass
class LocalArtifact:
    """One artifact zip, ready to upload."""

    id: str
    name: str
    version: str
    bundle_type: str
    content: bytes
    source: str
    parameters: dict[str, str] = field(default_factory=dict)
    parameter_types: dict[str, str] = field(default_factory=dict)
    credential_refs: list[CredentialRef] = field(default_factory=list)
    script_aliases: set[str] = field(default_factory=set)
    senders: list[SenderEndpoint] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """The hash of the exact bytes (what promotion compares)."""
        return hashlib.sha256(self.content).hexdigest()

    @property
    def api_kind(self) -> str:
        """The API resource prefix (``Integration``, ``ValueMapping``, ...)."""
        return API_KINDS[self.bundle_type]

    @classmethod
    def from_path(cls, path: Path) -> "LocalArtifact":
        """Read a zip file."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ArtifactError(f"{path}: cannot read ({exc.strerror})") from exc
        return cls.from_zip(data, str(path))

    @classmethod
    def from_zip(cls, data: bytes, source: str, expected_id: str | None = None) -> "LocalArtifact":
        """Read an artifact zip; check manifest, id and type; collect parameters and aliases."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise ArtifactError(f"{source}: not a zip file ({exc})") from exc
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ArtifactError(f"{source}: no {MANIFEST} in the zip")
        manifest = Manifest.parse(archive.read(MANIFEST), source)
        artifact_id = manifest.symbolic_name
        if not artifact_id:
            raise ArtifactError(f"{source}: {MANIFEST} has no Bundle-SymbolicName")
        if expected_id is not None and artifact_id != expected_id:
            raise ArtifactError(f"{source}: Bundle-SymbolicName {artifact_id!r} differs from the artifact "
                                f"id {expected_id!r}; the tenant requires them to be equal")
        bundle_type = manifest.headers.get("SAP-BundleType", "")
        if bundle_type not in API_KINDS:
            raise ArtifactError(f"{source}: SAP-BundleType {bundle_type!r} is not one of "
                                f"{', '.join(API_KINDS)}")
        version = manifest.headers.get("Bundle-Version", "")
        if not version:
            raise ArtifactError(f"{source}: {MANIFEST} has no Bundle-Version")
        artifact = cls(id=artifact_id, name=manifest.headers.get("Bundle-Name", artifact_id),
                       version=version, bundle_type=bundle_type, content=data, source=source)
        if PARAMETERS in names:
            artifact.parameters = javaprops.load(archive.read(PARAMETERS).decode("latin-1"))
        if PROPDEF in names:
            artifact.parameter_types = _propdef_types(archive.read(PROPDEF), source)
        for name in sorted(names):
            if name.startswith(IFLW_DIR) and name.endswith(".iflw"):
                _read_iflw(artifact, archive.read(name), f"{source}:{name}")
            elif name.startswith(SCRIPT_DIR) and name.endswith((".groovy", ".gsh")):
                text = archive.read(name).decode("utf-8", errors="replace")
                artifact.script_aliases.update(_SCRIPT_ALIAS.findall(text))
        return artifact

    def credential_aliases(self, configuration: dict[str, str] | None = None) -> set[str]:
        """Credential names the deployed artifact will look up, ``{{Param}}`` resolved.

        ``configuration`` overrides the zip's own parameter values (as the tenant's configured
        values do). Dynamic names (``${property.X}``) cannot be known before run time and are left out.
        """
        values = dict(self.parameters)
        values.update(configuration or {})
        aliases = set(self.script_aliases)
        for ref in self.credential_refs:
            name = _PARAM.sub(lambda m: values.get(m.group(1), m.group(0)), ref.value).strip()
            if name and "${" not in name and "{{" not in name:
                aliases.add(name)
        return aliases


def _propdef_types(data: bytes, source: str) -> dict[str, str]:
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise ArtifactError(f"{source}: {PROPDEF} is not well-formed XML: {exc}") from exc
    types = {}
    for parameter in root.iter("parameter"):
        name = parameter.findtext("name")
        if name:
            types[name] = parameter.findtext("type") or "xsd:string"
    return types


def _read_iflw(artifact: LocalArtifact, data: bytes, source: str) -> None:
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise ArtifactError(f"{source}: not well-formed XML: {exc}") from exc
    for flow in root.iterfind(".//bpmn2:messageFlow", _NS):
        props = {p.findtext("key"): (p.findtext("value") or "")
                 for p in flow.iterfind("bpmn2:extensionElements/ifl:property", _NS)}
        element_id = flow.get("id", "")
        direction = props.get("direction", "")
        adapter = props.get("ComponentType", "")
        if direction == "Sender" and adapter in ("HTTPS", "SOAP"):
            address = props.get("urlPath") if adapter == "HTTPS" else props.get("address")
            artifact.senders.append(SenderEndpoint(adapter, address or "", props.get("userRole", ""),
                                                   element_id))
        auth = next((props[k] for k in AUTH_KEYS if k in props), None)
        if auth is not None and auth.strip() in ("None", ""):
            continue
        for key_name in CREDENTIAL_KEYS:
            value = props.get(key_name, "").strip()
            if value:
                artifact.credential_refs.append(CredentialRef(element_id, key_name, value))


def load_dist(dist_dir: Path, only: list[str] | None = None) -> list[LocalArtifact]:
    """Every ``*.zip`` in ``dist_dir`` (optionally only the given ids), sorted by id.

    Raises ArtifactError when ``only`` names an artifact that has no zip.
    """
    if not dist_dir.is_dir():
        raise ArtifactError(f"{dist_dir}: no such folder (run `s4amz build` first)")
    artifacts = [LocalArtifact.from_path(p) for p in sorted(dist_dir.glob("*.zip"))]
    if only:
        known = {a.id for a in artifacts}
        missing = [i for i in only if i not in known]
        if missing:
            raise ArtifactError(f"{dist_dir}: no artifact {', '.join(missing)} "
                                f"(known: {', '.join(sorted(known)) or 'none'})")
        artifacts = [a for a in artifacts if a.id in only]
    seen: dict[str, str] = {}
    for artifact in artifacts:
        if artifact.id in seen:
            raise ArtifactError(f"{artifact.source}: artifact id {artifact.id} also in {seen[artifact.id]}")
        seen[artifact.id] = artifact.source
    return sorted(artifacts, key=lambda a: a.id)
