"""Hold the stand-in against SAP's published script API jar, and compile scripts against an API.

SAP's jars (``com.sap.cloud.script:script.api`` / ``script.v2.api``) are a compile/test-only
reference: never packaged or committed. They are found through ``S4AMZ_SCRIPT_API_JAR`` (one or
more jars, ``os.pathsep``-separated, plus whatever they need on the classpath) or in
``groovy/target/sap-api/`` (``mvn -f groovy/sap-api/pom.xml package``, which ``make groovy``
tries).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Iterable

from .errors import ScriptHostError
from .runtime import host_jars, java_executable, runtime_jars, target_dir, tool_classpath

API_PACKAGES = ("com.sap.gateway.ip.core.customdev.util.", "com.sap.it.")


def real_script_api_jars() -> list[Path]:
    """SAP's script API jars when available here (see module docstring), else an empty list."""
    override = os.environ.get("S4AMZ_SCRIPT_API_JAR")
    if override:
        jars = [Path(p) for p in override.split(os.pathsep) if p]
        missing = [str(p) for p in jars if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"S4AMZ_SCRIPT_API_JAR names missing files: {', '.join(missing)}")
        return jars
    folder = target_dir() / "sap-api"
    return sorted(folder.glob("*.jar")) if folder.is_dir() else []


def standin_api_jars() -> list[Path]:
    """The stand-in jar and what it needs (javax.activation)."""
    return [host_jars()[0], *[p for p in runtime_jars("2.4") if "activation" in p.name]]


def dump_signatures(api_jar: Path, classpath: Iterable[Path] = (), packages: Iterable[str] = API_PACKAGES) -> dict:
    """Public signatures of the classes in ``api_jar`` under ``packages`` (generic form)."""
    cp = os.pathsep.join(str(p) for p in [host_jars()[1], *runtime_jars("2.4")])
    cmd = [java_executable(), "-cp", cp, "s4amz.scripthost.tools.SignatureDump", ",".join(packages),
           str(api_jar), *[str(p) for p in classpath]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise ScriptHostError(f"SignatureDump failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def compare_signatures(standin: dict, real: dict, *, known_gaps: Iterable[str] = ()) -> list[str]:
    """Differences that matter: a stand-in class or member the real API lacks (drift), and a
    public member of the real API the stand-in lacks, unless listed in ``known_gaps`` as
    ``"<class>#<member signature>"``."""
    gaps = set(known_gaps)
    problems: list[str] = []
    for name, ours in sorted(standin.items()):
        if not ours.get("public"):
            continue
        theirs = real.get(name)
        if theirs is None:
            problems.append(f"{name}: the stand-in has it, the real API does not")
            continue
        if "error" in theirs:
            problems.append(f"{name}: the real class could not be loaded ({theirs['error']}); add its dependencies to the classpath")
            continue
        if ours.get("kind") != theirs.get("kind"):
            problems.append(f"{name}: {ours.get('kind')} in the stand-in, {theirs.get('kind')} in the real API")
        for member in sorted(set(ours.get("members", ())) - set(theirs.get("members", ()))):
            problems.append(f"{name}: stand-in member not in the real API: {member}")
        for member in sorted(set(theirs.get("members", ())) - set(ours.get("members", ()))):
            if f"{name}#{member}" not in gaps:
                problems.append(f"{name}: real API member missing from the stand-in: {member}")
    return problems


def compile_scripts(version: str, api_jars: Iterable[Path], scripts: Iterable[Path]) -> dict[str, str | None]:
    """Compile scripts on a Groovy runtime against the given API jars only (not the stand-in
    unless passed). Returns ``{path: None | error}``."""
    api = os.pathsep.join(str(p) for p in api_jars)
    cmd = [java_executable(), "-cp", tool_classpath(version), "s4amz.scripthost.tools.CompileCheck", api,
           *[str(p) for p in scripts]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise ScriptHostError(f"CompileCheck failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
