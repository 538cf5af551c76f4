"""The testers' command line over real HTTP, with the real keyring, as scripts outside use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.secrets import open_secret_store
from tests.conftest import has_session_bus
from tests.telling_over_http.conftest import Gov, cli, ready, status, sync_killed_at_random

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]

DELIVERY_KEYS = {"id", "service", "event", "state", "attempts", "reference", "next_attempt_at", "last_error",
                 "created_at", "delivered_at"}








def test_tell_and_sync_deliver_with_the_documented_status_shape(gov: Gov, home: Path) -> None:
    ready(gov, home)
    told = cli(gov, home, "tell", "change_of_address", "--services", "all", "--yes")
    assert told.returncode == 0, told.stderr
    assert "HM Passport Office (hmpo): HM Passport Office does not take changes of address." in told.stdout
    data = status(gov, home)
    assert {d["state"] for d in data["deliveries"]} == {"queued"}
    synced = cli(gov, home, "sync", "--until-idle", "--timeout", "30")
    assert synced.returncode == 0, synced.stderr
    data = status(gov, home)
    assert data["signed_in"] is True and data["online"] is True
    assert len(data["deliveries"]) == 5
    for row in data["deliveries"]:
        assert set(row) == DELIVERY_KEYS
        assert row["state"] == "delivered" and row["reference"] and row["delivered_at"].endswith("Z")
    audit = json.loads(cli(gov, home, "audit", "--json").stdout)
    assert len(audit["receipts"]) == 5
    # The same address to HMRC again: a warning before agreeing.
    again = cli(gov, home, "tell", "change_of_address", "--services", "hmrc", stdin="no\n")
    assert "warning: HM Revenue & Customs was already told this on " in again.stderr
    assert "Sending it again tells them nothing new." in again.stderr


def test_without_yes_it_shows_what_each_service_will_receive_and_asks(gov: Gov, home: Path) -> None:
    ready(gov, home)
    declined = cli(gov, home, "tell", "change_of_contact", "--services", "council", stdin="no\n")
    assert declined.returncode == 1
    assert "Local council (council tax, electoral register) (council) will receive:" in declined.stdout
    assert "You agree: \"I agree that Tell Us Once sends" in declined.stdout
    assert "Nothing was sent." in declined.stdout
    assert status(gov, home)["deliveries"] == []
    agreed = cli(gov, home, "tell", "change_of_contact", "--services", "council", stdin="yes\n")
    assert agreed.returncode == 0
    assert len(status(gov, home)["deliveries"]) == 1


def test_bad_tells_exit_2_naming_the_problem(gov: Gov, home: Path) -> None:
    ready(gov, home)
    cases = [
        (("change_of_address", "--services", "hmpo"), "services.hmpo: HM Passport Office does not take"),
        (("profile_shared", "--services", "all", "--effective-date", "2026-11-01"), "effective_date: Leave out"),
        (("change_of_name", "--services", "nope"), "services.nope: There is no service called nope"),
        (("moved_to_mars", "--services", "all"), "event: Choose what changed"),
        (("change_of_name", "--services", "all", "--effective-date", "2020-01-01"),
         "effective_date: The date the change took effect must be within the last year"),
    ]
    for args, expected in cases:
        result = cli(gov, home, "tell", *args, "--yes")
        assert result.returncode == 2, (args, result.stderr)
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
    assert status(gov, home)["deliveries"] == []


def test_a_service_lacking_a_required_field_is_refused_by_name(gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    person = json.loads(cli(gov, home, "profile", "show", "--json").stdout)
    del person["driving_licence_number"]
    (tmp_path / "me.json").write_text(json.dumps(person))
    assert cli(gov, home, "profile", "import", str(tmp_path / "me.json")).returncode == 0
    refused = cli(gov, home, "tell", "change_of_name", "--services", "dvla,council", "--yes")
    assert refused.returncode == 2
    needs = "Driver and Vehicle Licensing Agency needs this, which is not in your details yet: driving licence number."
    assert f"services.dvla: {needs}" in refused.stderr
    told = cli(gov, home, "tell", "change_of_name", "--services", "all", "--yes")
    assert told.returncode == 0
    assert f"(dvla): {needs}" in told.stdout


def test_telling_works_offline_and_sync_until_idle_times_out_with_exit_1(gov: Gov, home: Path) -> None:
    ready(gov, home)
    gov.stop()
    told = cli(gov, home, "tell", "change_of_contact", "--services", "council", "--yes")
    assert told.returncode == 0, told.stderr
    timed_out = cli(gov, home, "sync", "--until-idle", "--timeout", "2")
    assert timed_out.returncode == 1
    assert "still waiting" in timed_out.stderr
    row = status(gov, home)["deliveries"][0]
    assert row["state"] == "queued" and row["next_attempt_at"].endswith("Z")
    assert status(gov, home)["online"] is False
    plain = cli(gov, home, "sync")
    assert plain.returncode == 0  # one pass, work left queued is not a failure
    gov.start()
    assert cli(gov, home, "sync", "--until-idle").returncode == 0
    assert status(gov, home)["deliveries"][0]["state"] == "delivered"


def test_signout_removes_the_tokens_and_sync_says_sign_in(gov: Gov, home: Path) -> None:
    ready(gov, home)
    keyring = open_secret_store(home)
    assert keyring.get("refresh_token") is not None
    assert cli(gov, home, "signout").returncode == 0
    assert status(gov, home)["signed_in"] is False
    assert keyring.get("access_token") is None and keyring.get("refresh_token") is None
    cli(gov, home, "tell", "change_of_contact", "--services", "council", "--yes")
    result = cli(gov, home, "sync", "--until-idle", "--timeout", "5")
    assert result.returncode == 1 and "not signed in" in result.stderr
    assert status(gov, home)["deliveries"][0]["state"] == "queued"


def test_wrong_password_is_said_plainly(gov: Gov, home: Path) -> None:
    result = cli(gov, home, "signin", "amira", stdin="wrong\n")
    assert result.returncode == 2
    assert "password: The username or password is not right" in result.stderr


def test_two_data_folders_never_share_tokens(gov: Gov, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    ready(gov, first)
    assert status(gov, first)["signed_in"] is True
    assert status(gov, second)["signed_in"] is False


def test_no_token_or_sensitive_number_is_readable_under_the_data_folder(gov: Gov, home: Path) -> None:
    ready(gov, home)
    cli(gov, home, "tell", "change_of_name", "--services", "all", "--yes")
    cli(gov, home, "sync", "--until-idle")
    person = json.loads(cli(gov, home, "profile", "show", "--json").stdout)
    raw = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file() and "mock-gov" not in p.parts)
    for field in ("nino", "nhs_number", "passport_number", "driving_licence_number"):
        assert person[field].encode() not in raw, field
    for token in gov_tokens(gov):
        assert token.encode() not in raw


def gov_tokens(gov: Gov) -> list[str]:
    """Fresh tokens like the ones the app holds: none may be on disk in the app's folder."""
    import requests

    answer = requests.post(f"{gov.url}/v1/auth/token", timeout=5,
                           json={"grant_type": "password", "username": "amira", "password": "amira-demo-1"}).json()
    return [answer["access_token"], answer["refresh_token"]]


def test_sync_killed_five_times_then_run_to_the_end_delivers_exactly_once(gov: Gov, home: Path) -> None:
    ready(gov, home)
    for event in ("change_of_name", "change_of_contact", "profile_shared", "change_of_address"):
        assert cli(gov, home, "tell", event, "--services", "all", "--yes").returncode == 0
    expected = len(status(gov, home)["deliveries"])
    for service in ("hmrc", "dwp", "dvla", "hmpo", "council", "nhs"):
        gov.faults(service, latency_ms=400, error_rate=0.2, retry_after=0)
    interrupted = sync_killed_at_random(gov, home, times=5, seed=20261127, within=(0.4, 1.6))
    assert interrupted[0] > 0  # the kills really landed mid-sync
    gov.heal()
    final = cli(gov, home, "sync", "--until-idle", "--timeout", "60")
    assert final.returncode == 0, final.stderr
    rows = status(gov, home)["deliveries"]
    assert len(rows) == expected == 23
    assert {row["state"] for row in rows} == {"delivered"}
    records = [r for records in gov.inbox().values() for r in records]
    assert len(records) == expected
    assert len({r["key"] for r in records}) == expected
    assert {r["reference"] for r in records} == {row["reference"] for row in rows}
