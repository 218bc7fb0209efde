"""Where the built JVM side lives and how to start a JVM for a Groovy runtime."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from harness.paths import repo_root

from .errors import JvmNotBuilt

RUNTIMES = {"2.4": "runtime-2.4", "4.0": "runtime-4.0"}
"""Groovy runtimes: ``"2.4"`` is Script step 1.1 (Groovy 2.4.21), ``"4.0"`` Script step 2.0 (4.0.29)."""

BUILD_HINT = "run `make groovy` (mvn -q -B -f groovy/pom.xml -DskipTests package)"


def groovy_dir() -> Path:
    """The ``groovy/`` folder of the checkout."""
    return repo_root() / "groovy"


def target_dir() -> Path:
    return groovy_dir() / "target"


def scripts_dir() -> Path:
    """The script library, ``groovy/scripts/<area>/<name>.groovy``."""
    return groovy_dir() / "scripts"


def java_executable() -> str:
    """``$JAVA_HOME/bin/java`` when set, else ``java`` from PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise JvmNotBuilt(f"no java executable found (install a JDK 17, then {BUILD_HINT})")
    return found


def _jars(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jar")) if folder.is_dir() else []


def runtime_jars(version: str) -> list[Path]:
    """The Groovy runtime jars of a version, or :class:`JvmNotBuilt`."""
    if version not in RUNTIMES:
        raise ValueError(f"unknown Groovy runtime {version!r}: expected one of {sorted(RUNTIMES)}")
    jars = _jars(target_dir() / RUNTIMES[version])
    if not jars:
        raise JvmNotBuilt(f"Groovy {version} runtime missing under {target_dir() / RUNTIMES[version]}: {BUILD_HINT}")
    return jars


def host_jars() -> list[Path]:
    """The stand-in API jar and the host jar."""
    lib = target_dir() / "lib"
    needed = [lib / "s4amz-script-api-standin.jar", lib / "s4amz-script-host.jar"]
    missing = [p.name for p in needed if not p.is_file()]
    if missing:
        raise JvmNotBuilt(f"script host not built ({', '.join(missing)} missing in {lib}): {BUILD_HINT}")
    return needed


def host_classpath(version: str) -> str:
    return os.pathsep.join(str(p) for p in host_jars() + runtime_jars(version))


def tool_classpath(version: str) -> str:
    """Groovy and the host's tools, **without** the stand-in (for compiling against another API)."""
    return os.pathsep.join(str(p) for p in [host_jars()[1], *runtime_jars(version)])


def codenarc_jars() -> list[Path]:
    jars = _jars(target_dir() / "codenarc")
    if not jars:
        raise JvmNotBuilt(f"CodeNarc missing under {target_dir() / 'codenarc'}: {BUILD_HINT}")
    return jars


def jvm_options() -> list[str]:
    """Flags for a host JVM: UTC like a tenant, UTF-8, bounded heap that ends the JVM when exhausted.

    ``S4AMZ_SCRIPTHOST_XMX`` sets the heap (default ``1g``).
    """
    return [
        f"-Xmx{os.environ.get('S4AMZ_SCRIPTHOST_XMX', '1g')}",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Xshare:auto",
        "-Duser.timezone=UTC",
        "-Dfile.encoding=UTF-8",
        "-Dsun.stdout.encoding=UTF-8",
    ]
