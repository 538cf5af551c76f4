"""Tell Us Once, done right: the one entry point.

    python main.py                       the app (with embedded mock endpoints unless --api)
    python main.py profile import FILE   and the other headless commands (README)
    python main.py mock-gov              the mock government endpoints

main.py parses arguments, builds the pieces and hands over; the work is in
portal/ (the citizen's side), app/ + ui/ + screens/ (Kivy) and services/mock (government side).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import research_demo

STARTED = time.monotonic()  # `sync --timeout N` counts from here: the whole command ends by N seconds

APP_NAME = "tellusonce"  # Kivy derives App.name from the class TellUsOnceApp


def default_home() -> Path:
    """Where Kivy's App.user_data_dir puts data on desktop, so the app and the commands agree."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / APP_NAME


def from_environment(name: str) -> str | None:
    """An option's default from the environment; set but empty counts as not set."""
    return os.environ.get(name) or None


def listed_in_environment(name: str) -> list[str]:
    """A list option's default from the environment, its items separated by spaces or commas."""
    import re

    return [item for item in re.split(r"[\s,]+", os.environ.get(name, "")) if item]


def build_parser() -> argparse.ArgumentParser:
    """Every option, with the environment read here as its default and nowhere else: the rest receive values."""
    from portal.android import on_android  # not portal.secrets: `status` would import all it brings

    parser = argparse.ArgumentParser(prog="main.py", description="Tell Us Once, done right")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="say more: -v shows what the app is doing (INFO), -vv every detail (DEBUG)")
    parser.add_argument("--home", type=Path, default=from_environment("PORTAL_HOME"),
                        help="data folder (default: $PORTAL_HOME, else the app's data folder)")
    parser.add_argument("--api", default=from_environment("PORTAL_API_URL"),
                        help="government endpoints URL (default: $PORTAL_API_URL, else an embedded mock)")
    # CONTRACT section 6 (portal/trust.py): what the client trusts beyond the --api origin.
    parser.add_argument("--trust-origin", action="append", metavar="URL",
                        default=listed_in_environment("PORTAL_TRUST_ORIGINS"),
                        help="also send to this origin (repeatable; added to $PORTAL_TRUST_ORIGINS, "
                             "separated by spaces or commas)")
    parser.add_argument("--ca-file", default=from_environment("PORTAL_CA_FILE"), metavar="PEM",
                        help="an extra certificate authority file (default: $PORTAL_CA_FILE)")
    parser.add_argument("--pin-certificate", default=from_environment("PORTAL_PIN_CERTIFICATE"), metavar="SHA256",
                        help="the API host's certificate fingerprint, pinned (default: $PORTAL_PIN_CERTIFICATE)")
    sub = parser.add_subparsers(dest="command")

    profile = sub.add_parser("profile", help="import or show your details")
    profile_sub = profile.add_subparsers(dest="profile_command", required=True)
    imp = profile_sub.add_parser("import", help="import your details from a JSON file")
    imp.add_argument("file", type=Path)
    show = profile_sub.add_parser("show", help="show your details")
    show.add_argument("--json", action="store_true")

    signin = sub.add_parser("signin", help="sign in (password read from stdin)")
    signin.add_argument("username")
    sub.add_parser("signout", help="sign out and remove the tokens from the keyring")
    sub.add_parser("prefill", help="fetch what government already holds into your details")
    tell = sub.add_parser("tell", help="tell services about a change")
    tell.add_argument("event", help="profile_shared, change_of_address, change_of_name, change_of_contact or death")
    tell.add_argument("--services", required=True, help="all, or service ids separated by commas")
    tell.add_argument("--effective-date", default=None, help="YYYY-MM-DD (default: today)")
    tell.add_argument("--yes", action="store_true", help="agree without asking")
    # tell death (CONTRACT section 8): who died, from the registrar's reference and their documents
    tell.add_argument("--registration", default=None, help="death: the registration reference, like 7K3P-9QX2-M4TD")
    tell.add_argument("--deceased", type=Path, default=None, help="death: a JSON file of the deceased's details")
    tell.add_argument("--relationship", default=None, help="death: how you were related to them, e.g. child")
    tell.add_argument("--date-of-death", default=None, help="death: YYYY-MM-DD (required offline)")
    sync = sub.add_parser("sync", help="send what is due")
    sync.add_argument("--until-idle", action="store_true")
    sync.add_argument("--timeout", type=float, default=60.0)
    status = sub.add_parser("status", help="signed in, online, and every delivery")
    status.add_argument("--json", action="store_true")
    audit = sub.add_parser("audit", help="who has my data: every attempt and receipt")
    audit.add_argument("--json", action="store_true")

    tour = sub.add_parser("tour", help="render every screen to a PNG, headless, with a demo persona")
    tour.add_argument("--out", type=Path, required=True, help="folder for the PNGs (one per screen)")
    tour.add_argument("--size", choices=("phone", "desktop"), default="phone",
                      help="phone is 360x740 dp, desktop 1280x800")
    tour.add_argument("--lang", choices=("en", "cy", "fr", "nb", "de"), default="en",
                      help="the language every screen is shown in")
    tour.add_argument("--text-size", type=float, choices=(1.0, 1.5, 2.0), default=1.0,
                      help="the in-app text size: 1.5 is 150%%, 2 is 200%%")
    tour.add_argument("--theme", choices=("standard", "high_contrast"), default="standard")

    if not on_android():  # no mock is packaged for a phone (buildozer.spec), so no mock-gov there
        # The options of python -m services.mock, from the one place that defines them (no Flask loaded)
        from services.mock.command_line import add_mock_arguments

        add_mock_arguments(sub.add_parser("mock-gov", help="run the mock government endpoints"))

    demo = sub.add_parser("demo", help="user research: the mock and the app together, a persona signed in")
    demo.add_argument("--persona", default="amira", help="the demo account to sign in (README lists them)")
    demo.add_argument("--host", default="127.0.0.1", help="where the mock listens (0.0.0.0: the local network)")
    demo.add_argument("--port", type=int, default=8700)
    demo.add_argument("--tls", action=argparse.BooleanOptionalAction, default=None,
                      help="HTTPS with the mock's own certificate (default: on for any host but loopback)")
    return parser


