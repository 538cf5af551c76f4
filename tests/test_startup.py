"""Starting the app and the commands as people do, through main.py in real processes.

Kivy's own option parser never sees ours; one log line per record; the citizen's
data folder private; the embedded mock's data outside it; `status` honest about
which address answered; a wrong PERSONA names the right ones; the sample profile.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_main

SAMPLE = ROOT / "samples" / "profile.json"
STAYS_UP = 8.0  # seconds a started app must still be running (Kivy's parser killed it in under two)


def app_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A desktop-like environment: headless SDL, and WITHOUT KIVY_NO_ARGS or any other Kivy variable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIVY_")}
    env.update(SDL_VIDEODRIVER="offscreen", KIVY_HOME=str(tmp_path / "kivy"), PYTHONPATH=str(ROOT), **extra)
    return env


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> tuple[str, str]:
    """End the process and everything it started (its own session), and return what it printed."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    try:
        return process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate()


def still_running_after(process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.25)
    return process.poll() is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_main_py_with_home_stays_up_without_kivy_no_args(tmp_path: Path) -> None:
    env = app_env(tmp_path)
    assert "KIVY_NO_ARGS" not in env
    process = start([sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path / "home")], env)
    try:
        assert still_running_after(process, STAYS_UP), stop(process)[1][-3000:]
    finally:
        _out, err = stop(process)
    assert "not recognized" not in err and "Kivy Usage" not in err


def test_main_py_with_api_and_verbose_stays_up_and_logs_each_record_once(tmp_path: Path, mock) -> None:
    process = start([sys.executable, str(ROOT / "main.py"), "-v", "--home", str(tmp_path / "home"),
                     "--api", mock.url], app_env(tmp_path))
    try:
        assert still_running_after(process, STAYS_UP), stop(process)[1][-3000:]
    finally:
        _out, err = stop(process)
    lines = [line for line in err.splitlines() if line.strip()]
    assert any(line.startswith("INFO ") for line in lines), err[-2000:]  # -v: INFO shown
    assert not any(line.startswith("DEBUG ") for line in lines)  # DEBUG only with -vv
    assert not any(line.startswith("[") for line in lines), err[-2000:]  # Kivy's own console format: none
    assert len(lines) == len(set(lines)), err[-2000:]  # every record once


def test_the_app_is_quiet_by_default_and_never_polls_admin_outside_research_mode(tmp_path: Path) -> None:
    port = free_port()
    mock = start([sys.executable, str(ROOT / "main.py"), "mock-gov", "--port", str(port),
                  "--data", str(tmp_path / "mock")], app_env(tmp_path))
    app = None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        app = start([sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path / "home"),
                     "--api", f"http://127.0.0.1:{port}"], app_env(tmp_path))
        assert still_running_after(app, STAYS_UP)
    finally:
        _app_out, app_err = stop(app) if app is not None else ("", "")
        mock_out, _mock_err = stop(mock)  # the mock prints one line per request
    assert "/v1/services" in mock_out, mock_out[-2000:]  # the app did reach the mock (its probe)
    assert "/admin/demo" not in mock_out  # and never polled the research endpoints
    assert not [line for line in app_err.splitlines() if line.startswith(("INFO", "DEBUG"))], app_err[-2000:]


def test_demo_starts_with_its_options(tmp_path: Path) -> None:
    """`make demo` runs `main.py demo --persona P --host H --port P`: the same arguments, no Kivy parser."""
    port = free_port()
    process = start([sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path / "home"), "demo",
                     "--persona", "rhys", "--host", "127.0.0.1", "--port", str(port)], app_env(tmp_path))
    try:
        assert still_running_after(process, STAYS_UP + 4), stop(process)[1][-3000:]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # the mock listens where told
    finally:
        out, err = stop(process)
    assert "Demo: rhys signed in and loaded" in out, out + err[-2000:]


def test_an_unknown_persona_lists_the_valid_ones(tmp_path: Path) -> None:
    result = run_main("demo", "--persona", "nobody", home=tmp_path / "home", env=app_env(tmp_path))
    assert result.returncode == 2
    assert "There is no demo persona called nobody" in result.stderr
    for name in ("amira", "rhys", "renee", "kwame", "sam"):
        assert name in result.stderr


def test_make_demo_with_an_unknown_persona_lists_the_valid_ones(tmp_path: Path) -> None:
    result = subprocess.run(["make", "--no-print-directory", "demo", "PERSONA=nobody",
                             f"PORT={free_port()}"], cwd=ROOT, env={**app_env(tmp_path),
                             "PORTAL_HOME": str(tmp_path / "home")}, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "Choose one of: amira, rhys, renee, kwame, sam" in result.stderr, result.stderr[-2000:]


# -- the data folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_is_0700_and_its_files_0600(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)  # made wider by someone else: tightened on first use
    assert run_main("profile", "import", str(SAMPLE), home=home).returncode == 0
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0
    assert run_main("tell", "change_of_address", "--services", "council", "--yes", home=home).returncode == 0
    assert mode(home) == 0o700
    files = [path for path in home.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"portal.db"}
    for path in files:
        assert mode(path) == 0o600, path
    # The WAL and its index, while a connection holds them open.
    conn = sqlite3.connect(home / "portal.db")
    try:
        conn.execute("select count(*) from settings").fetchone()
        for suffix in ("-wal", "-shm"):
            sidecar = home / f"portal.db{suffix}"
            if sidecar.exists():
                assert mode(sidecar) == 0o600, sidecar
    finally:
        conn.close()


def test_exports_are_0600(tmp_path: Path) -> None:
    from portal.core import Portal
    from portal.history import export_receipts
    from portal.secrets import MemoryBackend

    portal = Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=MemoryBackend())
    try:
        path = export_receipts(portal, tmp_path / "home" / "exports")
    finally:
        portal.close()
    assert mode(path) == 0o600  # the folder is the citizen's choice (the file chooser): left as it is


