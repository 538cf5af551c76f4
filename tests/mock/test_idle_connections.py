"""Idle connections cannot hold the mock: they wait without a thread, are closed after the idle
timeout, and a real client is served meanwhile (issue 12, finding 10: 1,501 threads for 1,500 sockets)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time

import requests

from services.mock.server import MockServer
from tests.conftest import ADMIN_KEY

IDLE = 300          # idle sockets opened at once (bounded, loopback only)
IDLE_TIMEOUT = 2.0
MAX_WORKERS = 8


def _open_idle(port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first_bytes:
            sock.sendall(first_bytes)  # a request begun and never finished
        sockets.append(sock)
    return sockets


def _closed_by_server(sock: socket.socket, wait: float) -> bool:
    sock.settimeout(wait)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_hundreds_of_idle_sockets_do_not_stop_a_real_client_and_are_closed_after_the_timeout(tmp_path):
    threads_before = threading.active_count()
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, idle_timeout=IDLE_TIMEOUT,
                    max_workers=MAX_WORKERS) as mock:
        idle = _open_idle(mock.port, IDLE - 20) + _open_idle(mock.port, 20, b"GET /v1/services HTTP/1.1\r\n")
        try:
            time.sleep(0.3)
            started = time.monotonic()
            with requests.Session() as client:
                for _ in range(5):
                    assert client.get(mock.url + "/v1/services", timeout=5).status_code == 200
            served_in = time.monotonic() - started
            assert served_in < 1.5, f"5 calls took {served_in:.2f} s beside {IDLE} idle sockets"
            # The mock's threads: the waiting room and at most MAX_WORKERS workers, whatever is open.
            assert mock.thread_count <= 1 + MAX_WORKERS
            assert threading.active_count() - threads_before <= 2 + MAX_WORKERS
            deadline = time.monotonic() + IDLE_TIMEOUT + 3.0
            closed = sum(_closed_by_server(sock, max(deadline - time.monotonic(), 0.05)) for sock in idle)
            assert closed == IDLE, f"only {closed} of {IDLE} idle sockets were closed"
            # And it still serves after all that.
            assert requests.get(mock.url + "/v1/services", timeout=5).status_code == 200
        finally:
            for sock in idle:
                sock.close()


def test_an_idle_kept_alive_connection_holds_no_worker(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, idle_timeout=IDLE_TIMEOUT, max_workers=2) as mock:
        sessions = [requests.Session() for _ in range(6)]
        try:
            for session in sessions:  # six kept-alive connections, idle after one request each
                assert session.get(mock.url + "/v1/services", timeout=5).status_code == 200
            started = time.monotonic()
            assert requests.get(mock.url + "/v1/services", timeout=5).status_code == 200
            assert time.monotonic() - started < 1.0
            for session in sessions:  # the same connections serve a second request
                assert session.get(mock.url + "/v1/services", timeout=5).status_code == 200
            assert mock.thread_count <= 3
        finally:
            for session in sessions:
                session.close()


def test_a_client_that_never_finishes_its_tls_handshake_does_not_block_others(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True, idle_timeout=IDLE_TIMEOUT,
                    max_workers=4) as mock:
        silent = _open_idle(mock.port, 50) + _open_idle(mock.port, 10, b"\x16\x03\x01")  # a TLS record begun
        try:
            context = ssl.create_default_context(cafile=str(mock.certificate.cert_path))
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", mock.port), timeout=5) as raw, \
                    context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(b"GET /v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                assert tls.recv(12).startswith(b"HTTP/1.1 200")
            assert time.monotonic() - started < 1.5
            closed = sum(_closed_by_server(sock, IDLE_TIMEOUT + 3.0) for sock in silent)
            assert closed == len(silent)
        finally:
            for sock in silent:
                with contextlib.suppress(OSError):
                    sock.close()


def test_calls_hanging_on_a_fault_free_their_worker_when_the_client_gives_up(tmp_path):
    from tests.mock.support import notify, set_faults, sign_in

    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, max_workers=2) as mock:
        token = sign_in(mock.url)["access_token"]
        set_faults(mock.url, "hmrc", timeout_rate=1.0)  # every call hangs for a minute
        for _ in range(6):  # three times as many as there are workers, each given up after 0.5 s
            try:
                notify(mock.url, token, "hmrc", timeout=0.5)
                raise AssertionError("a hanging call answered")
            except requests.exceptions.ReadTimeout:
                pass
        started = time.monotonic()
        assert requests.get(mock.url + "/v1/services", timeout=10).status_code == 200
        assert time.monotonic() - started < 2.0  # not the minute the hangs asked for


def test_a_long_request_head_is_read_partly_by_the_room_and_the_rest_by_a_worker(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, max_workers=2) as mock, requests.Session() as http:
        for size in (100, 20_000, 60_000):  # below, past and far past what the room reads
            answer = http.get(mock.url + "/v1/services", headers={"X-Padding": "a" * size}, timeout=10)
            assert answer.status_code == 200 and answer.json()["services"]