def trust_options_given(args: argparse.Namespace) -> bool:
    """A flag or its environment default named something to trust: else there is nothing to check, and
    `status` need not import portal.trust to know it."""
    return bool(getattr(args, "trust_origin", None) or getattr(args, "ca_file", None)
                or getattr(args, "pin_certificate", None))


def trust_options(args: argparse.Namespace):  # -> portal.trust.TrustOptions
    """The flags (or their environment defaults); a mistyped origin or fingerprint is refused (exit 2)."""
    from portal.trust import TrustOptions, clean_fingerprint, clean_origin

    options = TrustOptions(tuple(args.trust_origin), args.ca_file, args.pin_certificate)
    errors = [error for origin in options.origins for error in clean_origin(origin)[1]]
    errors += clean_fingerprint(options.pin)[1]
    if options.ca_file:
        errors += check_ca_file(options.ca_file)
    if errors:
        raise BadTrustOptions(errors)
    return options


def check_ca_file(path: str) -> list[tuple[str, str]]:
    import ssl

    from exchange.vocabulary import Message

    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError):
        return [("ca_file", Message("The certificate authority file {path} could not be read. Check its name and "
                                    "that it holds PEM certificates.", path=path))]
    return []


class BadTrustOptions(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(str(m) for _, m in errors))
        self.errors = errors


def resolve_home(args: argparse.Namespace) -> Path:
    """--home (or $PORTAL_HOME, its default), else where the app keeps its data on this platform."""
    return args.home if args.home is not None else default_home()


# Commands that speak to government; the others work on the data folder alone.
NETWORK_COMMANDS = {"signin", "prefill", "tell", "sync"}


def mock_data_folder(home: Path) -> Path:
    """The embedded mock's data: government's side, so beside the citizen's data folder, never inside it.

    A folder from before this rule had it at DATA_FOLDER/mock-gov: it is moved out once.
    """
    from portal.store import private_folder

    home = Path(home).resolve()
    folder = home.with_name(f"{home.name}-mock-gov")
    old = home / "mock-gov"
    if old.is_dir() and not folder.exists():
        old.rename(folder)
    return private_folder(folder)