def test_the_embedded_mock_keeps_its_data_outside_the_citizens_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0
    assert run_main("prefill", home=home).returncode == 0
    assert not (home / "mock-gov").exists()
    government = tmp_path / "home-mock-gov"
    assert government.is_dir() and mode(government) == 0o700
    # Amira's NINO is in the mock's records (government's side), and in no file of the citizen's folder.
    for path in home.rglob("*"):
        if path.is_file():
            assert b"AB123456C" not in path.read_bytes(), path


def test_an_old_folder_s_mock_data_moves_out(tmp_path: Path) -> None:
    home = tmp_path / "home"
    old = home / "mock-gov"
    old.mkdir(parents=True)
    (old / "marker").write_text("government's side")
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0
    assert not old.exists()
    assert (tmp_path / "home-mock-gov" / "marker").read_text() == "government's side"


def test_status_against_a_dead_address_does_not_say_answering(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0  # online now
    assert "services answering" in run_main("status", home=home).stdout
    dead = f"http://127.0.0.1:{free_port()}"
    result = run_main("--api", dead, "status", home=home)
    assert result.returncode == 0
    assert "services not reached" in result.stdout
    assert '"online": false' in run_main("--api", dead, "status", "--json", home=home).stdout


def test_the_sample_profile_imports_and_passes_every_rule(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_main("profile", "import", str(SAMPLE), home=home)
    assert result.returncode == 0, result.stderr
    shown = run_main("profile", "show", home=home)
    assert "Pritchard" in shown.stdout and "Swansea" in shown.stdout


def test_the_readme_links_nothing_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme
    assert "docs/CONTRACT.md" in readme and "samples/profile.json" in readme
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    assert "1.1" in contract.splitlines()[0] + contract[:400]


@pytest.mark.skipif(sys.platform != "linux", reason="the keyring script is for Linux without a desktop")
def test_make_run_twice_without_a_session_bus_keeps_one_keyring(tmp_path: Path) -> None:
    """No desktop keyring: the first run's details open in the second, through the README's commands,
    `make run`'s script and the app itself."""
    user = tmp_path / "user"
    user.mkdir()
    env = {key: value for key, value in app_env(tmp_path).items()
           if key not in ("DBUS_SESSION_BUS_ADDRESS", "PORTAL_KEYRING_SESSION", "GNOME_KEYRING_CONTROL",
                          "XDG_DATA_HOME", "XDG_RUNTIME_DIR")}
    env["HOME"] = str(user)
    home = tmp_path / "home"
    main = [sys.executable, str(ROOT / "main.py"), "--home", str(home)]
    first = subprocess.run([*main, "profile", "import", str(SAMPLE)], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    # `make run`: scripts/with-keyring-if-needed python main.py (the app), until it has opened the folder.
    log = tmp_path / "app.log"
    with log.open("w") as sink:
        app = subprocess.Popen([str(ROOT / "scripts" / "with-keyring-if-needed"), *main, "-v"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=sink, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and app.poll() is None and "data folder opened" not in log.read_text():
                time.sleep(0.25)
            assert app.poll() is None, log.read_text()[-3000:]
        finally:
            stop(app)
    app_err = log.read_text()
    assert "SealBroken" not in app_err and "SealingKeyLost" not in app_err, app_err[-2000:]
    assert "data folder opened: details version 1" in app_err, app_err[-2000:]  # the app read the first run's
    second = subprocess.run([str(ROOT / "scripts" / "with-keyring-if-needed"), *main, "profile", "show"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "Pritchard" in second.stdout
    keyring = user / ".local" / "share" / "tellusonce" / "keyring"
    assert mode(keyring) == 0o700 and mode(keyring / "unlock-secret") == 0o600
    assert b"Pritchard" not in b"".join(p.read_bytes() for p in keyring.rglob("*") if p.is_file())


def test_the_data_folder_opened_early_is_handed_over_once_and_its_error_is_raised_where_taken() -> None:
    """main.py opens the folder while Kivy loads; the app's worker takes that Portal, then opens fresh ones."""
    import main
    from portal.errors import SecretStoreUnavailable

    opened = []
    early = main.OpeningEarly(lambda: opened.append("portal") or "portal")
    assert early.take() == "portal" and early.take() is None and opened == ["portal"]

    def no_keyring() -> None:
        raise SecretStoreUnavailable("no keyring")

    failing = main.OpeningEarly(no_keyring)
    with pytest.raises(SecretStoreUnavailable):
        failing.take()  # on the app's worker: shown on Welcome, as when the worker opened it itself
    assert failing.take() is None
