"""Persistent state of the runtime, in SQLite under the state folder.

* :class:`MessageBroker`: JMS queues. A message is ``queued`` until a consumer leases it
  (``inflight``); success deletes it, failure puts it back with ``retries + 1`` and the next
  delivery time, and exhausting the retries moves it to the dead-letter list with its reason.
  A queued or dead message can be moved to any queue (the tenant's *Move*, or a replay).
  At start-up every ``inflight`` message returns to ``queued``: a crash or restart loses nothing.
* :class:`DataStore`: Data Store entries and Write Variables, local (per iFlow) or global.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jms_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    body BLOB NOT NULL,
    headers TEXT NOT NULL,
    properties TEXT NOT NULL,
    producer TEXT NOT NULL DEFAULT '',
    enqueued_at REAL NOT NULL,
    available_at REAL NOT NULL,
    retries INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'queued',
    last_error TEXT,
    dead_at REAL
);
CREATE INDEX IF NOT EXISTS jms_ready ON jms_messages (queue, status, available_at);
CREATE TABLE IF NOT EXISTS ds_entries (
    store TEXT NOT NULL,
    owner TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    body BLOB NOT NULL,
    headers TEXT,
    created_at REAL NOT NULL,
    expires_at REAL,
    PRIMARY KEY (store, owner, entry_id)
);
CREATE TABLE IF NOT EXISTS variables (
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (owner, name)
);
"""