def embedded_mock(home: Path):  # -> services.mock.server.MockServer
    """The mock government endpoints, in-process on a free loopback port (data: mock_data_folder)."""
    from services.mock.server import MockServer

    return MockServer(host="127.0.0.1", port=0, data_dir=mock_data_folder(home)).start()


def resolve_api(args: argparse.Namespace, home: Path, needs_network: bool) -> tuple[str, object | None]:
    """The endpoints URL, and the embedded mock started for it when none was given."""
    from portal.core import NO_ENDPOINTS

    if args.api:
        return args.api, None
    if not needs_network:
        return NO_ENDPOINTS, None  # nothing will be sent; relative endpoints stay unresolved
    mock = embedded_mock(home)
    return mock.url, mock


def run_command(args: argparse.Namespace) -> int:
    home = resolve_home(args)
    out, err = sys.stdout, sys.stderr
    if args.command == "status":  # the store alone: no keyring, no sealing key, no Portal (portal/status.py)
        from portal.status import run_status

        return run_status(home, args.api, args.json, out)
    from portal.core import Portal

    if args.command == "mock-gov":
        from services.mock.command_line import run_mock

        run_mock(args)
        return 0
    if args.command == "demo":
        return run_demo(args)
    api, mock = resolve_api(args, home, args.command in NETWORK_COMMANDS)
    portal = Portal(home, api, trust=args.trust)
    try:
        return portal_command(portal, args, out, err)
    finally:
        portal.close()
        if mock is not None:
            mock.stop()


def portal_command(portal, args: argparse.Namespace, out, err) -> int:
    """Every command but status, mock-gov and demo, on the data folder's Portal."""
    from portal import commands

    if args.command == "profile" and args.profile_command == "import":
        return commands.profile_import(portal.store, args.file, out, err)
    if args.command == "profile":
        return commands.profile_show(portal.store, args.json, out, err)
    if args.command == "signin":
        return commands.signin(portal, args.username, sys.stdin, out, err)
    if args.command == "signout":
        return commands.signout(portal, out)
    if args.command == "prefill":
        return commands.prefill(portal, out, err)
    if args.command == "tell":
        return tell_command(portal, args, out, err)
    if args.command == "sync":
        return commands.sync(portal, args.until_idle, args.timeout, out, err, started=STARTED)
    if args.command == "audit":
        return commands.audit(portal, args.json, out)
    raise AssertionError(f"unhandled command {args.command}")


def tell_command(portal, args: argparse.Namespace, out, err) -> int:
    """`tell death` with its own options; any other event refuses them."""
    from portal import commands

    if args.event == "death":
        return commands.tell_death(portal, args.registration, args.deceased, args.relationship,
                                   args.date_of_death, args.services, args.yes, sys.stdin, out, err,
                                   effective_date=args.effective_date)
    death_only = [name for name in ("registration", "deceased", "relationship", "date_of_death")
                  if getattr(args, name) is not None]
    if death_only:
        return commands.print_errors([(name, "Only a death is told with this option") for name in death_only], err)
    return commands.tell(portal, args.event, args.services, args.effective_date, args.yes, sys.stdin, out, err)


# The phone's own loopback, which `adb reverse tcp:8700 tcp:8700` joins to `main.py mock-gov` on the
# computer: plain http goes only to loopback (CONTRACT section 6; 10.0.2.2 is another host). On a
# local network, Settings takes https://host:port and the mock's pinned certificate (portal/trust.py).
ANDROID_API = "http://127.0.0.1:8700"


class OpeningEarly:
    """The data folder opening on a thread of its own (keyring, sealing key, store) while Kivy loads and
    makes its window: the app's worker then takes the Portal (``take``) instead of opening it after
    build(). Mostly the keyring's round trips to another process, which no longer wait in turn."""

    def __init__(self, open_portal) -> None:  # Callable[[], portal.core.Portal]
        from concurrent.futures import Future

        self._future: Future | None = Future()
        self._open = open_portal
        threading.Thread(target=self._run, name="open-early", daemon=True).start()

    def _run(self) -> None:
        try:
            self._future.set_result(self._open())
        except BaseException as error:  # raised again where the app takes it (its worker shows it)
            self._future.set_exception(error)

    def take(self):  # -> portal.core.Portal | None
        """The Portal (or its error), once; None afterwards."""
        future, self._future = self._future, None
        return None if future is None else future.result()


