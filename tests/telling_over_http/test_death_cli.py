"""`tell death` (CONTRACT section 8) through the real command line against the mock over real HTTP."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from exchange.catalogue import CATALOGUE_FILE
from exchange.personas import REGISTRATIONS_FILE
from tests.conftest import has_session_bus
from tests.telling_over_http.conftest import Gov, cli, ready, status, sync_killed_at_random

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]

REGISTRATIONS = json.loads(REGISTRATIONS_FILE.read_text(encoding="utf-8"))
YUSUF = REGISTRATIONS[0]
CATALOGUE = {s["id"]: s for s in json.loads(CATALOGUE_FILE.read_text())["services"]}
ALL = ("hmrc", "dwp", "dvla", "hmpo", "council", "nhs")
# The identifiers from the person's documents: never readable in the data folder.
SECRETS = [YUSUF["documents"][name] for name in ("nino", "nhs_number", "driving_licence_number", "passport_number")]






def deceased_file(tmp_path: Path, **changes) -> Path:
    """What the informant has from the documents; the register adds the address."""
    person = {k: v for k, v in YUSUF["deceased"].items() if k != "address"}
    person.update(YUSUF["documents"])
    person.update(changes)
    path = tmp_path / "deceased.json"
    path.write_text(json.dumps({k: v for k, v in person.items() if v is not None}), encoding="utf-8")
    return path


def tell_death(gov: Gov, home: Path, file: Path, *extra: str, registration: str = YUSUF["reference"],
               services: str = "all") -> subprocess.CompletedProcess:
    return cli(gov, home, "tell", "death", "--registration", registration, "--deceased", str(file),
               "--relationship", "child", "--services", services, *extra)




def death_records(gov: Gov) -> dict[str, list[dict]]:
    return {service: [r for r in records if r["body"]["event"] == "death"] for service, records in gov.inbox().items()}


def readable_anywhere(home: Path, needles: list[str]) -> list[str]:
    found = []
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {needle}" for needle in needles if needle.encode() in data]
    return found


def test_a_death_reaches_all_six_once_with_only_what_each_needs(gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    told = tell_death(gov, home, deceased_file(tmp_path), "--yes", registration="7k3p 9qx2 m4td")
    assert told.returncode == 0, told.stderr
    assert "Their National Insurance number: YH402817B" in told.stdout
    rows = status(gov, home)["deliveries"]
    assert sorted(r["service"] for r in rows) == sorted(ALL) and {r["event"] for r in rows} == {"death"}
    # Sealed while it waits: no identifier of the deceased in any file, WAL included.
    assert readable_anywhere(home, SECRETS) == []
    synced = cli(gov, home, "sync", "--until-idle", "--timeout", "60")
    assert synced.returncode == 0, synced.stderr
    assert "have now been deleted from this device" in synced.stdout
    records = death_records(gov)
    for service in ALL:
        assert len(records[service]) == 1, service
        body = records[service][0]["body"]
        death = CATALOGUE[service]["death"]
        assert set(body["deceased"]) == set(death["requires"]) | set(death["accepts"])
        assert set(body["informant"]) <= {"given_names", "family_name", "relationship", "address", "email", "phone"}
        assert body["informant"]["relationship"] == "child" and "nino" not in body["informant"]
        assert body["registration"] == YUSUF["reference"] and body["date_of_death"] == YUSUF["date_of_death"]
        assert set(body) == {"event", "registration", "date_of_death", "deceased", "informant", "consent"}
    data = status(gov, home)
    assert {(r["event"], r["state"]) for r in data["deliveries"]} == {("death", "delivered")}
    audit = json.loads(cli(gov, home, "audit", "--json").stdout)
    assert {e["event"] for e in audit["entries"]} == {"death"}
    assert "deceased.nino" in audit["entries"][0]["fields"] or "deceased.driving_licence_number" in \
        audit["entries"][0]["fields"] or audit["entries"][0]["service"] in ("hmpo", "council", "nhs")
    # Finished and seen: the case is gone, and still nothing readable.
    assert readable_anywhere(home, SECRETS) == []
    import sqlite3

    with sqlite3.connect(home / "portal.db") as conn:
        assert conn.execute("select count(*) from death_cases").fetchone()[0] == 0


def test_the_same_death_again_stores_nothing_new_and_ends_with_the_first_references(
        gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    file = deceased_file(tmp_path)
    assert tell_death(gov, home, file, "--yes").returncode == 0
    assert cli(gov, home, "sync", "--until-idle", "--timeout", "60").returncode == 0
    first = {r["service"]: r["reference"] for r in status(gov, home)["deliveries"]}
    stored = sum(len(v) for v in gov.inbox().values())
    assert tell_death(gov, home, file, "--yes", registration="7K3P9QX2M4TD").returncode == 0
    again = cli(gov, home, "sync", "--until-idle", "--timeout", "60")
    assert again.returncode == 0, again.stderr
    assert sum(len(v) for v in gov.inbox().values()) == stored
    rows = status(gov, home)["deliveries"]
    assert len(rows) == 12 and {r["state"] for r in rows} == {"delivered"}
    for row in rows[6:]:
        assert row["reference"] == first[row["service"]] and row["attempts"] == 1
    audit = json.loads(cli(gov, home, "audit", "--json").stdout)
    assert sum(1 for e in audit["entries"] if e["detail"].startswith("Already reported")) == 6


def test_bad_references_and_details_exit_2_naming_the_field_and_queue_nothing(
        gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    cases = [
        ({"registration": "AAAA-BBBB-CCCC"}, {}, (), "registration: There is no registered death"),
        ({"registration": "7K3P-9QX2"}, {}, (), "registration: Enter the registration reference in the correct"),
        ({}, {"family_name": "Hassan"}, (), "deceased.family_name: The family name does not match the register"),
        ({}, {"date_of_birth": "1950-06-03", "driving_licence_number": None},
         (), "deceased.date_of_birth: The date of birth does not match"),
        ({}, {"driving_licence_number": "HADDA507020YH9AB"}, (), "deceased.driving_licence_number: Driving licence "
                                                                 "number does not match"),
        ({}, {"nino": "QQ12"}, (), "deceased.nino:"),
        ({}, {}, ("--date-of-death", "2026-11-22"), "date_of_death: The date of death does not match the register"),
        ({}, {}, ("--effective-date", "2026-11-22"), "effective_date:"),
    ]
    for options, changes, extra, expected in cases:
        result = tell_death(gov, home, deceased_file(tmp_path, **changes), "--yes", *extra, **options)
        assert result.returncode == 2, (options, changes, result.stderr)
        assert expected in result.stderr, (expected, result.stderr)
    relation = cli(gov, home, "tell", "death", "--registration", YUSUF["reference"], "--deceased",
                   str(deceased_file(tmp_path)), "--relationship", "cousin", "--services", "all", "--yes")
    assert relation.returncode == 2 and "relationship:" in relation.stderr
    named = tell_death(gov, home, deceased_file(tmp_path, passport_number=None), "--yes", services="hmpo")
    assert named.returncode == 2 and "services.hmpo: HM Passport Office needs the passport number" in named.stderr
    assert status(gov, home)["deliveries"] == []


def test_offline_needs_the_date_of_death_and_the_services_check_the_register_later(
        gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    gov.stop()  # offline
    try:
        missing = tell_death(gov, home, deceased_file(tmp_path), "--yes")
        assert missing.returncode == 2 and "date_of_death:" in missing.stderr
        wrong = tell_death(gov, home, deceased_file(tmp_path), "--yes", "--date-of-death", "2026-11-22",
                           services="dwp,hmrc")
        assert wrong.returncode == 0, wrong.stderr
        assert "cannot be checked now" in wrong.stderr
    finally:
        gov.start()
    synced = cli(gov, home, "sync", "--until-idle", "--timeout", "60")
    assert synced.returncode == 0, synced.stderr
    rows = status(gov, home)["deliveries"]
    assert {r["state"] for r in rows} == {"needs_attention"}
    assert all("date of death does not match the register" in r["last_error"] for r in rows)
    assert "not told: The date of death does not match" in synced.stdout
    assert death_records(gov)["dwp"] == []
    # Checked against the register before sending: nothing of the person went to a service to be refused.
    audit = json.loads(cli(gov, home, "audit", "--json").stdout)
    assert [e["http_status"] for e in audit["entries"] if e["outcome"] == "needs_attention"] == [None, None]


def test_killed_mid_send_and_resumed_still_once_each(gov: Gov, home: Path, tmp_path: Path) -> None:
    ready(gov, home)
    assert tell_death(gov, home, deceased_file(tmp_path), "--yes").returncode == 0
    for service in ALL:
        gov.faults(service, latency_ms=500, error_rate=0.3, retry_after=0)
    interrupted = sync_killed_at_random(gov, home, times=3, seed=14, within=(0.5, 1.2))
    assert interrupted[0] > 0
    gov.heal()
    assert cli(gov, home, "sync", "--until-idle", "--timeout", "60").returncode == 0
    rows = status(gov, home)["deliveries"]
    assert len(rows) == 6 and {r["state"] for r in rows} == {"delivered"}
    records = death_records(gov)
    assert all(len(records[service]) == 1 for service in ALL)
    assert {r["reference"] for rs in records.values() for r in rs} == {r["reference"] for r in rows}
    assert readable_anywhere(home, SECRETS) == []
