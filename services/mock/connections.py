"""A werkzeug server whose threads are bounded and whose idle connections are closed.

werkzeug's threaded server gives every accepted socket a thread of its own
for as long as the socket stays open, so 1,500 idle sockets held 1,501
threads. Here a connection waits in a *waiting room* (one thread, one
``selectors`` loop, non-blocking reads) until a whole request head has
arrived: before its first request and between kept-alive requests. TLS
handshakes happen there too, non-blocking. Only then does it get one of at
most ``max_workers`` threads, for one request, and goes back to the room.
A connection that has not sent a whole request head within
``idle_timeout`` seconds is closed, and when the room is full the
longest-waiting connection makes way for a new one: silent, half-open or
dripping sockets never stop a real client from being served.
"""

from __future__ import annotations

import collections
import contextlib
import io
import logging
import queue
import select
import selectors
import socket
import ssl
import threading
import time

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

log = logging.getLogger("services.mock.http")

IDLE_TIMEOUT = 15.0
MAX_WORKERS = 64
MAX_WAITING = 2000
MAX_HEAD = 16 * 1024  # past this much of a head, a worker reads the rest (bounds the memory a waiting socket holds)
_WOULD_BLOCK = (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


class _Prefixed(io.RawIOBase):
    """The bytes the waiting room already read, then the socket."""

    def __init__(self, head: bytes, raw: io.RawIOBase) -> None:
        self._head = memoryview(bytes(head))
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class TurnTakingHandler(WSGIRequestHandler):
    """Serves one request per turn; a kept-alive connection keeps its handler (and read buffer) between turns."""

    keep_alive = False

    def setup(self) -> None:
        super().setup()
        self.use_head(self.server.take_head())

    def use_head(self, head: bytes) -> None:
        """Read the request from what the waiting room already read, then from the socket."""
        if head:
            self.rfile.close()  # nothing read through it yet: nothing lost
            self.rfile = io.BufferedReader(_Prefixed(head, self.connection.makefile("rb", buffering=0)))

    def handle(self) -> None:
        self.keep_alive = False
        self.close_connection = True
        try:
            self.handle_one_request()
        except (ConnectionError, TimeoutError) as error:
            self.connection_dropped(error)
            self.close_connection = True
        except ssl.SSLError as error:
            self.log_error("TLS error: %s", type(error).__name__)
            self.close_connection = True
        self.keep_alive = not self.close_connection

    def finish(self) -> None:
        if not self.keep_alive:
            super().finish()

    def next_turn(self, head: bytes) -> None:
        """The next request on this connection (its head has arrived)."""
        self.use_head(head)
        try:
            self.handle()
        finally:
            self.finish()

    def has_buffered_request(self) -> bool:
        """Bytes already read from the socket (a pipelined request) wait in our read buffer."""
        connection = self.connection
        connection.setblocking(False)
        try:
            return bool(self.rfile.peek(1))
        except (*_WOULD_BLOCK, TimeoutError):
            return False
        except (OSError, ValueError):
            return True  # broken: let a turn find out and close it
        finally:
            connection.settimeout(self.server.idle_timeout)


class _Waiting:
    __slots__ = ("address", "deadline", "handler", "head", "sock", "tls_ready")

    def __init__(self, sock, address, handler, deadline: float) -> None:
        self.sock, self.address, self.handler, self.deadline = sock, address, handler, deadline
        self.head = bytearray()
        self.tls_ready = handler is not None  # a kept-alive connection has shaken hands already


def _leave(selector: selectors.BaseSelector, waiting: dict[int, _Waiting], item: _Waiting) -> None:
    """The connection leaves the waiting room (to be closed or served)."""
    waiting.pop(item.sock.fileno(), None)
    with contextlib.suppress(KeyError, ValueError):
        selector.unregister(item.sock)


class BoundedWSGIServer(BaseWSGIServer):
    """werkzeug's server with a waiting room, a bounded pool of workers and an idle timeout."""

    multithread = True  # werkzeug then speaks HTTP/1.1 with keep-alive

    def __init__(self, host: str, port: int, app, handler: type[TurnTakingHandler] = TurnTakingHandler, *,
                 ssl_context: ssl.SSLContext | None = None, idle_timeout: float = IDLE_TIMEOUT,
                 max_workers: int = MAX_WORKERS, max_waiting: int = MAX_WAITING) -> None:
        super().__init__(host, port, app, handler)  # a plain listening socket: TLS happens in the room
        self.ssl_context = ssl_context
        self.idle_timeout = idle_timeout
        self.max_workers = max_workers
        self.max_waiting = max_waiting
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._idle_workers = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._closed = threading.Event()
        self._arrivals: collections.deque[_Waiting] = collections.deque()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._room = threading.Thread(target=self._waiting_room, name=f"mock-gov-room:{self.port}", daemon=True)
        self._room.start()

    # -- what socketserver calls for each accepted socket: into the room, at once

    def process_request(self, request, client_address) -> None:
        self._wait(_Waiting(request, client_address, None, time.monotonic() + self.idle_timeout))

    def _wait(self, waiting: _Waiting) -> None:
        if self._closed.is_set():
            self._close(waiting)
            return
        self._arrivals.append(waiting)
        with contextlib.suppress(OSError):  # full: the room is already awake (or closing)
            self._wake_write.send(b"\0")

    # -- the waiting room: one thread watching every idle connection

    def _read_head(self, item: _Waiting) -> str:
        """Read what has arrived, without blocking: "ready" (a whole head), "wait" or "close"."""
        if self.ssl_context is not None and not item.tls_ready:
            if not isinstance(item.sock, ssl.SSLSocket):
                item.sock = self.ssl_context.wrap_socket(item.sock, server_side=True,
                                                         do_handshake_on_connect=False)
            try:
                item.sock.do_handshake()
            except _WOULD_BLOCK:
                return "wait"
            except (OSError, ValueError) as error:  # not TLS, or refused
                log.debug("TLS handshake failed: %s", type(error).__name__)
                return "close"
            item.tls_ready = True
        try:
            while b"\r\n\r\n" not in item.head and len(item.head) <= MAX_HEAD:
                data = item.sock.recv(16384)
                if not data:
                    return "close"
                item.head += data
        except _WOULD_BLOCK:
            return "wait"
        except (OSError, ValueError):
            return "close"
        return "ready"

    def _waiting_room(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ)
        waiting: collections.OrderedDict[int, _Waiting] = collections.OrderedDict()  # by file number, oldest first
        try:
            while not self._closed.is_set():
                self._admit_arrivals(selector, waiting)
                timeout = self._close_expired(selector, waiting)
                for key, _events in selector.select(timeout=timeout):
                    if key.fileobj is self._wake_read:
                        with contextlib.suppress(OSError):
                            while self._wake_read.recv(4096):
                                pass
                    else:
                        self._read_ready(selector, waiting, key)
        finally:
            for item in list(waiting.values()) + list(self._arrivals):
                self._close(item)
            selector.close()

    def _admit_arrivals(self, selector: selectors.BaseSelector, waiting: dict[int, _Waiting]) -> None:
        """New idle connections join the room (a request already read goes straight to a worker)."""
        while self._arrivals:
            item = self._arrivals.popleft()
            if item.handler is not None and item.handler.has_buffered_request():
                self._submit(item)
                continue
            if len(waiting) >= self.max_waiting:  # full: the longest-waiting one makes way
                oldest = next(iter(waiting.values()))
                _leave(selector, waiting, oldest)
                self._close(oldest)
            try:
                item.sock.setblocking(False)
                selector.register(item.sock, selectors.EVENT_READ)
            except (ValueError, OSError):  # closed already
                self._close(item)
                continue
            waiting[item.sock.fileno()] = item

    def _close_expired(self, selector: selectors.BaseSelector, waiting: dict[int, _Waiting]) -> float:
        """Close those with no whole request within the idle timeout; how long to wait for the next."""
        now = time.monotonic()
        while waiting:
            first = next(iter(waiting.values()))
            if first.deadline > now:
                break
            _leave(selector, waiting, first)
            self._close(first)
        timeout = (next(iter(waiting.values())).deadline - now) if waiting else 1.0
        return max(0.0, min(timeout, 1.0))

    def _read_ready(self, selector: selectors.BaseSelector, waiting: dict[int, _Waiting],
                    key: selectors.SelectorKey) -> None:
        """A waiting connection has something to read: a whole head goes to a worker."""
        item = waiting.get(key.fd)
        if item is None:
            return
        selector.unregister(key.fileobj)  # the socket object may change (TLS wraps it)
        try:
            outcome = self._read_head(item)
            if outcome == "wait":
                selector.register(item.sock, selectors.EVENT_READ)
                return
        except Exception:  # one odd connection must never stop the room
            log.exception("connection failed in the waiting room")
            outcome = "close"
        del waiting[key.fd]
        if outcome == "ready":
            item.sock.settimeout(self.idle_timeout)
            self._submit(item)
        else:
            self._close(item)

    # -- the workers: at most max_workers threads, started as needed

    def _submit(self, item: _Waiting) -> None:
        with self._lock:
            if self._idle_workers:  # an idle worker will take it: reserve it
                self._idle_workers -= 1
            elif len(self._workers) < self.max_workers:
                worker = threading.Thread(target=self._work, name=f"mock-gov-worker:{self.port}", daemon=True)
                self._workers.append(worker)
                worker.start()
            # else every worker is busy: the job waits in the queue for the first one free
        self._jobs.put(item)

    def _work(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            try:
                self._turn(item)
            except Exception:  # one broken connection must never take a worker with it
                log.exception("connection failed")
                self._close(item)
            with self._lock:
                self._idle_workers += 1

    def take_head(self) -> bytes:
        """What the waiting room read of the request this worker is starting (for the handler's setup)."""
        head, self._local.head = getattr(self._local, "head", b""), b""
        return head

    def _turn(self, item: _Waiting) -> None:
        if self._closed.is_set():
            self._close(item)
            return
        if item.handler is None:  # the first request on this connection
            self._local.head = bytes(item.head)
            handler = self.RequestHandlerClass(item.sock, item.address, self)  # setup, one request, finish
        else:
            handler = item.handler
            handler.next_turn(bytes(item.head))
        if handler.keep_alive and not self._closed.is_set():
            self._wait(_Waiting(item.sock, item.address, handler, time.monotonic() + self.idle_timeout))
        else:
            self.shutdown_request(item.sock)

    def _close(self, item: _Waiting) -> None:
        if item.handler is not None:
            item.handler.keep_alive = False
            with contextlib.suppress(OSError):
                item.handler.finish()
        self.shutdown_request(item.sock)

    @property
    def thread_count(self) -> int:
        """Threads this server runs: the waiting room and its workers."""
        return 1 + sum(worker.is_alive() for worker in self._workers)

    def server_close(self) -> None:
        if hasattr(self, "_closed") and not self._closed.is_set():  # not when the port was taken
            self._closed.set()
            with contextlib.suppress(OSError):
                self._wake_write.send(b"\0")
            self._room.join(timeout=5)
            for _worker in self._workers:
                self._jobs.put(None)
            self._wake_read.close()
            self._wake_write.close()
        super().server_close()


def client_has_left(environ: dict) -> bool:
    """True when the client of this request closed its connection (plain sockets; TLS cannot be peeked)."""
    sock = environ.get("werkzeug.socket")
    if sock is None or isinstance(sock, ssl.SSLSocket):
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def hold(environ: dict, stop: threading.Event, seconds: float, check_every: float = 0.25) -> None:
    """Wait ``seconds`` (a hanging fault) but no longer than the client stays or the server runs:
    a client that gave up must not keep one of the bounded workers for the rest of the minute."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if stop.wait(min(check_every, left)) or client_has_left(environ):
            return