def run_gui(args: argparse.Namespace) -> int:
    """The app on the data folder, against --api/PORTAL_API_URL or else an embedded mock."""
    from portal.android import on_android
    from portal.core import Portal

    # On desktop the folder is resolved here (default_home() is where App.user_data_dir points), as
    # Kivy's user_data_dir makes only the last folder and fails on an account with no ~/.config yet.
    explicit = None if on_android() else resolve_home(args)
    api = args.api
    # No mock is packaged for Android: there the app starts on ANDROID_API, which Settings can change.
    mock = None if api or on_android() else embedded_mock(resolve_home(args))
    api = api or (mock.url if mock else ANDROID_API)
    try:
        # Without --home the app's own App.user_data_dir is the folder (the same as default_home() on desktop).
        # Research sessions (research mode, turned on in Settings): the research log and the page's
        # Reset demo reach this app too; outside research mode nothing polls the mock's /admin.
        def open_portal(url: str | None, home: Path):
            return Portal(explicit or home, url or api, trust=args.trust)

        early = OpeningEarly(lambda: open_portal(None, explicit)) if explicit is not None else None

        def make_portal(url: str | None, home: Path):
            portal = early.take() if url is None and early is not None else None
            return portal if portal is not None else open_portal(url, home)

        from app import load_kivy_before_its_window  # app/ imports ui/ first: Android's density, before Kivy

        load_kivy_before_its_window()
        from app.portal_app import run_app

        return run_app(make_portal, api_given=bool(args.api),
                       embedded_admin=(mock.admin_key, mock.url) if mock else None)
    finally:
        if mock is not None:
            mock.stop()


def run_tour(args: argparse.Namespace) -> int:
    """Every screen to a PNG, headless, against its own embedded mock in a temporary folder."""
    from services.mock.server import MockServer
    from tools.tour import run_tour as tour

    mock = MockServer(host="127.0.0.1", port=0).start()
    try:
        return tour(args.out, args.size, mock.url, language=args.lang, text_size=args.text_size,
                    theme=args.theme, admin_key=mock.admin_key)
    finally:
        mock.stop()

# -- user research: `python main.py demo` (make demo)


def demo_personas() -> list[str]:
    from exchange.personas import read_personas

    return [entry["username"] for entry in read_personas()]


def run_demo(args: argparse.Namespace) -> int:
    """The mock and the app together, the persona signed in and loaded (make demo)."""
    personas = demo_personas()
    if args.persona not in personas:
        print(f"error: There is no demo persona called {args.persona}. Choose one of: {', '.join(personas)} "
              f"(for example: make demo PERSONA={personas[1] if len(personas) > 1 else personas[0]}).",
              file=sys.stderr)
        return 2
    from research_demo import PreparedDemo

    try:
        prepared = PreparedDemo(resolve_home(args), args.persona, args.host, args.port, tls=args.tls,
                                trust=args.trust)
    except OSError as error:
        print(f"error: the mock cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Demo: {args.persona} signed in and loaded ({prepared.reset.seconds:.2f} s).", flush=True)
    print(f"Facilitator page: {prepared.facilitator_url}", flush=True)
    if prepared.mock.certificate is not None:
        print(f"On the local network: https://<this computer's address>:{prepared.mock.port}/ with the mock's own "
              f"certificate, SHA-256 fingerprint {prepared.mock.certificate.fingerprint}. The facilitator page "
              "(Connect a phone or laptop) shows the addresses, the key and the fingerprint as a QR code.", flush=True)
    try:
        return start_demo_app(prepared)
    finally:
        prepared.close()


