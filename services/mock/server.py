"""Build and run the mock government endpoints.

    >>> import urllib.request
    >>> with tempfile.TemporaryDirectory() as data, MockServer(data_dir=data) as mock:  # a free loopback port
    ...     json.load(urllib.request.urlopen(mock.url + "/v1/services"))["catalogue_version"]
    '2026-11-27'

``serve`` is what ``python main.py mock-gov`` runs; ``MockServer`` is what the
app embeds in-process and what the tests start; ``create_app`` is the Flask
app both use.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import pathlib
import shutil
import signal
import sys
import tempfile
import threading
import urllib.parse

import flask

from exchange.research_terms import flatten_values
from services.mock import facilitator_key
from services.mock.catalogue import Catalogue
from services.mock.certificate import OwnCertificate, own_certificate
from services.mock.connections import IDLE_TIMEOUT, MAX_WORKERS, BoundedWSGIServer, TurnTakingHandler
from services.mock.database import Database
from services.mock.demo import ResearchLog
from services.mock.faults import Faults
from services.mock.http_errors import MAX_BODY_BYTES, install_error_handlers
from services.mock.idempotency import IdempotencyKeys
from services.mock.inbox import Inbox
from services.mock.personas import load_personas
from services.mock.registrations import Registrations
from services.mock.routes import addresses, admin, auth, catalogue, facilitator, notifications, registrations
from services.mock.state import EXTENSION, MockState
from services.mock.tokens import Tokens

http_log = logging.getLogger("services.mock.http")


def create_app(data_dir: pathlib.Path, token_ttl: int = 900,
               catalogue_path: pathlib.Path | None = None, admin_key: str | None = None,
               certificate: OwnCertificate | None = None) -> flask.Flask:
    """The mock as a Flask app, keeping its records, keys and tokens in SQLite under ``data_dir``.

    ``admin_key`` guards /admin and the facilitator page (a random one when
    None: ``app.config["MOCK_ADMIN_KEY"]``); ``certificate`` is the one it is
    served with over HTTPS, shown on the page for phones to trust.
    """
    package = pathlib.Path(__file__).resolve().parent
    app = flask.Flask(__name__, template_folder=str(package / "templates"),
                      static_folder=str(package / "static"), static_url_path="/static")
    # Bodies are limited to 64 KiB where they are read (http_errors.read_body_bytes):
    # Flask's MAX_CONTENT_LENGTH would cut a chunked body short instead of refusing it.
    app.config["MAX_CONTENT_LENGTH"] = None
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # keep answers in the order the contract writes them

    service_catalogue = Catalogue(catalogue_path)
    database = Database(pathlib.Path(data_dir))
    personas = load_personas(service_catalogue.ids)
    app.extensions[EXTENSION] = MockState(
        catalogue=service_catalogue,
        personas=personas,
        database=database,
        tokens=Tokens(database, token_ttl=token_ttl),
        keys=IdempotencyKeys(database),
        inbox=Inbox(database),
        faults=Faults(service_catalogue.ids),
        data_dir=pathlib.Path(data_dir),
        research=ResearchLog(database, [value for persona in personas.values()
                                        for value in flatten_values(persona.person)]),
        registrations=Registrations(database),
    )
    app.config["MOCK_ADMIN_KEY"] = admin_key or facilitator_key.make_key()
    app.config["MOCK_CERTIFICATE"] = certificate
    facilitator_key.install(app, app.config["MOCK_ADMIN_KEY"])
    install_error_handlers(app)

    @app.teardown_appcontext
    def _close_connection(_exc: BaseException | None) -> None:
        # werkzeug runs each request on a new thread; close its connection now
        # rather than leave three file handles open until garbage collection.
        database.close_thread_connection()

    app.register_blueprint(catalogue.blueprint)
    app.register_blueprint(addresses.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(registrations.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(facilitator.blueprint)
    notifications.register(app, list(service_catalogue))
    return app


class QuietRequestHandler(TurnTakingHandler):
    """One line per request: method, path (no query string) and status; never headers or bodies.

    Requests too broken to reach Flask (a bad request line, an HTTP version
    from the future, too many headers) get a JSON 4xx as well, never HTML or a 5xx.
    """

    def log_request(self, code="-", size="-") -> None:
        path = urllib.parse.urlsplit(getattr(self, "path", "") or "").path
        http_log.info("%s %s %s", getattr(self, "command", "-"), path, getattr(code, "value", code))

    def log(self, type: str, message: str, *args) -> None:
        http_log.debug("%s: %s", type, message % args if args else message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        code = int(code)
        if code >= 500:  # 501/505 here mean the client sent something odd, not that we failed
            code = 400
        phrase = self.responses.get(code, ("Bad Request",))[0]
        body = json.dumps({"error": phrase.lower().replace(" ", "_"), "message": phrase}).encode()
        self.close_connection = True
        # A request line too broken to name its version still gets a status line.
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"
        self.send_response(code, phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)


def _url(host: str, port: int, scheme: str = "http") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class MockServer:
    """The mock on a real socket, served from a daemon thread; ``port=0`` picks a free port.

    ``data_dir=None`` uses a fresh temporary directory, removed on stop.
    ``admin_key``: the facilitator key (random when None; ``.admin_key``).
    ``tls``: serve HTTPS with the mock's own certificate (``.certificate``);
    None means HTTPS on any host that is not loopback, plain HTTP on loopback.
    ``idle_timeout`` and ``max_workers`` bound what idle clients can hold.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, data_dir: pathlib.Path | None = None,
                 token_ttl: int = 900, catalogue_path: pathlib.Path | None = None, *,
                 admin_key: str | None = None, tls: bool | None = None,
                 idle_timeout: float = IDLE_TIMEOUT, max_workers: int = MAX_WORKERS) -> None:
        self._own_dir = data_dir is None
        self.data_dir = pathlib.Path(data_dir) if data_dir is not None else pathlib.Path(
            tempfile.mkdtemp(prefix="mock-gov-"))
        tls = (not is_loopback(host)) if tls is None else tls
        self.certificate = own_certificate(self.data_dir, host) if tls else None
        self.app = create_app(self.data_dir, token_ttl=token_ttl, catalogue_path=catalogue_path,
                              admin_key=admin_key, certificate=self.certificate)
        self.admin_key: str = self.app.config["MOCK_ADMIN_KEY"]
        self.state: MockState = self.app.extensions[EXTENSION]
        self._server = BoundedWSGIServer(
            host, port, self.app, QuietRequestHandler, idle_timeout=idle_timeout, max_workers=max_workers,
            ssl_context=self.certificate.ssl_context() if self.certificate else None)
        self.host = host
        self.port = self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return _url(self.host, self.port, "https" if self.certificate else "http")

    @property
    def facilitator_url(self) -> str:
        """The facilitator page with its key: what to open on the projector's laptop."""
        return f"{self.url}/?key={self.admin_key}"

    @property
    def admin_headers(self) -> dict[str, str]:
        """What every /admin call sends."""
        return {"Authorization": f"Bearer {self.admin_key}"}

    @property
    def thread_count(self) -> int:
        """Threads serving connections now (not counting the accepting one)."""
        return self._server.thread_count

    def start(self) -> MockServer:
        # A short poll interval so stop() returns at once, not after half a second.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"mock-gov:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until KeyboardInterrupt (what `serve` does)."""
        self._server.serve_forever()

    def stop(self) -> None:
        self.state.stopping.set()  # wakes calls hanging on a fault before we wait for them
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
        self.state.database.close_thread_connection()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def serve(host: str, port: int, data_dir: pathlib.Path, token_ttl: int, admin_key: str | None = None,
          tls: bool | None = None) -> None:
    """Serve until Ctrl-C, printing the URL first and one short line per request.

    The facilitator key is ``admin_key`` (the command line's --admin-key or $MOCK_ADMIN_KEY), else a random one;
    the facilitator page's address is printed with it.
    """
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    for name in ("services.mock.http", "services.mock"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    try:
        server = MockServer(host=host, port=port, data_dir=data_dir, token_ttl=token_ttl,
                            admin_key=admin_key, tls=tls)
    except OSError as error:  # most often: the port is taken
        print(f"Cannot serve the mock on {_url(host, port)}: {error.strerror or error}", file=sys.stderr)
        raise SystemExit(1) from None
    # Before the first line is printed: whoever reads it may stop us at once.
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C and a process manager's SIGTERM stop it alike. SIGINT is set too: a process started
        # from a background job (CI, `make test &`) inherits SIGINT ignored, and Python keeps it so.
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop_signal, signal.default_int_handler)
    try:
        print(f"Mock government endpoints at {server.url} — facilitator page at {server.facilitator_url}", flush=True)
        if server.certificate is not None:
            print(f"HTTPS with the mock's own certificate, SHA-256 fingerprint {server.certificate.fingerprint}",
                  flush=True)
        if host in ("0.0.0.0", "::", ""):  # every interface: say where a phone or laptop finds it
            from services.mock.certificate import reachable_addresses

            scheme = "https" if server.certificate is not None else "http"
            for address in reachable_addresses():
                print(f"On the local network: {_url(address, server.port, scheme)}/?key={server.admin_key}", flush=True)
        print(f"Data kept in {server.data_dir}. Press Ctrl-C to stop.", flush=True)
        server.serve_forever()  # returns on Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Stopped.", flush=True)