class _Db:
    """One SQLite connection shared by threads behind a lock (WAL, synchronous=NORMAL)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)
        self.lock = threading.RLock()

    def close(self) -> None:
        with self.lock:
            self.conn.close()


@dataclass
class JmsMessage:
    id: int
    queue: str
    body: bytes
    headers: dict[str, Any]
    properties: dict[str, Any]
    producer: str
    enqueued_at: float
    retries: int
    status: str
    last_error: str | None
    dead_at: float | None = None


def _row_message(row) -> JmsMessage:
    return JmsMessage(id=row[0], queue=row[1], body=bytes(row[2]), headers=json.loads(row[3]),
                      properties=json.loads(row[4]), producer=row[5], enqueued_at=row[6],
                      retries=row[7], status=row[8], last_error=row[9], dead_at=row[10])


_COLUMNS = "id, queue, body, headers, properties, producer, enqueued_at, retries, status, last_error, dead_at"


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for key, value in values.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            result[key] = value
        elif isinstance(value, bytes):
            result[key] = value.decode("utf-8", "replace")
        else:
            result[key] = str(value)
    return result


class MessageBroker:
    """Persistent JMS queues."""

    def __init__(self, path: Path) -> None:
        self._db = _Db(path)
        self._wakeup = threading.Condition()
        with self._db.lock:
            self._db.conn.execute("UPDATE jms_messages SET status='queued' WHERE status='inflight'")

    def close(self) -> None:
        self._db.close()

    def enqueue(self, queue: str, body: bytes, headers: dict[str, Any], properties: dict[str, Any],
                producer: str = "") -> int:
        now = time.time()
        with self._db.lock:
            cur = self._db.conn.execute(
                "INSERT INTO jms_messages (queue, body, headers, properties, producer, enqueued_at, available_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (queue, body, json.dumps(_jsonable(headers)), json.dumps(_jsonable(properties)),
                 producer, now, now))
            message_id = int(cur.lastrowid)
        with self._wakeup:
            self._wakeup.notify_all()
        return message_id

    def lease(self, queue: str) -> JmsMessage | None:
        """Take the oldest deliverable message of a queue, or None."""
        now = time.time()
        with self._db.lock:
            row = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM jms_messages WHERE queue=? AND status='queued' AND available_at<=?"
                " ORDER BY available_at, id LIMIT 1", (queue, now)).fetchone()
            if row is None:
                return None
            self._db.conn.execute("UPDATE jms_messages SET status='inflight' WHERE id=?", (row[0],))
        message = _row_message(row)
        message.status = "inflight"
        return message

    def next_due(self, queue: str) -> float | None:
        with self._db.lock:
            row = self._db.conn.execute(
                "SELECT MIN(available_at) FROM jms_messages WHERE queue=? AND status='queued'", (queue,)).fetchone()
        return row[0] if row and row[0] is not None else None

    def wait(self, timeout: float) -> None:
        """Sleep until something is enqueued or ``timeout`` passes."""
        with self._wakeup:
            self._wakeup.wait(timeout)

    def wake(self) -> None:
        with self._wakeup:
            self._wakeup.notify_all()

    def ack(self, message_id: int) -> None:
        with self._db.lock:
            self._db.conn.execute("DELETE FROM jms_messages WHERE id=?", (message_id,))

    def retry(self, message_id: int, delay: float, error: str) -> None:
        with self._db.lock:
            self._db.conn.execute(
                "UPDATE jms_messages SET status='queued', retries=retries+1, available_at=?, last_error=?"
                " WHERE id=?", (time.time() + delay, error, message_id))
        with self._wakeup:
            self._wakeup.notify_all()

    def release(self, message_id: int) -> None:
        """Put a leased message back untouched (consumer stopping)."""
        with self._db.lock:
            self._db.conn.execute("UPDATE jms_messages SET status='queued' WHERE id=?", (message_id,))

    def dead_letter(self, message_id: int, error: str) -> None:
        with self._db.lock:
            self._db.conn.execute(
                "UPDATE jms_messages SET status='dead', retries=retries+1, last_error=?, dead_at=? WHERE id=?",
                (error, time.time(), message_id))

    def messages(self, queue: str | None = None, status: str | None = None) -> list[JmsMessage]:
        sql = f"SELECT {_COLUMNS} FROM jms_messages WHERE 1=1"
        args: list[Any] = []
        if queue is not None:
            sql += " AND queue=?"
            args.append(queue)
        if status is not None:
            sql += " AND status=?"
            args.append(status)
        with self._db.lock:
            rows = self._db.conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_row_message(r) for r in rows]

    def queues(self) -> dict[str, dict[str, int]]:
        """Per queue: how many messages are queued, in flight and dead."""
        with self._db.lock:
            rows = self._db.conn.execute(
                "SELECT queue, status, COUNT(*) FROM jms_messages GROUP BY queue, status").fetchall()
        result: dict[str, dict[str, int]] = {}
        for queue, status, count in rows:
            result.setdefault(queue, {"queued": 0, "inflight": 0, "dead": 0})[status] = count
        return result

    def requeue_dead(self, message_id: int) -> bool:
        """Move a dead letter back to its own queue with its retry count reset."""
        with self._db.lock:
            row = self._db.conn.execute(
                "SELECT queue FROM jms_messages WHERE id=? AND status='dead'", (message_id,)).fetchone()
        return row is not None and self.move(message_id, row[0])

    def move(self, message_id: int, queue: str) -> bool:
        """Put a queued or dead message on ``queue`` (the same or another), deliverable now, with its
        retry count reset; its body, headers and properties stay. False when there is no such
        message or it is being delivered right now."""
        with self._db.lock:
            cur = self._db.conn.execute(
                "UPDATE jms_messages SET queue=?, status='queued', retries=0, available_at=?, dead_at=NULL,"
                " last_error=NULL WHERE id=? AND status IN ('queued', 'dead')", (queue, time.time(), message_id))
        self.wake()
        return cur.rowcount == 1

    def purge(self, queue: str) -> int:
        with self._db.lock:
            cur = self._db.conn.execute("DELETE FROM jms_messages WHERE queue=? AND status!='inflight'", (queue,))
        return cur.rowcount


@dataclass
class DataStoreEntry:
    store: str
    owner: str
    entry_id: str
    body: bytes
    headers: dict[str, Any] | None
    created_at: float
    expires_at: float | None


class DataStore:
    """Data Store entries and variables; ``owner`` is the artifact id, or '' for global."""

    def __init__(self, path: Path) -> None:
        self._db = _Db(path)

    def close(self) -> None:
        self._db.close()

    def _expire(self) -> None:
        self._db.conn.execute("DELETE FROM ds_entries WHERE expires_at IS NOT NULL AND expires_at<?",
                              (time.time(),))

    def put(self, store: str, owner: str, entry_id: str | None, body: bytes,
            headers: dict[str, Any] | None, expire_days: float | None, override: bool) -> tuple[str, bool]:
        """Write an entry; returns (entry id, written). ``written`` is False when it exists and
        ``override`` is false (the caller raises the tenant's error)."""
        entry_id = entry_id or str(uuid.uuid4())
        now = time.time()
        expires = now + expire_days * 86400 if expire_days else None
        with self._db.lock:
            self._expire()
            exists = self._db.conn.execute(
                "SELECT 1 FROM ds_entries WHERE store=? AND owner=? AND entry_id=?",
                (store, owner, entry_id)).fetchone()
            if exists and not override:
                return entry_id, False
            self._db.conn.execute(
                "INSERT OR REPLACE INTO ds_entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                (store, owner, entry_id, body, json.dumps(_jsonable(headers)) if headers is not None else None,
                 now, expires))
        return entry_id, True

    def get(self, store: str, owner: str, entry_id: str) -> DataStoreEntry | None:
        with self._db.lock:
            self._expire()
            row = self._db.conn.execute(
                "SELECT store, owner, entry_id, body, headers, created_at, expires_at FROM ds_entries"
                " WHERE store=? AND owner=? AND entry_id=?", (store, owner, entry_id)).fetchone()
        return _entry(row) if row else None

    def select(self, store: str, owner: str, limit: int) -> list[DataStoreEntry]:
        with self._db.lock:
            self._expire()
            rows = self._db.conn.execute(
                "SELECT store, owner, entry_id, body, headers, created_at, expires_at FROM ds_entries"
                " WHERE store=? AND owner=? ORDER BY created_at, entry_id LIMIT ?",
                (store, owner, limit)).fetchall()
        return [_entry(r) for r in rows]

    def delete(self, store: str, owner: str, entry_id: str) -> bool:
        with self._db.lock:
            cur = self._db.conn.execute("DELETE FROM ds_entries WHERE store=? AND owner=? AND entry_id=?",
                                        (store, owner, entry_id))
        return cur.rowcount == 1

    def entries(self, store: str | None = None) -> list[DataStoreEntry]:
        sql = "SELECT store, owner, entry_id, body, headers, created_at, expires_at FROM ds_entries"
        args: tuple = ()
        if store is not None:
            sql += " WHERE store=?"
            args = (store,)
        with self._db.lock:
            return [_entry(r) for r in self._db.conn.execute(sql + " ORDER BY created_at", args).fetchall()]

    def set_variable(self, owner: str, name: str, value: Any) -> None:
        with self._db.lock:
            self._db.conn.execute("INSERT OR REPLACE INTO variables VALUES (?, ?, ?, ?)",
                                  (owner, name, json.dumps(value if isinstance(value, (str, int, float, bool)) or value is None
                                                           else str(value)), time.time()))

    def get_variable(self, owner: str, name: str) -> Any:
        with self._db.lock:
            row = self._db.conn.execute("SELECT value FROM variables WHERE owner=? AND name=?",
                                        (owner, name)).fetchone()
        return json.loads(row[0]) if row else None


def _entry(row) -> DataStoreEntry:
    return DataStoreEntry(store=row[0], owner=row[1], entry_id=row[2], body=bytes(row[3]),
                          headers=json.loads(row[4]) if row[4] else None, created_at=row[5],
                          expires_at=row[6])
