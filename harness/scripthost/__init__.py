"""The Python side of the Groovy script host (see docs/ARCHITECTURE.md and docs/groovy.md).

One long-lived JVM per Groovy runtime (``"2.4"`` = Script step 1.1, ``"4.0"`` = Script step 2.0)
runs Cloud Integration scripts through a Java stand-in of SAP's script API::

    from harness.scripthost import ScriptHost, ScriptMessage
    result = ScriptHost.shared("2.4").run(script=path, message=ScriptMessage(body="{}"))
    result.body, result.headers, result.properties, result.log_attachments, result.exception
"""

from .errors import JvmNotBuilt, ScriptHostCrashed, ScriptHostError, ScriptTimeout
from .host import ScriptHost
from .model import (
    Attachment,
    AuthorizationCodeToken,
    CaughtException,
    MplAttachment,
    ScriptError,
    ScriptFailure,
    ScriptMessage,
    ScriptResult,
    ScriptSource,
    UserCredential,
    ValueMapping,
)
from .runtime import RUNTIMES, scripts_dir

__all__ = [
    "Attachment",
    "AuthorizationCodeToken",
    "CaughtException",
    "JvmNotBuilt",
    "MplAttachment",
    "RUNTIMES",
    "ScriptError",
    "ScriptFailure",
    "ScriptHost",
    "ScriptHostCrashed",
    "ScriptHostError",
    "ScriptMessage",
    "ScriptResult",
    "ScriptSource",
    "ScriptTimeout",
    "UserCredential",
    "ValueMapping",
    "scripts_dir",
]
