"""Serve a WSGI app on loopback in a background thread (werkzeug's threaded server)."""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr; mocks keep their own journal."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class ServerThread:
    """A running server; ``url`` is its base URL, ``stop()`` shuts it down."""

    def __init__(self, server: BaseWSGIServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=f"serve:{server.port}",
                                        daemon=True)

    @property
    def port(self) -> int:
        """The bound port."""
        return self._server.port

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> "ServerThread":
        """Start serving in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(app: Callable[..., Any], host: str = "127.0.0.1", port: int = 0) -> ServerThread:
    """Serve ``app`` on ``host:port`` (0 = a free port) and return the started thread."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    return ServerThread(server).start()
