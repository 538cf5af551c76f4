"""Tell Us Once, done right: the one entry point.

    python main.py                       the app (with embedded mock endpoints unless --api)
    python main.py profile import FILE   and the other headless commands (README)
    python main.py mock-gov              the mock government endpoints

main.py parses arguments, builds the pieces and hands over; the work is in
portal/ (the citizen's side), screens/ (Kivy) and services/ (government side).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

APP_NAME = "tellusonce"  # Kivy derives App.name from the class TellUsOnceApp


def default_home() -> Path:
    """Where Kivy's App.user_data_dir puts data on desktop, so the app and the commands agree."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / APP_NAME


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="Tell Us Once, done right")
    parser.add_argument("--home", type=Path, default=None,
                        help="data folder (default: $PORTAL_HOME, else the app's data folder)")
    parser.add_argument("--api", default=None,
                        help="government endpoints URL (default: $PORTAL_API_URL, else an embedded mock)")
    sub = parser.add_subparsers(dest="command")

    profile = sub.add_parser("profile", help="import or show your details")
    profile_sub = profile.add_subparsers(dest="profile_command", required=True)
    imp = profile_sub.add_parser("import", help="import your details from a JSON file")
    imp.add_argument("file", type=Path)
    show = profile_sub.add_parser("show", help="show your details")
    show.add_argument("--json", action="store_true")

    mock = sub.add_parser("mock-gov", help="run the mock government endpoints")
    mock.add_argument("--host", default="127.0.0.1")
    mock.add_argument("--port", type=int, default=8700)
    mock.add_argument("--data", type=Path, default=None)
    mock.add_argument("--token-ttl", type=int, default=900)
    return parser


def resolve_home(args: argparse.Namespace) -> Path:
    if args.home is not None:
        return args.home
    if os.environ.get("PORTAL_HOME"):
        return Path(os.environ["PORTAL_HOME"])
    return default_home()


def open_store(home: Path):  # -> portal.store.Store
    from portal.sealing import sealer_for
    from portal.secrets import open_secret_store
    from portal.store import Store

    secrets = open_secret_store(home)
    return Store(home, sealer_for(secrets))


def run_command(args: argparse.Namespace) -> int:
    from portal import commands

    home = resolve_home(args)
    if args.command == "mock-gov":
        from services.mock.server import serve

        serve(args.host, args.port, args.data or home / "mock-gov", args.token_ttl)
        return 0
    store = open_store(home)
    if args.command == "profile" and args.profile_command == "import":
        return commands.profile_import(store, args.file, sys.stdout, sys.stderr)
    if args.command == "profile" and args.profile_command == "show":
        return commands.profile_show(store, args.json, sys.stdout, sys.stderr)
    raise AssertionError(f"unhandled command {args.command}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from screens.app import run_app

        env_home = os.environ.get("PORTAL_HOME")
        return run_app(home=args.home or (Path(env_home) if env_home else None),
                       api=args.api or os.environ.get("PORTAL_API_URL"))
    from portal.errors import PortalError

    try:
        return run_command(args)
    except PortalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
