"""Losing the sealing key is survivable, through the real command line and the real keyring.

The keyring entry is wiped or replaced between commands (another process, as a
person or a keyring tool would), or one byte of a sealed row is flipped in
portal.db. The app never makes a new key over sealed rows: `profile show` exits
1 and says how to start again, `status` says so, `profile import`/`prefill`
start again (exit 0), and waiting notifications that cannot be opened need
attention once and are never retried.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from portal.secrets import namespace_for
from tests.conftest import ROOT, has_session_bus, run_main

pytestmark = pytest.mark.skipif(not has_session_bus(), reason="needs a Secret Service (make test's with-keyring)")

SAMPLE = ROOT / "samples" / "profile.json"


def keyring_call(home: Path, code: str) -> str:
    """Run keyring code in another process, as a keyring tool would (namespace and name given)."""
    script = ("import keyring, sys\nnamespace = sys.argv[1]\n" + code)
    result = subprocess.run([sys.executable, "-c", script, namespace_for(home)], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def wipe_key(home: Path) -> None:
    keyring_call(home, "keyring.delete_password(namespace, 'database_key')")


def replace_key(home: Path) -> None:
    other = base64.b64encode(os.urandom(32)).decode()
    keyring_call(home, f"keyring.set_password(namespace, 'database_key', {other!r})")


def stored_key(home: Path) -> str:
    return keyring_call(home, "print(keyring.get_password(namespace, 'database_key'))")


def status_json(home: Path) -> dict:
    result = run_main("status", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def signed_in_with_two_waiting(home: Path) -> None:
    assert run_main("profile", "import", str(SAMPLE), home=home).returncode == 0
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0
    told = run_main("--api", "http://127.0.0.1:9", "tell", "change_of_address", "--services", "council,hmrc",
                    "--yes", home=home)  # queued offline: nothing sent yet
    assert told.returncode == 0, told.stderr


@pytest.mark.parametrize("lose", [wipe_key, replace_key], ids=["wiped", "replaced"])
def test_a_lost_key_is_said_plainly_and_start_again_replaces_the_details(tmp_path: Path, lose) -> None:
    home = tmp_path / "home"
    signed_in_with_two_waiting(home)
    lose(home)
    key_after_loss = stored_key(home)

    shown = run_main("profile", "show", home=home)
    assert shown.returncode == 1
    assert "cannot be opened on this device" in shown.stderr
    assert "profile import FILE" in shown.stderr and "prefill" in shown.stderr
    assert "Traceback" not in shown.stderr
    assert stored_key(home) == key_after_loss  # no new key was made silently

    status = run_main("status", home=home)
    assert "Your saved details cannot be opened on this device" in status.stdout
    assert status_json(home)["details_readable"] is False

    # The waiting notifications cannot be opened: they need attention, once, and are never retried.
    synced = run_main("sync", "--until-idle", "--timeout", "20", home=home)
    assert synced.returncode == 0, synced.stderr
    deliveries = status_json(home)["deliveries"]
    assert [d["state"] for d in deliveries] == ["needs_attention", "needs_attention"]
    assert all("could not be opened" in d["last_error"] for d in deliveries)
    attempts = [d["attempts"] for d in deliveries]
    assert run_main("sync", "--until-idle", "--timeout", "20", home=home).returncode == 0
    assert [d["attempts"] for d in status_json(home)["deliveries"]] == attempts
    assert "SealBroken" not in synced.stderr

    imported = run_main("profile", "import", str(SAMPLE), home=home)
    assert imported.returncode == 0, imported.stderr
    assert "could not be opened on this device, so they are being replaced" in imported.stdout
    assert run_main("profile", "show", home=home).stdout.count("Pritchard") == 1
    assert status_json(home)["details_readable"] is True
    assert stored_key(home) != key_after_loss  # a fresh key now seals the folder


def test_prefill_starts_again_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_main("profile", "import", str(SAMPLE), home=home).returncode == 0
    assert run_main("signin", "amira", home=home, stdin="amira-demo-1\n").returncode == 0
    wipe_key(home)
    result = run_main("prefill", home=home)
    assert result.returncode == 0, result.stderr
    assert "being replaced" in result.stdout
    shown = run_main("profile", "show", home=home)
    assert shown.returncode == 0 and "Haddad" in shown.stdout  # Amira's details, fetched from government


def flip_one_byte(home: Path, table: str, column: str) -> None:
    conn = sqlite3.connect(home / "portal.db")
    try:
        key = "version" if table == "profile_versions" else "id"
        row_id, sealed = conn.execute(f"select {key}, {column} from {table} order by rowid desc limit 1").fetchone()
        flipped = bytearray(sealed)
        flipped[len(flipped) // 2] ^= 0x01
        conn.execute(f"update {table} set {column} = ? where {key} = ?", [bytes(flipped), row_id])
        conn.commit()
    finally:
        conn.close()


def test_one_flipped_byte_in_the_details(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_main("profile", "import", str(SAMPLE), home=home).returncode == 0
    flip_one_byte(home, "profile_versions", "sealed")
    shown = run_main("profile", "show", home=home)
    assert shown.returncode == 1 and "could not be opened on this device" in shown.stderr
    assert status_json(home)["details_readable"] is False
    told = run_main("tell", "change_of_address", "--services", "council", "--yes", home=home)
    assert told.returncode == 1 and "profile import FILE" in told.stderr and "Traceback" not in told.stderr
    imported = run_main("profile", "import", str(SAMPLE), home=home)
    assert imported.returncode == 0 and "(1 saved version(s) removed)" in imported.stdout
    assert run_main("profile", "show", home=home).returncode == 0
    assert status_json(home)["details_readable"] is True


def test_one_flipped_byte_in_a_waiting_notification(tmp_path: Path) -> None:
    home = tmp_path / "home"
    signed_in_with_two_waiting(home)
    flip_one_byte(home, "deliveries", "body")  # the last one told: hmrc
    assert run_main("sync", "--until-idle", "--timeout", "30", home=home).returncode == 0
    states = {d["service"]: d for d in status_json(home)["deliveries"]}
    assert states["council"]["state"] == "delivered"
    assert states["hmrc"]["state"] == "needs_attention" and states["hmrc"]["attempts"] == 1
    assert run_main("sync", "--until-idle", "--timeout", "10", home=home).returncode == 0
    assert status_json(home)["deliveries"][1]["attempts"] == 1  # never retried


def test_a_keyring_emptied_whole_is_told_by_status_after_the_next_command(tmp_path: Path) -> None:
    home = tmp_path / "home"
    signed_in_with_two_waiting(home)
    keyring_call(home, "for name in ('database_key', 'access_token', 'refresh_token', 'token_expires_at', "
                       "'username'):\n    try:\n        keyring.delete_password(namespace, name)\n"
                       "    except keyring.errors.PasswordDeleteError:\n        pass")
    assert run_main("profile", "show", home=home).returncode == 1
    status = run_main("status", home=home).stdout
    assert status.startswith("Signed in: no;"), status
    assert "cannot be opened on this device" in status