def start_demo_app(prepared: research_demo.PreparedDemo) -> int:
    """The app on the ready Portal, with the Demo for the reset button, the watcher and the research log."""
    from app.portal_app import run_app  # Kivy only now: a wrong persona or a taken port needs no window
    from portal.core import Portal

    return run_app(lambda url, home: Portal(home, url or prepared.api_url, trust=prepared.portal.trust_options),
                   portal=prepared.portal,
                   demo=prepared.demo)


def configure_logging(verbose: int = 0) -> None:
    """One handler, on the root logger, for ours, Kivy's and werkzeug's records: one line each.

    Quiet by default (warnings and errors); -v adds INFO, -vv DEBUG. The level is on the
    handler too, as Kivy sets its own logger's level and its records reach the root's handler.
    logging itself (some 7 ms to import) loads here: `status`, which logs nothing, never calls this
    unless it fails.
    """
    import logging

    class BriefFormatter(logging.Formatter):
        """One line per problem: tracebacks are for developers, never shown to a citizen."""

        def formatException(self, ei) -> str:
            return ""

        def format(self, record: logging.LogRecord) -> str:
            record.exc_text = ""
            return super().format(record).rstrip()

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(BriefFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)


def keep_kivy_off_our_arguments() -> None:
    """Before Kivy is imported: its own option parser never sees ours (it exits 2 on --home),
    and it adds no console handler of its own (each line would be printed twice)."""
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    # The app shows no picture and writes its screenshots (the tour) through SDL2's PNG support: Kivy's
    # default also loads PIL's and every other image loader, 25 ms and 3 MiB of each start. A tester's
    # own KIVY_IMAGE still wins.
    os.environ.setdefault("KIVY_IMAGE", "tex,dds,sdl2")


# What never opens the keyring: status reads a marker, the mock and the tour keep no citizen's secret.
NO_KEYRING_COMMANDS = {"status", "mock-gov", "tour"}


def run_inside_user_keyring(args: argparse.Namespace, argv: list[str]) -> None:
    """Linux with no session bus (a server, a container): run again inside the user's own keyring,
    the same one every run (scripts/with-keyring-if-needed), instead of failing for want of one."""
    if (sys.platform != "linux" or os.environ.get("DBUS_SESSION_BUS_ADDRESS") or "ANDROID_ARGUMENT" in os.environ
            or os.environ.get("PORTAL_KEYRING_SESSION") or args.command in NO_KEYRING_COMMANDS):
        return
    import shutil

    script = Path(__file__).resolve().parent / "scripts" / "with-keyring-if-needed"
    if not script.exists() or not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"):
        return  # the keyring's own message then says what to install
    sys.stdout.flush()
    os.execv(str(script), [str(script), sys.executable, str(Path(__file__).resolve()), *argv])


def main(argv: list[str] | None = None) -> int:
    keep_kivy_off_our_arguments()
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.command != "status":  # status logs nothing of its own (configured below if it fails)
        configure_logging(args.verbose)
    try:
        # Checked first, once: a mistyped origin or pin is exit 2, for the app too; None trusts --api alone.
        args.trust = trust_options(args) if trust_options_given(args) else None
    except BadTrustOptions as bad:
        for field, message in bad.errors:
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    run_inside_user_keyring(args, argv)
    if args.command is None:
        # Off from before Kivy's import until the app's first screen is up (app/portal_app.py turns it
        # back on): start-up makes only objects that live on, and Kivy's import alone ran some 90
        # collections, 35-55 ms of them, that found nothing to free.
        gc.disable()
        return run_gui(args)
    if args.command == "tour":
        return run_tour(args)
    from portal.errors import PortalError

    try:
        return run_command(args)
    except PortalError as error:
        from portal.errors import SealBroken

        hint = ""
        if isinstance(error, SealBroken):
            from portal.commands import START_AGAIN_HINT as hint
        print(f"error: {error} {hint}".rstrip(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `status --json | head`: the reader had enough, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush stays quiet
        return 0
    except Exception as error:  # the last guard: a message, never a traceback
        configure_logging(args.verbose)
        import logging

        logging.getLogger("main").error("unexpected %s", type(error).__name__)
        print("error: Something went wrong and this command stopped. Nothing you had saved was lost. "
              "Try again; if it keeps happening, tell the research team.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
