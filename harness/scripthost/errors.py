"""Errors of the script host (the Python side). A script's own exception is not one of these: it
comes back in :attr:`ScriptResult.exception`."""

from __future__ import annotations


class ScriptHostError(RuntimeError):
    """The script host could not run a call (not built, not started, protocol trouble)."""


class JvmNotBuilt(ScriptHostError):
    """The JVM side under ``groovy/target`` is missing."""


class ScriptHostCrashed(ScriptHostError):
    """The JVM died while calls were running (``System.exit``, heap exhausted, killed, timeout).

    The host restarts the JVM on the next call; the calls that were in flight are lost and must be
    retried or parked by the caller (the emulator fails the message with this reason).
    """

    def __init__(self, message: str, *, exit_code: int | None = None, stderr_tail: str = "",
                 in_flight: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail
        self.in_flight = in_flight or {}


class ScriptTimeout(ScriptHostCrashed):
    """A call did not finish in time; the JVM was killed (a thread cannot be stopped safely)."""
