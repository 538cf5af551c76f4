"""python -m services.mock [--host H] [--port P] [--data DIR] [--token-ttl SECONDS] [--admin-key KEY] [--tls]

The same as ``python main.py mock-gov``, for running the mock without the app.
"""

from __future__ import annotations

import argparse

from services.mock.command_line import add_mock_arguments, run_mock


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.mock", description=__doc__.splitlines()[0])
    add_mock_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> None:
    run_mock(build_parser().parse_args(argv))


if __name__ == "__main__":
    main()
