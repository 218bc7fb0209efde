"""The emulated tenant's persistent state in SQLite (``.s4amz/emulator/<name>.db``).

Design-time packages and artifacts, configurations, deploy tasks, runtime artifacts, value
mappings, security material and message processing logs. Everything survives a restart. One
connection guarded by a lock: the API threads, the deploy worker and the runtime share it.

The MPL methods (``mpl_begin``, ``mpl_step``, ``mpl_attach``, ``mpl_end``) implement
:class:`harness.emulator.runtime_port.MplSink`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from harness.emulator.runtime_port import SecurityMaterial, ValueMapEntry

MPL_STATUSES = frozenset({"PROCESSING", "COMPLETED", "FAILED", "RETRY", "ESCALATED", "CANCELLED",
                          "DISCARDED", "ABANDONED"})
SECURITY_KINDS = ("UserCredentials", "OAuth2ClientCredentials", "SecureParameters")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS packages (id TEXT PRIMARY KEY, data TEXT NOT NULL, created REAL, modified REAL);
CREATE TABLE IF NOT EXISTS artifacts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, package_id TEXT NOT NULL, name TEXT, version TEXT,
    description TEXT, content BLOB NOT NULL, created REAL, modified REAL, modified_by TEXT);
CREATE TABLE IF NOT EXISTS configurations (
    artifact_id TEXT, key TEXT, value TEXT, data_type TEXT, position INTEGER,
    PRIMARY KEY (artifact_id, key));
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY, artifact_id TEXT, kind TEXT, version TEXT, status TEXT, error TEXT,
    created REAL, finished REAL);
CREATE TABLE IF NOT EXISTS runtime (
    artifact_id TEXT PRIMARY KEY, version TEXT, name TEXT, type TEXT, status TEXT, error TEXT,
    error_since REAL, deployed_by TEXT, deployed_on REAL, task_id TEXT, content BLOB,
    configuration TEXT);
CREATE TABLE IF NOT EXISTS valmaps (
    artifact_id TEXT, src_agency TEXT, src_id TEXT, tgt_agency TEXT, tgt_id TEXT, src_value TEXT,
    id TEXT, tgt_value TEXT, is_default INTEGER DEFAULT 0, configured INTEGER DEFAULT 0,
    PRIMARY KEY (artifact_id, src_agency, src_id, tgt_agency, tgt_id, src_value));
CREATE TABLE IF NOT EXISTS security (
    kind TEXT, name TEXT, data TEXT, deployed_by TEXT, deployed_on REAL, PRIMARY KEY (kind, name));
CREATE TABLE IF NOT EXISTS mpl (
    guid TEXT PRIMARY KEY, artifact_id TEXT, status TEXT, correlation_id TEXT, sender TEXT,
    receiver TEXT, log_start REAL, log_end REAL, error TEXT, headers TEXT, custom_status TEXT);
CREATE INDEX IF NOT EXISTS mpl_by_artifact ON mpl (artifact_id, log_start);
CREATE INDEX IF NOT EXISTS mpl_by_correlation ON mpl (correlation_id);
CREATE TABLE IF NOT EXISTS mpl_steps (
    mpl_id TEXT, seq INTEGER, step_id TEXT, step_name TEXT, component TEXT, started REAL, ended REAL,
    status TEXT, detail TEXT, PRIMARY KEY (mpl_id, seq));
CREATE TABLE IF NOT EXISTS mpl_attachments (
    id TEXT PRIMARY KEY, mpl_id TEXT, name TEXT, content_type TEXT, content BLOB, created REAL);
"""


