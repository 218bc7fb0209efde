"""`s4amz replay` against a real tenant changes no JMS message: it says where to Retry or Move them
(the queue of the flow read from its package in dist/, or the queue and target given), exit 1."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from generator.build import build_all
from harness import replay
from harness.paths import REPO_ROOT

TENANT = """kind: tenant
tenant: {api_url: "https://tenant.invalid/api/v1", token_url: "https://tenant.invalid/oauth/token", auth: oauth2,
         client_id: x, client_secret: "${env:S4AMZ_TEST_REPLAY_SECRET}"}
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    shutil.copytree(REPO_ROOT / "mappings", root / "mappings")
    shutil.copytree(REPO_ROOT / "groovy" / "scripts", root / "groovy" / "scripts")
    (root / "config").mkdir()
    (root / "config" / "test.yaml").write_text(TENANT)
    monkeypatch.setenv("S4AMZ_HOME", str(root))
    monkeypatch.setenv("S4AMZ_STATE_DIR", str(root / ".s4amz"))
    monkeypatch.setenv("S4AMZ_TEST_REPLAY_SECRET", "not-used")
    return root


def _run(**kwargs) -> tuple[int, str]:
    buffer = io.StringIO()
    code = replay.replay("test", out=Console(file=buffer, width=400), **{"ids": [], **kwargs})
    return code, buffer.getvalue()


def test_a_tenant_gets_instructions_for_retry_and_move(home: Path) -> None:
    build_all(home)
    code, text = _run(flow="S4AMZ_Process_Fulfillment_Order")
    assert code == 1 and "nothing was replayed" in text
    assert "Message Queues, select S4AMZ_FULFILLMENT_ORDERS, select the messages and choose Retry" in text
    code, text = _run(queue="S4AMZ_FULFILLMENT_ORDERS_DLQ", to="S4AMZ_FULFILLMENT_ORDERS", all_=True)
    assert code == 1
    assert "select S4AMZ_FULFILLMENT_ORDERS_DLQ, select the messages and choose Move and name " \
           "S4AMZ_FULFILLMENT_ORDERS as the target queue" in text
    assert "MoveMessagingMessages" in text


def test_to_needs_a_queue(home: Path) -> None:
    with pytest.raises(ValueError, match="--to moves the messages of one queue: name that queue with --queue"):
        _run(to="S4AMZ_FULFILLMENT_ORDERS", all_=True)
