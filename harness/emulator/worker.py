"""The deploy state machine, run in the background like a tenant's build and deploy service.

A deploy moves through::

    task DEPLOYING --(build: structural checks + lint)--> FAIL     runtime ERROR (the findings)
                   \\-> SUCCESS, runtime STARTING --(runtime.deploy)--> STARTED | ERROR (the reason)

During the build the runtime keeps showing the previous version, as a tenant does, so a client
that accepts STARTED without comparing versions is caught out. ``latency`` (seconds) is spent
half in the build and half in starting: benchmarks and deadline tests inject it.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from harness.emulator import validation
from harness.emulator.runtime_port import FlowRuntime
from harness.emulator.store import Store

log = logging.getLogger(__name__)

RUNTIME_TYPES = {"Integration": "INTEGRATION_FLOW", "ValueMapping": "VALUE_MAPPING",
                 "MessageMapping": "MESSAGE_MAPPING", "ScriptCollection": "SCRIPT_COLLECTION"}


class DeployWorker:
    """Runs deploy tasks on a small thread pool."""

    def __init__(self, store: Store, runtime: FlowRuntime | None = None, *, latency: float = 0.0,
                 workers: int = 8, lint: bool = True, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.lint = lint
        self.runtime = runtime
        self.latency = latency
        self.sleep = sleep
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deploy")
        self._runtime_lock = threading.Lock()
        self._closed = False
        self.before_deploy: Callable[[], None] | None = None

    def submit(self, artifact_id: str, kind: str, user: str) -> str:
        """Start deploying the current design-time content; returns the TaskId."""
        stored = self.store.artifact_get(artifact_id)
        if stored is None:
            raise KeyError(artifact_id)
        task_id = self.store.task_create(artifact_id, kind, stored.version)
        self._pool.submit(self._run, task_id, artifact_id, kind, user)
        return task_id

    def resume(self) -> int:
        """Re-run tasks left DEPLOYING by a previous process; returns how many."""
        pending = self.store.tasks_pending()
        for task in pending:
            self._pool.submit(self._run, task["task_id"], task["artifact_id"], task["kind"], "restart")
        return len(pending)

    def restore(self) -> None:
        """Give an attached runtime every artifact that was STARTED before a restart."""
        if self.runtime is None:
            return
        for row in self.store.runtime_list():
            if row["status"] != "STARTED" or row["type"] != "INTEGRATION_FLOW" or not row["content"]:
                continue
            try:
                self._runtime_deploy(row["artifact_id"], row["version"], row["content"], row["configuration"])
            except Exception as exc:  # noqa: BLE001 - any runtime failure is the artifact's error
                self.store.runtime_status(row["artifact_id"], "ERROR", _reason(exc))

    def undeploy(self, artifact_id: str) -> bool:
        """Stop and remove a runtime artifact; False when it was not deployed."""
        row = self.store.runtime_get(artifact_id)
        if row is None:
            return False
        if self.runtime is not None and row["type"] == "INTEGRATION_FLOW":
            with self._runtime_lock:
                try:
                    self.runtime.undeploy(artifact_id)
                except Exception:  # noqa: BLE001 - undeploy of a flow that never started
                    log.debug("runtime undeploy of %s failed", artifact_id, exc_info=True)
        removed = self.store.runtime_delete(artifact_id)
        if row["type"] == "VALUE_MAPPING":
            self._value_mappings_changed()
        return removed

    def close(self) -> None:
        """Stop the pool; tasks still sleeping stop at their next step and stay DEPLOYING
        (a restart resumes them), as they would if the process ended."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def abandon(self) -> None:
        """Stop without waiting (what a crash looks like to the tasks in flight)."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- one task ----------------------------------------------------------------------------------
    def _run(self, task_id: str, artifact_id: str, kind: str, user: str) -> None:
        if self._closed:
            return
        try:
            self._deploy(task_id, artifact_id, kind, user)
        except Exception as exc:  # noqa: BLE001 - a task must always end, never hang in DEPLOYING
            log.exception("deploy task %s crashed", task_id)
            self.store.task_finish(task_id, "FAIL", f"internal emulator error: {exc}")

    def _deploy(self, task_id: str, artifact_id: str, kind: str, user: str) -> None:
        stored = self.store.artifact_get(artifact_id)
        if stored is None:
            self.store.task_finish(task_id, "FAIL", f"Integration design time artifact {artifact_id} not found")
            return
        type_ = RUNTIME_TYPES.get(kind, kind.upper())
        hook = self.before_deploy
        if hook is not None:
            try:
                hook()
            except Exception:  # noqa: BLE001 - seeding trouble must not fail an unrelated deploy
                log.warning("re-seeding security material failed", exc_info=True)
        self.sleep(self.latency / 2)
        if self._closed:
            return
        _, errors = validation.check(stored.content, artifact_id, kind, lint=self.lint)
        configuration = self.store.config_values(artifact_id)
        if errors:
            reason = "Validation of the artifact failed: " + "; ".join(errors)
            self.store.runtime_put(artifact_id, version=stored.version, name=stored.name, type_=type_,
                                   status="ERROR", task_id=task_id, user=user, error=reason)
            self.store.task_finish(task_id, "FAIL", reason)
            return
        self.store.runtime_put(artifact_id, version=stored.version, name=stored.name, type_=type_,
                               status="STARTING", task_id=task_id, user=user, content=stored.content,
                               configuration=configuration)
        self.store.task_finish(task_id, "SUCCESS")
        self.sleep(self.latency / 2)
        if self._closed:
            return
        if kind == "ValueMapping":
            self.store.runtime_status(artifact_id, "STARTED")
            self._value_mappings_changed()
            return
        if self.runtime is not None and kind == "Integration":
            try:
                self._runtime_deploy(artifact_id, stored.version, stored.content, configuration)
            except Exception as exc:  # noqa: BLE001 - the runtime's reason becomes the error information
                self.store.runtime_status(artifact_id, "ERROR", _reason(exc))
                return
        self.store.runtime_status(artifact_id, "STARTED")

    def _runtime_deploy(self, artifact_id: str, version: str, content: bytes, configuration: dict[str, str]) -> None:
        assert self.runtime is not None
        with self._runtime_lock:
            self.runtime.deploy(artifact_id, version, content, dict(configuration),
                                self.store.deployed_value_mappings(), self.store.security_material())

    def _value_mappings_changed(self) -> None:
        hook = getattr(self.runtime, "value_mappings_changed", None)
        if callable(hook):
            with self._runtime_lock:
                hook(self.store.deployed_value_mappings())


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