def epoch(moment: datetime | float | int | None) -> float | None:
    """Seconds since the epoch for a datetime (naive = UTC) or a number."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    return float(moment)


def as_datetime(seconds: float | None) -> datetime | None:
    """An aware UTC datetime for epoch seconds."""
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=timezone.utc)


@dataclass(frozen=True)
class StoredArtifact:
    """A design-time artifact row."""

    id: str
    kind: str
    package_id: str
    name: str
    version: str
    description: str
    content: bytes
    created: float
    modified: float
    modified_by: str


class Store:
    """SQLite-backed tenant state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    # --- packages --------------------------------------------------------------------------------
    def package_get(self, package_id: str) -> dict[str, Any] | None:
        """A package's fields (API names) plus CreationDate/ModifiedDate epoch seconds."""
        row = self._one("SELECT data, created, modified FROM packages WHERE id = ?", package_id)
        if row is None:
            return None
        return {**json.loads(row["data"]), "_created": row["created"], "_modified": row["modified"]}

    def package_list(self) -> list[dict[str, Any]]:
        """Every package, by id."""
        return [self.package_get(r["id"]) for r in self._all("SELECT id FROM packages ORDER BY id")]  # type: ignore[misc]

    def package_put(self, package_id: str, data: dict[str, Any]) -> None:
        """Create or replace a package."""
        now = time.time()
        with self._tx() as db:
            row = db.execute("SELECT created FROM packages WHERE id = ?", (package_id,)).fetchone()
            db.execute("INSERT OR REPLACE INTO packages (id, data, created, modified) VALUES (?, ?, ?, ?)",
                       (package_id, json.dumps(data), row["created"] if row else now, now))

    def package_delete(self, package_id: str) -> None:
        """Delete a package and its artifacts."""
        with self._tx() as db:
            ids = [r["id"] for r in db.execute("SELECT id FROM artifacts WHERE package_id = ?", (package_id,))]
            for artifact_id in ids:
                self._delete_artifact(db, artifact_id)
            db.execute("DELETE FROM packages WHERE id = ?", (package_id,))

    # --- design-time artifacts ---------------------------------------------------------------------
    def artifact_get(self, artifact_id: str) -> StoredArtifact | None:
        """One artifact."""
        row = self._one("SELECT * FROM artifacts WHERE id = ?", artifact_id)
        return StoredArtifact(**dict(row)) if row else None

    def artifact_list(self, package_id: str | None = None, kind: str | None = None) -> list[StoredArtifact]:
        """Artifacts, optionally of one package and/or kind."""
        sql, args = "SELECT * FROM artifacts WHERE 1=1", []
        if package_id is not None:
            sql += " AND package_id = ?"
            args.append(package_id)
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        return [StoredArtifact(**dict(r)) for r in self._all(sql + " ORDER BY id", *args)]

    def artifact_put(self, artifact_id: str, kind: str, package_id: str, name: str, version: str,
                     content: bytes, parameters: list[tuple[str, str, str]], description: str = "",
                     user: str = "") -> None:
        """Create or replace an artifact; its configuration becomes the zip's ``parameters``."""
        now = time.time()
        with self._tx() as db:
            row = db.execute("SELECT created FROM artifacts WHERE id = ?", (artifact_id,)).fetchone()
            db.execute("INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (artifact_id, kind, package_id, name, version, description, content,
                        row["created"] if row else now, now, user))
            db.execute("DELETE FROM configurations WHERE artifact_id = ?", (artifact_id,))
            db.executemany("INSERT INTO configurations VALUES (?, ?, ?, ?, ?)",
                           [(artifact_id, k, v, t, i) for i, (k, v, t) in enumerate(parameters)])

    def artifact_delete(self, artifact_id: str) -> None:
        """Delete an artifact with its configuration and value maps."""
        with self._tx() as db:
            self._delete_artifact(db, artifact_id)

    @staticmethod
    def _delete_artifact(db: sqlite3.Connection, artifact_id: str) -> None:
        db.execute("DELETE FROM artifacts WHERE id = ?", (artifact_id,))
        db.execute("DELETE FROM configurations WHERE artifact_id = ?", (artifact_id,))
        db.execute("DELETE FROM valmaps WHERE artifact_id = ?", (artifact_id,))

    # --- configurations --------------------------------------------------------------------------
    def config_list(self, artifact_id: str) -> list[tuple[str, str, str]]:
        """(key, value, data type), in parameters.prop order."""
        rows = self._all("SELECT key, value, data_type FROM configurations WHERE artifact_id = ? ORDER BY position",
                         artifact_id)
        return [(r["key"], r["value"], r["data_type"]) for r in rows]

    def config_values(self, artifact_id: str) -> dict[str, str]:
        """key -> value."""
        return {k: v for k, v, _ in self.config_list(artifact_id)}

    def config_set_many(self, artifact_id: str, values: dict[str, tuple[str, str | None]]) -> list[str]:
        """Set several parameters atomically; return keys that do not exist (then nothing is set)."""
        with self._tx() as db:
            known = {r["key"] for r in db.execute("SELECT key FROM configurations WHERE artifact_id = ?",
                                                   (artifact_id,))}
            missing = [k for k in values if k not in known]
            if missing:
                return missing
            for key, (value, data_type) in values.items():
                if data_type:
                    db.execute("UPDATE configurations SET value = ?, data_type = ? WHERE artifact_id = ? AND key = ?",
                               (value, data_type, artifact_id, key))
                else:
                    db.execute("UPDATE configurations SET value = ? WHERE artifact_id = ? AND key = ?",
                               (value, artifact_id, key))
        return []

    # --- deploy tasks ----------------------------------------------------------------------------
    def task_create(self, artifact_id: str, kind: str, version: str) -> str:
        """A new DEPLOYING task; returns its TaskId."""
        task_id = uuid.uuid4().hex
        with self._tx() as db:
            db.execute("INSERT INTO tasks VALUES (?, ?, ?, ?, 'DEPLOYING', NULL, ?, NULL)",
                       (task_id, artifact_id, kind, version, time.time()))
        return task_id

    def task_get(self, task_id: str) -> dict[str, Any] | None:
        """A task row."""
        row = self._one("SELECT * FROM tasks WHERE task_id = ?", task_id)
        return dict(row) if row else None

    def task_finish(self, task_id: str, status: str, error: str | None = None) -> None:
        """End a task (SUCCESS or FAIL)."""
        with self._tx() as db:
            db.execute("UPDATE tasks SET status = ?, error = ?, finished = ? WHERE task_id = ?",
                       (status, error, time.time(), task_id))

    def tasks_pending(self) -> list[dict[str, Any]]:
        """Tasks still DEPLOYING (to resume after a restart)."""
        return [dict(r) for r in self._all("SELECT * FROM tasks WHERE status = 'DEPLOYING' ORDER BY created")]

    # --- runtime ---------------------------------------------------------------------------------
    def runtime_get(self, artifact_id: str) -> dict[str, Any] | None:
        """A runtime artifact row (with its deployed content and configuration)."""
        row = self._one("SELECT * FROM runtime WHERE artifact_id = ?", artifact_id)
        if row is None:
            return None
        data = dict(row)
        data["configuration"] = json.loads(data["configuration"] or "{}")
        return data

    def runtime_list(self) -> list[dict[str, Any]]:
        """Every runtime artifact."""
        return [self.runtime_get(r["artifact_id"]) for r in  # type: ignore[misc]
                self._all("SELECT artifact_id FROM runtime ORDER BY artifact_id")]

    def runtime_put(self, artifact_id: str, *, version: str, name: str, type_: str, status: str,
                    task_id: str, user: str, content: bytes | None = None,
                    configuration: dict[str, str] | None = None, error: str | None = None) -> None:
        """Record the runtime state of an artifact."""
        now = time.time()
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO runtime VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (artifact_id, version, name, type_, status, error, now if error else None, user, now,
                        task_id, content, json.dumps(configuration or {})))

    def runtime_status(self, artifact_id: str, status: str, error: str | None = None) -> None:
        """Change a runtime artifact's status (and error)."""
        with self._tx() as db:
            db.execute("UPDATE runtime SET status = ?, error = ?, error_since = ? WHERE artifact_id = ?",
                       (status, error, time.time() if error else None, artifact_id))

    def runtime_delete(self, artifact_id: str) -> bool:
        """Remove a runtime artifact; False when it was not deployed."""
        with self._tx() as db:
            return db.execute("DELETE FROM runtime WHERE artifact_id = ?", (artifact_id,)).rowcount > 0

    # --- value mappings --------------------------------------------------------------------------
    def valmap_replace_content(self, artifact_id: str, pairs: list[ValueMapEntry]) -> None:
        """Load an uploaded value_mapping.xml; values configured through the API are kept."""
        with self._tx() as db:
            db.execute("DELETE FROM valmaps WHERE artifact_id = ? AND configured = 0", (artifact_id,))
            for p in pairs:
                db.execute("INSERT OR IGNORE INTO valmaps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                           (artifact_id, p.src_agency, p.src_id, p.tgt_agency, p.tgt_id, p.src_value,
                            uuid.uuid4().hex, p.tgt_value, int(p.is_default)))

    def valmap_upsert(self, artifact_id: str, src_agency: str, src_id: str, tgt_agency: str, tgt_id: str,
                      src_value: str, tgt_value: str, valmap_id: str | None = None) -> str:
        """Add or update one pair (by ValMapId when given, else by source value); returns its id."""
        with self._tx() as db:
            schema = (artifact_id, src_agency, src_id, tgt_agency, tgt_id)
            if valmap_id:
                row = db.execute("SELECT id FROM valmaps WHERE id = ?", (valmap_id,)).fetchone()
                if row is None:
                    raise KeyError(f"value mapping entry {valmap_id} not found")
                db.execute("UPDATE valmaps SET src_value = ?, tgt_value = ?, configured = 1 WHERE id = ?",
                           (src_value, tgt_value, valmap_id))
                return valmap_id
            row = db.execute("SELECT id FROM valmaps WHERE artifact_id = ? AND src_agency = ? AND src_id = ? "
                             "AND tgt_agency = ? AND tgt_id = ? AND src_value = ?", (*schema, src_value)).fetchone()
            new_id = row["id"] if row else uuid.uuid4().hex
            db.execute("INSERT OR REPLACE INTO valmaps VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1)",
                       (*schema, src_value, new_id, tgt_value))
            return new_id

    def valmap_delete_schema(self, artifact_id: str, src_agency: str, src_id: str, tgt_agency: str,
                             tgt_id: str) -> int:
        """Delete every pair of a schema; returns how many."""
        with self._tx() as db:
            return db.execute("DELETE FROM valmaps WHERE artifact_id = ? AND src_agency = ? AND src_id = ? "
                              "AND tgt_agency = ? AND tgt_id = ?",
                              (artifact_id, src_agency, src_id, tgt_agency, tgt_id)).rowcount

    def valmap_schemas(self, artifact_id: str) -> list[tuple[str, str, str, str]]:
        """Distinct (SrcAgency, SrcId, TgtAgency, TgtId)."""
        rows = self._all("SELECT DISTINCT src_agency, src_id, tgt_agency, tgt_id FROM valmaps WHERE artifact_id = ? "
                         "ORDER BY 1, 2, 3, 4", artifact_id)
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def valmaps(self, artifact_id: str | None = None) -> list[dict[str, Any]]:
        """Value pairs (of one artifact, or all)."""
        if artifact_id is None:
            rows = self._all("SELECT * FROM valmaps ORDER BY artifact_id, src_agency, src_id, src_value")
        else:
            rows = self._all("SELECT * FROM valmaps WHERE artifact_id = ? ORDER BY src_agency, src_id, src_value",
                             artifact_id)
        return [dict(r) for r in rows]

    def deployed_value_mappings(self) -> list[ValueMapEntry]:
        """Pairs of every value mapping artifact whose runtime is STARTED (what flows can use)."""
        rows = self._all("SELECT v.* FROM valmaps v JOIN runtime r ON r.artifact_id = v.artifact_id "
                         "WHERE r.status = 'STARTED' ORDER BY v.artifact_id, v.src_agency, v.src_id, v.src_value")
        return [ValueMapEntry(r["artifact_id"], r["src_agency"], r["src_id"], r["src_value"], r["tgt_agency"],
                              r["tgt_id"], r["tgt_value"], bool(r["is_default"])) for r in rows]

    # --- security material -----------------------------------------------------------------------
    def security_put(self, kind: str, name: str, data: dict[str, Any], user: str = "") -> None:
        """Create or replace a named security artifact (secrets included; never served by the API)."""
        if kind not in SECURITY_KINDS:
            raise ValueError(f"unknown security material kind {kind!r}")
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO security VALUES (?, ?, ?, ?, ?)",
                       (kind, name, json.dumps(data), user, time.time()))

    def security_get(self, kind: str, name: str) -> dict[str, Any] | None:
        """One security artifact with its data and DeployedOn/DeployedBy."""
        row = self._one("SELECT * FROM security WHERE kind = ? AND name = ?", kind, name)
        if row is None:
            return None
        return {"name": row["name"], "data": json.loads(row["data"]), "deployed_by": row["deployed_by"],
                "deployed_on": row["deployed_on"]}

    def security_list(self, kind: str) -> list[dict[str, Any]]:
        """Every artifact of one kind."""
        return [self.security_get(kind, r["name"]) for r in  # type: ignore[misc]
                self._all("SELECT name FROM security WHERE kind = ? ORDER BY name", kind)]

    def security_delete(self, kind: str, name: str) -> bool:
        """Delete one; False when absent."""
        with self._tx() as db:
            return db.execute("DELETE FROM security WHERE kind = ? AND name = ?", (kind, name)).rowcount > 0

    def security_material(self) -> SecurityMaterial:
        """Everything deployed, in the runtime's shape."""
        material = SecurityMaterial()
        for item in self.security_list("UserCredentials"):
            material.user_credentials[item["name"]] = {k: str(v) for k, v in item["data"].items()}
        for item in self.security_list("OAuth2ClientCredentials"):
            material.oauth2_credentials[item["name"]] = {k: str(v) for k, v in item["data"].items()}
        for item in self.security_list("SecureParameters"):
            material.secure_parameters[item["name"]] = str(item["data"].get("value", ""))
        return material

    # --- message processing logs (MplSink) ---------------------------------------------------------
    def mpl_begin(self, artifact_id: str, correlation_id: str | None = None, sender: str | None = None,
                  headers: dict[str, Any] | None = None, started: datetime | float | None = None) -> str:
        """Open a PROCESSING log; returns its MessageGuid."""
        guid = uuid.uuid4().hex.upper()[:28]
        with self._tx() as db:
            db.execute("INSERT INTO mpl VALUES (?, ?, 'PROCESSING', ?, ?, NULL, ?, NULL, NULL, ?, NULL)",
                       (guid, artifact_id, correlation_id or uuid.uuid4().hex, sender or "",
                        epoch(started) or time.time(), json.dumps(headers or {}, default=str)))
        return guid

    def mpl_step(self, mpl_id: str, step_id: str, step_name: str, component: str,
                 started: datetime | float, ended: datetime | float, status: str, detail: str | None = None) -> None:
        """Append one step of the per-step trace."""
        with self._tx() as db:
            self._require_mpl(db, mpl_id)
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM mpl_steps WHERE mpl_id = ?", (mpl_id,)).fetchone()[0]
            db.execute("INSERT INTO mpl_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (mpl_id, seq, step_id, step_name, component, epoch(started), epoch(ended), status, detail))

    def mpl_attach(self, mpl_id: str, name: str, content_type: str, text: str) -> str:
        """Attach a text (log attachment written during processing); returns the attachment id."""
        attachment_id = f"sap-ls-{uuid.uuid4().hex}"
        with self._tx() as db:
            self._require_mpl(db, mpl_id)
            db.execute("INSERT INTO mpl_attachments VALUES (?, ?, ?, ?, ?, ?)",
                       (attachment_id, mpl_id, name, content_type, text.encode("utf-8"), time.time()))
        return attachment_id

    def mpl_end(self, mpl_id: str, status: str, error_text: str | None = None,
                receiver: str | None = None) -> None:
        """Close a log with its final (or RETRY) status and error text."""
        if status not in MPL_STATUSES:
            raise ValueError(f"unknown MPL status {status!r} (expected one of {', '.join(sorted(MPL_STATUSES))})")
        with self._tx() as db:
            self._require_mpl(db, mpl_id)
            db.execute("UPDATE mpl SET status = ?, error = ?, log_end = ?, receiver = COALESCE(?, receiver) "
                       "WHERE guid = ?", (status, error_text, time.time(), receiver, mpl_id))

    @staticmethod
    def _require_mpl(db: sqlite3.Connection, mpl_id: str) -> None:
        if db.execute("SELECT 1 FROM mpl WHERE guid = ?", (mpl_id,)).fetchone() is None:
            raise KeyError(f"no message processing log {mpl_id}")

    def mpl_list(self, artifact_id: str | None = None, correlation_id: str | None = None) -> list[dict[str, Any]]:
        """MPL rows (newest first), optionally narrowed in SQL before the API's $filter."""
        sql, args = "SELECT * FROM mpl WHERE 1=1", []
        if artifact_id:
            sql += " AND artifact_id = ?"
            args.append(artifact_id)
        if correlation_id:
            sql += " AND correlation_id = ?"
            args.append(correlation_id)
        return [dict(r) for r in self._all(sql + " ORDER BY log_start DESC", *args)]

    def mpl_get(self, guid: str) -> dict[str, Any] | None:
        """One MPL row."""
        row = self._one("SELECT * FROM mpl WHERE guid = ?", guid)
        return dict(row) if row else None

    def mpl_steps(self, guid: str) -> list[dict[str, Any]]:
        """The per-step trace, in order."""
        return [dict(r) for r in self._all("SELECT * FROM mpl_steps WHERE mpl_id = ? ORDER BY seq", guid)]

    def mpl_attachments(self, guid: str) -> list[dict[str, Any]]:
        """Attachment metadata (no content)."""
        rows = self._all("SELECT id, mpl_id, name, content_type, length(content) AS size, created "
                         "FROM mpl_attachments WHERE mpl_id = ? ORDER BY created", guid)
        return [dict(r) for r in rows]

    def attachment_get(self, attachment_id: str) -> dict[str, Any] | None:
        """One attachment with its content."""
        row = self._one("SELECT * FROM mpl_attachments WHERE id = ?", attachment_id)
        return dict(row) if row else None
