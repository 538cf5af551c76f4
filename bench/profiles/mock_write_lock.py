"""Experiment for the mock's author: the mock under load with its SQLite writers queued on a lock.

    .venv/bin/python -m bench.profiles.mock_write_lock          # the mock as it is
    .venv/bin/python -m bench.profiles.mock_write_lock --locked  # writers queued on a threading.Lock

Runs bench.mock_load against a mock child whose ``Database.write`` is wrapped,
in that child process only, in one threading.Lock (services/mock is not
changed). Waiting writers then wake when the lock frees instead of napping in
SQLite's busy handler (naps of up to 100 ms), which is where the mock's p99
and its one-second maxima come from.
"""

from __future__ import annotations

import contextlib
import sys
import threading


def locked_child() -> int:
    import services.mock.database as database
    from bench import mock_child

    lock = threading.Lock()
    unlocked = database.Database.write

    @contextlib.contextmanager
    def write(self):
        with lock, unlocked(self) as db:
            yield db

    database.Database.write = write
    return mock_child.main(sys.argv[2:])


def main(argv: list[str]) -> None:
    from bench import common, mock_load

    if "--locked" in argv:
        real_popen = common.subprocess.Popen

        def popen(args, **kwargs):  # start this module as the child, in --child mode
            args = [args[0], "-m", "bench.profiles.mock_write_lock", "--child", *args[3:]]
            return real_popen(args, **kwargs)

        common.subprocess.Popen = popen
    mock_load.main([a for a in argv if a != "--locked"])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(locked_child())
    main(sys.argv[1:])
