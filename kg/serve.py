"""A SPARQL 1.1 endpoint over a kg store, served by the Oxigraph server.

The server is the ``oxigraph`` binary from the PyPI package ``oxigraph`` (the same engine as
the embedded store), run as a child process over the store folder:

* ``GET``/``POST /query`` answers SPARQL queries (SPARQL 1.1 Protocol) with the usual content
  negotiation: JSON, XML, CSV and TSV results; Turtle, N-Triples, RDF/XML... graphs;
* the default graph is the union of all named graphs, as in :meth:`kg.store.GraphStore.query`;
* the endpoint is read-only unless ``writable=True`` (then ``/update`` takes SPARQL updates and
  ``/store`` is a Graph Store Protocol endpoint);
* it listens on the loopback interface unless another address is given explicitly;
* queries running longer than ``timeout`` seconds are cancelled.

While the server runs it holds the store, as any kg command does: ``kg build`` or another
``KnowledgeGraph`` on the same folder is refused with "store is in use" until the server stops.

>>> from kg.serve import SparqlServer
>>> with SparqlServer(Path("output/store"), port=7878) as server:  # doctest: +SKIP
...     server.url
'http://127.0.0.1:7878/query'

``server.wait()`` blocks until the server ends (Ctrl-C stops it cleanly); ``kg serve`` uses it.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import math
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Iterator
from http.client import HTTPException
from pathlib import Path
from types import TracebackType
from typing import IO

from kg.errors import StoreError
from kg.process import die_with_parent
from kg.store import GraphStore

DEFAULT_BIND = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
START_TIMEOUT = 10.0
"""Seconds :meth:`SparqlServer.start` waits for the server to answer."""
STOP_TIMEOUT = 5.0
"""Seconds :meth:`SparqlServer.stop` waits after SIGTERM before it kills the server."""


def find_oxigraph() -> str:
    """The path of the ``oxigraph`` server binary: next to this Python (its venv), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    for folder in folders:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError(
        "the Oxigraph server is not installed: `pip install oxigraph` "
        "(in the same environment as kg), then try again"
    )


