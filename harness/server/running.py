"""Running the reference server with uvicorn: in a background thread, or blocking for the CLI."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Sequence

import uvicorn

from harness.server.app import ReferenceApp, create_app
from harness.server.protocol import ReferenceProtocol
from harness.server.store import open_store
from harness.server.world import World, load_world

logger = logging.getLogger(__name__)

LOCALHOST = "127.0.0.1"
# The logger of the line per request.
REQUEST_LOGGER = "harness.server.app"
# Startup takes well under a second on an idle machine; the limit only ends a hung start.
STARTUP_TIMEOUT_SECONDS = 30.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0
_POLL_INTERVAL_SECONDS = 0.01


def uvicorn_config(app: Any, host: str, port: int, **overrides: Any) -> uvicorn.Config:
    """Return the uvicorn settings of the reference server: `ReferenceProtocol` (httptools),
    uvloop, and no uvicorn access log, because the app logs each request itself.

    `app` is any ASGI application. `log_config=None` keeps the logging configuration of
    the process as it is.
    """
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": ReferenceProtocol,
        "loop": "uvloop",
        "ws": "none",
        "lifespan": "off",
        "access_log": False,
        "proxy_headers": False,
        "server_header": False,
        "log_config": None,
        "timeout_graceful_shutdown": int(SHUTDOWN_TIMEOUT_SECONDS / 2),
    }
    settings.update(overrides)
    return uvicorn.Config(app, **settings)


class ReferenceServer:
    """The reference server on 127.0.0.1 in a daemon thread, for use as a context manager.

    `port=0` picks a free port. Entering returns once the server accepts connections,
    leaving stops it, even when the block raised, and closes its store. With `state`, the
    hooks live in that SQLite file (see `sqlite_store`) and outlive the server; without
    it, in memory. An unusable state file raises StateFileError.
    """

    def __init__(
        self, world: World | None = None, api_version: str = "1.3", faults: Sequence[str] = (),
        port: int = 0, state: str | Path | None = None,
    ) -> None:
        self.world = world if world is not None else load_world()
        self.app = create_app(self.world, api_version, faults, open_store(state))
        self.api_version = api_version
        self._requested_port = port
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the reference server is not running: use it inside a with block")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    @property
    def variables(self) -> dict[str, str]:
        return dict(self.world.variables)

    @property
    def secrets(self) -> set[str]:
        return set(self.world.secrets)

    @property
    def store(self) -> Any:
        return self.app.store

    def __enter__(self) -> ReferenceServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        self.app.store.close()

    def start(self) -> None:
        """Bind the port, start uvicorn in a daemon thread and wait until it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the reference server is already running")
        listener = bind_listener(LOCALHOST, self._requested_port)
        self._port = listener.getsockname()[1]
        self._server = uvicorn.Server(uvicorn_config(self.app, LOCALHOST, self._port))
        self._thread = start_in_thread(self._server, listener, f"reference-server-{self._port}")
        try:
            wait_until_accepting(self._server, self._thread, self._port)
        except BaseException:
            self.stop()
            raise
        logger.info("reference server started at %s (resource version %s)", self.base_url,
                    self.api_version)

    def stop(self) -> None:
        """Stop uvicorn and wait for its thread; does nothing if the server is not running."""
        if self._thread is None or self._server is None:
            return
        self._server.should_exit = True
        self._thread.join(SHUTDOWN_TIMEOUT_SECONDS)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(SHUTDOWN_TIMEOUT_SECONDS)
        if self._thread.is_alive():
            logger.error("reference server thread %s did not stop", self._thread.name)
        else:
            logger.info("reference server at %s stopped", self.base_url)
        self._thread = None
        self._server = None
        self._port = None


def bind_listener(host: str, port: int) -> socket.socket:
    """Return a TCP socket bound to `host`:`port`, raising OSError that names the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise OSError(
            f"cannot bind the reference server to {host}:{port}: {error.strerror}; "
            "choose another port, or port 0 for a free one"
        ) from None
    return listener


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def start_in_thread(server: uvicorn.Server, listener: socket.socket, name: str) -> threading.Thread:
    """Start `server` on `listener` in a daemon thread named `name`; the thread closes the socket."""
    thread = threading.Thread(target=_run_server, args=(server, listener), name=name, daemon=True)
    thread.start()
    return thread


def _run_server(server: uvicorn.Server, listener: socket.socket) -> None:
    try:
        server.run(sockets=[listener])
    finally:
        listener.close()


def wait_until_accepting(
    server: uvicorn.Server, thread: threading.Thread, port: int, what: str = "the reference server"
) -> None:
    """Return once `server` accepts connections on `port`, raising RuntimeError if it fails to."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError(f"{what} on port {port} exited during startup; its log has the error")
        if server.started and _accepts_connections(port):
            return
        time.sleep(_POLL_INTERVAL_SECONDS)
    raise RuntimeError(
        f"{what} on port {port} did not accept connections within "
        f"{STARTUP_TIMEOUT_SECONDS:.0f} s; check the log for errors"
    )


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection((LOCALHOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def serve(
    host: str, port: int, world_path: Path | None, api_version: str, faults: Sequence[str],
    state_path: Path | None = None, access_log: bool = True,
) -> None:
    """Run the reference server in the foreground until SIGINT or SIGTERM (`hook-harness serve`).

    Port 0 picks a free port, and the log line names the port in use. With `state_path`,
    hooks are kept in that SQLite file across restarts. `access_log` False drops the log
    line per request, while errors are still logged. Raises WorldError for an invalid world
    file, ValueError for an unknown version or fault, StateFileError for an unusable state
    file, and OSError when the address cannot be bound. Configures INFO logging to stderr
    unless the process configured logging already.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    if not access_log:
        logging.getLogger(REQUEST_LOGGER).setLevel(logging.WARNING)
    world = load_world(world_path)
    store = open_store(state_path)
    try:
        app = create_app(world, api_version, faults, store)
        _serve_app(app, host, port, world, state_path, faults)
    finally:
        store.close()
    logger.info("reference server stopped")


def _serve_app(
    app: ReferenceApp, host: str, port: int, world: World, state_path: Path | None,
    faults: Sequence[str],
) -> None:
    listener = bind_listener(host, port)
    bound_port = listener.getsockname()[1]
    logger.info(
        "reference server listening on %s (resource version %s, world %s, state %s, faults: %s)",
        _url(host, bound_port), app.contract.version, world.source, state_path or "in memory",
        ", ".join(faults) or "none",
    )
    try:
        uvicorn.Server(uvicorn_config(app, host, bound_port)).run(sockets=[listener])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on SIGINT, then raises the signal again.
        pass
    finally:
        listener.close()
