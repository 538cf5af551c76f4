"""Who can be told is one decision (portal.telling.why_not_told): for every persona and every event, the
'Who to tell' screen offers exactly the services `tell EVENT --services all` would tell, and says the same
reason for each one it does not (tests/ui/run_who_can_be_told.py; the command line through main.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from exchange.personas import read_personas
from portal.telling import CHANGES
from tests.conftest import has_session_bus, run_main
from tests.ui.support import run_script

pytestmark = [
    pytest.mark.ui,
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]
OFFLINE = ("--api", "http://127.0.0.1:9")


def planned(stdout: str) -> dict:
    """What the command line printed before asking: the services it would tell and those it would not, why."""
    told = re.findall(r"^\S.* \((\w+)\) will receive:$", stdout, re.M)
    not_told = dict(re.findall(r"^  (.+) \(\w+\): (.+)$", stdout.split("\nNot told:\n")[1], re.M)) \
        if "\nNot told:\n" in stdout else {}
    return {"offered": told, "not_told": not_told}


def command_line_plans(persona: dict, folder: Path, date_of_death: str) -> dict:
    home = folder / persona["username"]
    person_file = folder / f"{persona['username']}.json"
    person_file.write_text(json.dumps(persona["person"]), encoding="utf-8")
    imported = run_main(*OFFLINE, "profile", "import", str(person_file), home=home)
    assert imported.returncode == 0, imported.stderr
    plans = {}
    for event in CHANGES:
        told = run_main(*OFFLINE, "tell", event, "--services", "all", home=home, stdin="no\n")
        assert told.returncode == 1 and "Nothing was sent." in told.stdout, told.stderr
        plans[event] = planned(told.stdout)
    death = run_main(*OFFLINE, "tell", "death", "--registration", "7K3P-9QX2-M4TD", "--deceased", str(person_file),
                     "--relationship", "child", "--date-of-death", date_of_death, "--services", "all",
                     home=home, stdin="no\n")
    assert death.returncode == 1 and "Nothing was sent" in death.stdout, death.stderr
    plans["death"] = planned(death.stdout)
    return plans


def test_the_screen_offers_whom_the_command_line_would_tell_with_the_same_reasons(tmp_path: Path) -> None:
    date_of_death = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    shown = run_script("run_who_can_be_told.py", tmp_path, date_of_death)
    assert shown["ok"], shown.get("error")
    personas = read_personas()
    for persona in personas:
        plans = command_line_plans(persona, tmp_path, date_of_death)
        for event, plan in plans.items():
            screen = shown[persona["username"]][event]
            assert screen["offered"] == plan["offered"], (persona["username"], event)
            if event == "death":  # a service that takes no report of a death is not listed on that screen
                plan["not_told"] = {name: why for name, why in plan["not_told"].items()
                                    if "does not take reports of a death" not in why}
            assert screen["not_told"] == plan["not_told"], (persona["username"], event)
    # Not a comparison of empty lists: the personas between them lack what some services need.
    assert shown["sam"]["death"]["not_told"] and shown["amira"]["change_of_address"]["not_told"]
    assert shown["rhys"]["profile_shared"]["not_told"]