def free_port(host: str = DEFAULT_BIND) -> int:
    """A TCP port nobody listens on right now (another process may take it before you do)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _check_port(host: str, port: int) -> None:
    """Refuse a port already bound (clearer than the server's own error, and before it starts)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StoreError(f"--bind {host}: unknown host ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        if os.name != "nt":
            # As the server does (Rust's TcpListener): a port left in TIME_WAIT by a server that
            # just stopped is free; a port somebody listens on is still refused.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise _bind_error(host, port, exc.errno, exc.strerror or str(exc)) from None


def _bind_error(host: str, port: int, code: int | None, text: str) -> StoreError:
    if code == errno.EADDRINUSE or "in use" in text.lower():
        return StoreError(f"port {port} on {host} is in use; choose another with --port")
    if code in (errno.EACCES, errno.EPERM) or "permission denied" in text.lower():
        return StoreError(
            f"cannot listen on port {port} on {host}: permission denied; "
            "choose a port above 1023 with --port"
        )
    if code == errno.EADDRNOTAVAIL or "assign requested address" in text.lower():
        return StoreError(f"--bind {host}: not an address of this machine")
    return StoreError(f"cannot listen on port {port} on {host}: {text}")


def _hold_store(folder: Path) -> int | None:
    """Lock ``folder/LOCK`` the way RocksDB does, for the read-only server to keep (Linux).

    ``oxigraph serve-read-only`` opens the database without RocksDB's lock, and the Oxigraph
    manual calls writing to the store meanwhile undefined behaviour.  So the server gets an
    *open file description* lock on the same file, passed down as an open descriptor: it
    conflicts with RocksDB's ``fcntl`` lock (in this process too), so ``kg build`` and the
    embedded store are refused with "store is in use", and it ends with the server.
    Returns the descriptor to hand to the server, or None where such locks do not exist.
    """
    if sys.platform != "linux":
        return None
    import fcntl

    command = getattr(fcntl, "F_OFD_SETLK", None)
    if command is None:
        return None
    fd = os.open(folder / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    # struct flock: l_type, l_whence, l_start, l_len (0 = whole file), l_pid (0 for OFD locks)
    request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
    try:
        fcntl.fcntl(fd, command, request)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise StoreError(
                f"--store {folder}: store is in use by another kg process; wait for it to finish"
            ) from None
        return None  # this kernel or file system has no OFD locks: serve without the guard
    return fd


@contextlib.contextmanager
def _signals_raise_interrupt() -> Iterator[None]:
    """While blocked in :meth:`SparqlServer.wait`, SIGTERM and SIGHUP raise KeyboardInterrupt
    (their default is to end Python at once, without stopping the server)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    names = ("SIGTERM", "SIGHUP")
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    # Only signals left at their default: `nohup kg serve` keeps ignoring SIGHUP, and a
    # handler someone else installed stays theirs.
    numbers = [number for number in numbers if signal.getsignal(number) == signal.SIG_DFL]
    for number in numbers:
        signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number in numbers:
            signal.signal(number, signal.SIG_DFL)


def _terminate(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, wait, then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SparqlServer:
    """The Oxigraph SPARQL server over one kg store folder, as a child process.

    ``bind`` is the address to listen on (loopback by default; ``0.0.0.0`` to accept other
    machines, see :attr:`warning`), ``writable`` allows SPARQL updates and the Graph Store
    Protocol, ``cors`` answers browsers' cross-origin requests, ``timeout`` cancels queries
    running longer than that many seconds (rounded up; None or 0 = no limit).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        store_dir: Path,
        *,
        bind: str = DEFAULT_BIND,
        port: int = DEFAULT_PORT,
        writable: bool = False,
        cors: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        if not 1 <= port <= 65535:
            raise ValueError(f"--port {port}: choose a port between 1 and 65535")
        if timeout is not None and not timeout >= 0:
            raise ValueError(f"--timeout {timeout}: must be a positive number of seconds")
        if not bind.strip():
            raise ValueError("--bind: give a host name or an address, e.g. 127.0.0.1")
        self.store_dir = Path(store_dir)
        self.bind = bind.strip().strip("[]")
        self.port = port
        self.writable = writable
        self.cors = cors
        self.timeout = timeout or None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._finalizer: weakref.finalize[..., SparqlServer] | None = None
        self._stopping = False

    # ------------------------------------------------------------------ addresses
    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (a wildcard bind address is shown as the loopback address)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.bind, self.bind)
        return f"http://{_host_in_url(host)}:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``."""
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (refused with 403 unless ``writable``)."""
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (read-only unless ``writable``)."""
        return f"{self.base_url}/store"

    @property
    def warning(self) -> str | None:
        """A caution to show when the server listens beyond this machine, else None."""
        if is_loopback(self.bind):
            return None
        what = "read and change" if self.writable else "read"
        return (
            f"listening on {self.bind}, not only on this machine: anyone who can reach port "
            f"{self.port} can {what} the store"
        )

    @property
    def command(self) -> list[str]:
        """The server's command line."""
        # `serve-read-only` takes --union-default-graph, --cors and --timeout-s as `serve`
        # does (Oxigraph 0.5), and answers /update and writes to /store with 403 Forbidden.
        mode = "serve" if self.writable else "serve-read-only"
        args = [find_oxigraph(), mode, "--location", str(self.store_dir)]
        args += ["--bind", f"{_host_in_url(self.bind)}:{self.port}", "--union-default-graph"]
        if self.cors:
            args.append("--cors")
        if self.timeout:
            args += ["--timeout-s", str(max(1, math.ceil(self.timeout)))]  # whole seconds only
        return args

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def describe(self) -> str:
        """One line for the user: where the endpoint is and how it behaves."""
        mode = "read-write" if self.writable else "read-only"
        limit = f", queries time out after {math.ceil(self.timeout)} s" if self.timeout else ""
        cors = ", CORS on" if self.cors else ""
        return f"SPARQL endpoint ({mode}{cors}{limit}) over {self.store_dir} at {self.url}"

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<SparqlServer {self.url} {self.store_dir} {state}>"

    # ------------------------------------------------------------------ life cycle
    def start(self) -> SparqlServer:
        """Check the store and the port, spawn the server and wait until it answers."""
        if self.running:
            return self
        command = self.command  # first: finds the binary, the clearest fix when it is missing
        _check_port(self.bind, self.port)
        # A kg store, not in use.  The embedded store and the server cannot both have the
        # folder open, so close it before the server starts.
        GraphStore.open(self.store_dir, create=False).close()
        lock_fd = None if self.writable else _hold_store(self.store_dir)
        env = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - kept for the server's lifetime
        self._stopping = False
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                env=env,
                pass_fds=() if lock_fd is None else (lock_fd,),
                # ends with kg even when kg is killed outright, so the port and the store's
                # lock are not held by a server nobody sees
                preexec_fn=die_with_parent,
            )
        except OSError as exc:
            self._close_log()
            raise StoreError(f"cannot start the Oxigraph server {command[0]}: {exc}") from None
        finally:
            if lock_fd is not None:
                os.close(lock_fd)  # the server keeps its copy, and the lock with it
        self._finalizer = weakref.finalize(self, _terminate, self._process)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            code = self._process.poll()
            if code is not None:
                raise self._exit_error(code)
            if self._ping():
                return
            if time.monotonic() > deadline:
                raise StoreError(
                    f"the Oxigraph server did not answer at {self.url} within "
                    f"{START_TIMEOUT:g} s; it has been stopped"
                )
            time.sleep(0.05)

    def _ping(self) -> bool:
        """True when ``GET /query?query=ASK{}`` answers 200."""
        query = urllib.parse.urlencode({"query": "ASK {}"})
        request = urllib.request.Request(
            f"{self.url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        try:
            with opener.open(request, timeout=1.0) as response:
                return bool(response.status == 200)
        except (OSError, HTTPException):
            return False

    def log(self) -> str:
        """What the server wrote to stderr so far."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def _last_error(self) -> str:
        lines = [line.strip() for line in self.log().splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("Error:")]
        line = (errors or lines or ["(no message)"])[-1]
        return line.removeprefix("Error:").strip()

    def _exit_error(self, code: int) -> StoreError:
        """The server ended on its own: say why, from its last error line."""
        line = self._last_error()
        lower = line.lower()
        if "address already in use" in lower or "os error 98" in lower:
            return _bind_error(self.bind, self.port, errno.EADDRINUSE, line)
        if "cannot assign requested address" in lower:
            return _bind_error(self.bind, self.port, errno.EADDRNOTAVAIL, line)
        if "lock" in lower:
            return StoreError(
                f"--store {self.store_dir}: store is in use by another process "
                "(a kg command or another server); wait for it to finish"
            )
        return StoreError(f"the Oxigraph server stopped (exit code {code}): {line}")

    def stop(self) -> None:
        """Stop the server: SIGTERM, wait up to 5 s, then kill.  Safe to call twice."""
        self._stopping = True
        if self._process is not None:
            _terminate(self._process)
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def wait(self) -> None:
        """Block until the server ends.  Ctrl-C (KeyboardInterrupt), SIGTERM and SIGHUP stop
        it cleanly and return, so ``kill`` or a closed terminal leaves no orphan server.

        Raises StoreError when the server ends on its own with an error.
        """
        if self._process is None:
            raise StoreError("the SPARQL server has not been started")
        with _signals_raise_interrupt():
            try:
                code = self._process.wait()
            except KeyboardInterrupt:
                self.stop()
                return
        # Ctrl-C in a terminal reaches the server too (same process group): a clean stop.
        if self._stopping or code in (0, -signal.SIGINT, -signal.SIGTERM, 130):
            self.stop()
            return
        error = self._exit_error(code)
        self.stop()
        raise error

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = [
    "DEFAULT_BIND",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "SparqlServer",
    "find_oxigraph",
    "free_port",
    "is_loopback",
]
