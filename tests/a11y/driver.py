"""Drives the real app the way a screen reader does: through AT-SPI (pyatspi), nothing else.

Runs under Debian's /usr/bin/python3 (python3-pyatspi is a Debian package, not in the venv), inside
scripts/with-a11y-bus, as:

    driver.py SCENARIO RESULTS.json APP_PYTHON HOME API_URL

It starts ``APP_PYTHON main.py --home HOME --api API_URL`` (headless Kivy) itself, runs the scenario,
writes what it found to RESULTS.json and ends the app in ``finally``. Scenarios: first_screen, journey,
switching. The screen-specific words are in steps.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyatspi
from gi.repository import GLib

sys.path.insert(0, str(Path(__file__).parent))
import steps

ROOT = Path(__file__).resolve().parents[2]
FRAME = "Tell Us Once"
ALERT_ROLES = ("notification", "alert")  # an ALERT is AT-SPI's notification (Core-AAM's mapping of role=alert)
STATUS_ROLES = ("status bar", "status")  # and its STATUS role (a live region) to status bar
announcements: list[tuple[float, str, str]] = []  # (time, politeness, text)
state_changes: list[tuple[str, str, int]] = []  # (state, the node's name, 1 on or 0 off), as Orca hears them
typed: list[tuple[str, str]] = []  # (the box's name, the text inserted), as Orca echoes typing
DISPLAY = {"name": "", "pid": 0}  # the Xvfb display the app runs on, and the app's process


def on_announcement(event) -> None:
    text = str(event.any_data or "")
    politeness = {1: "polite", 2: "assertive"}.get(event.detail1, str(event.detail1))
    announcements.append((time.monotonic(), politeness, text))


def source_name(event) -> str:
    try:
        return event.source.name or ""
    except Exception:  # the node gone already
        return ""


def on_state_change(event) -> None:
    state_changes.append((event.type.split(":")[-1], source_name(event), event.detail1))


def on_text_inserted(event) -> None:
    typed.append((source_name(event), str(event.any_data or "")))


def pump(seconds: float = 0.0) -> None:
    """Let AT-SPI's events in (they arrive through GLib's main loop)."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= end:
            return
        time.sleep(0.02)


def find_app(pid: int, timeout: float = 30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == pid:
                    app.clear_cache()  # seen before its window was there: look again
                    if app.childCount > 0:
                        return app
            except Exception:  # an application going away while we look
                continue
        pump(0.2)
    raise AssertionError("the app never appeared on the accessibility bus")


def states_of(node) -> list[str]:
    return sorted(pyatspi.stateToString(s) for s in node.getState().getStates())


def everything(app) -> list[dict]:
    """Every node under the app's window, read fresh (no stale cache)."""
    app.clear_cache()
    out = []

    def walk(node, depth: int) -> None:
        for child in node:
            if child is None:
                continue
            out.append({"role": child.getRoleName(), "name": child.name or "", "description": child.description or "",
                        "states": states_of(child), "depth": depth, "node": child})
            walk(child, depth + 1)

    walk(app, 0)
    return out


def plain(nodes: list[dict]) -> list[dict]:
    return [{k: v for k, v in n.items() if k != "node"} for n in nodes]


def wait_for(app, predicate, timeout: float = 30.0, what: str = "") -> list[dict]:
    end = time.monotonic() + timeout
    nodes: list[dict] = []
    while time.monotonic() < end:
        pump(0.1)
        try:
            nodes = everything(app)
        except Exception:  # the tree changing under us: look again
            continue
        if predicate(nodes):
            return nodes
    seen = [(n["role"], n["name"], *([n["states"]] if n["role"] in ("check box", "radio button") else []))
            for n in nodes]
    raise AssertionError(f"timed out waiting for {what}; the tree was: {seen}")


def wait_for_settled(app, predicate, timeout: float = 30.0, what: str = "") -> list[dict]:
    """As wait_for, and the tree read the same twice in a row: a list just built is laid out over the next
    frames (a row of no height yet is not shown), so the first read may hold only some of its rows."""
    seen: list = []

    def settled(nodes: list[dict]) -> bool:
        now = [(n["role"], n["name"]) for n in nodes]
        same, seen[:] = now == seen, now
        return same and predicate(nodes)

    return wait_for(app, settled, timeout, what)


def has(role: str, name: str, exact: bool = True):
    def check(nodes):
        return any(n["role"] == role and (n["name"] == name if exact else name in n["name"]) for n in nodes)
    return check


def node(nodes: list[dict], role: str, name: str, exact: bool = True):
    for n in nodes:
        if n["role"] == role and (n["name"] == name if exact else n["name"].startswith(name)):
            return n
    raise AssertionError(f"no {role} named {name!r} in {[(n['role'], n['name']) for n in nodes]}")


def press(app, role: str, name: str, exact: bool = True, timeout: float = 30.0) -> None:
    """Find a control by role and name and do its first action (AT-SPI Action, as Orca's Enter does)."""
    nodes = wait_for(app, lambda ns: any(n["role"] == role and (n["name"] == name if exact else
                                                                 n["name"].startswith(name)) for n in ns),
                     timeout, f"{role} {name!r}")
    target = node(nodes, role, name, exact)["node"]
    assert target.queryAction().doAction(0), f"{role} {name!r} refused its action"


def tick(app, wanted, what: str, tries: int = 3) -> list[dict]:
    """Tick exactly the check boxes ``wanted(name)`` says, by AT-SPI actions, and wait until they read so.
    A box is clicked again if it still reads wrong after a while, as a person would: a screen rebuilt
    between reading it and clicking (a catalogue arriving late) gives new boxes, and a click on the old
    one goes nowhere."""
    for attempt in range(tries):
        nodes = everything(app)
        for box in (n for n in nodes if n["role"] == "check box"):
            if ("checked" in box["states"]) != wanted(box["name"]):
                box["node"].queryAction().doAction(0)
        try:
            return wait_for(app, lambda ns: all(("checked" in n["states"]) == wanted(n["name"])
                                                for n in ns if n["role"] == "check box"),
                            timeout=10 if attempt < tries - 1 else 30, what=what)
        except AssertionError:
            if attempt == tries - 1:
                raise
    raise AssertionError(what)


def stop_process(process: subprocess.Popen, patience: float) -> None:
    """SIGTERM, and SIGKILL if it has not ended within ``patience`` seconds: nothing left running."""
    process.terminate()
    try:
        process.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_display() -> tuple[subprocess.Popen | None, str]:
    """Xvfb, so that keys can be typed into the app (xdotool) as a person types; none without it."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        return None, ""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as display:
        number = display.readline().strip()
    return server, f":{number}"


def start_app(app_python: str, home: str, api: str, display: str) -> subprocess.Popen:
    video = {"SDL_VIDEODRIVER": "x11", "DISPLAY": display} if display else {"SDL_VIDEODRIVER": "offscreen"}
    env = {**os.environ, **video, "PORTAL_ACCESSIBILITY": "on", "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "PYTHON",
           "KIVY_METRICS_DENSITY": "1", "KIVY_NO_CONSOLELOG": "1", "KIVY_HOME": str(Path(home).parent / "kivy")}
    log = open(Path(home).parent / "app.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([app_python, str(ROOT / "main.py"), "--home", home, "--api", api], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def type_into(app, role: str, name: str, text: str) -> None:
    """Focus the box through AT-SPI, then type with the keyboard (xdotool into the app's X window)."""
    assert DISPLAY["name"], "typing needs Xvfb and xdotool (scripts/system-packages)"
    node(everything(app), role, name)["node"].queryComponent().grabFocus()
    wait_for(app, lambda ns: "focused" in node(ns, role, name)["states"], what=f"{name} focused")
    env = {**os.environ, "DISPLAY": DISPLAY["name"]}
    window = subprocess.run(["xdotool", "search", "--sync", "--pid", str(DISPLAY["pid"])], env=env, check=True,
                            capture_output=True, text=True, timeout=20).stdout.split()[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True, timeout=20)
    subprocess.run(["xdotool", "type", "--delay", "40", text], env=env, check=True, timeout=60)


def new_address(app, results: dict) -> None:
    """Issue 11's step: the postcode typed, the first address found chosen, Continue."""
    type_into(app, "entry", steps.POSTCODE_FIELD, steps.NEW_POSTCODE)
    nodes = wait_for(app, lambda ns: text_of(node(ns, "entry", steps.POSTCODE_FIELD)["node"]).upper().replace(" ", "")
                     == steps.NEW_POSTCODE.replace(" ", ""), what="the postcode typed")
    results["postcode_typed"] = text_of(node(nodes, "entry", steps.POSTCODE_FIELD)["node"])
    press(app, "push button", steps.FIND_ADDRESS)
    nodes = wait_for(app, lambda ns: any(n["role"] == "radio button" for n in ns), what="the addresses found")
    first = next(n for n in nodes if n["role"] == "radio button")
    results["address_chosen"] = first["name"]
    first["node"].queryAction().doAction(0)
    wait_for(app, lambda ns: "checked" in node(ns, "radio button", first["name"])["states"], what="the address chosen")
    press(app, "push button", steps.CONTINUE)


def after_what_changed(app, results: dict) -> None:
    """Continue from "What has changed?", through the new-address step where there is one."""
    press(app, "push button", steps.CONTINUE)
    nodes = wait_for(app, lambda ns: any(n["role"] == "check box" for n in ns) or
                     has("heading", steps.NEW_ADDRESS_HEADING)(ns), what="the next screen after What has changed")
    if has("heading", steps.NEW_ADDRESS_HEADING)(nodes):
        new_address(app, results)


def set_screen_reader(on: bool) -> None:
    subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
                    "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status", "string:IsEnabled",
                    f"variant:boolean:{'true' if on else 'false'}"], check=True, timeout=10, stdout=subprocess.DEVNULL)


# -- scenarios


def first_screen(app, results: dict) -> None:
    nodes = wait_for(app, has("push button", steps.SIGN_IN), what="the sign-in button")
    results["first_screen"] = plain(nodes)
    press(app, "push button", steps.SIGN_IN)
    nodes = wait_for(app, lambda ns: any(n["role"] in ALERT_ROLES for n in ns), what="the error summary")
    results["after_empty_sign_in"] = plain(nodes)
    end = time.monotonic() + 10
    while time.monotonic() < end and not any(steps.SIGN_IN_ERROR in a[2] for a in announcements):
        pump(0.1)
    results["announcements"] = [a[1:] for a in announcements]
    sign_in_button = node(everything(app), "push button", steps.SIGN_IN)["node"]
    extents = sign_in_button.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    results["sign_in_extents"] = [extents.x, extents.y, extents.width, extents.height]
    # focus by the screen reader's request (AT-SPI Component.grabFocus, the bridge's FOCUS action)
    node(everything(app), "entry", "Username")["node"].queryComponent().grabFocus()
    nodes = wait_for(app, lambda ns: "focused" in node(ns, "entry", "Username")["states"], what="Username focused")
    results["focused_after_grab"] = [n["name"] for n in nodes if "focused" in n["states"]]


def semantics_of(nodes: list[dict]) -> list[dict]:
    """Headings with their AT-SPI attributes (the level), and every entry's role and states."""
    out = []
    for n in nodes:
        if n["role"] in ("heading", "entry", "password text"):
            attributes = dict(a.split(":", 1) for a in n["node"].getAttributes() if ":" in a)
            out.append({"role": n["role"], "name": n["name"], "description": n["description"],
                        "states": n["states"], "attributes": attributes})
    return out


def semantics(app, results: dict) -> None:
    """What Orca learns beyond names and roles: heading levels, required, invalid and protected boxes,
    polite and assertive announcements."""
    nodes = wait_for(app, has("push button", steps.SIGN_IN), what="the sign-in button")
    results["before"] = semantics_of(nodes)
    press(app, "push button", steps.SIGN_IN)
    wait_for(app, lambda ns: any(n["role"] in ALERT_ROLES for n in ns), what="the error summary")
    nodes = wait_for(app, lambda ns: "invalid entry" in node(ns, "entry", "Username")["states"], timeout=10,
                     what="Username marked invalid")
    results["after_error"] = semantics_of(nodes)
    type_into(app, "password text", "Password", steps.A_PASSWORD)
    wait_for(app, lambda ns: len(text_of(node(ns, "password text", "Password")["node"])) == len(steps.A_PASSWORD),
             what="the password typed")
    results["password_text"] = text_of(node(everything(app), "password text", "Password")["node"])
    sign_in(app, results)
    nodes = wait_for(app, lambda ns: not has("push button", steps.SIGN_IN)(ns), what="the sign-in screen gone")
    results["home"] = semantics_of(nodes)
    pump(1.0)
    results["announcements"] = [a[1:] for a in announcements]
    results["state_changes"] = state_changes
    results["typed"] = typed


def orca_said(log: Path) -> list[str]:
    """What Orca spoke, in order: its debug log's SPEECH OUTPUT lines (the log is complete once Orca ended)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return [m.group(1) for m in re.finditer(r"SPEECH OUTPUT: '(.*)'(?:\{.*\}|\s.*)?$", text, re.MULTILINE)
            if m.group(1).strip()]


def orca(app, results: dict) -> None:
    """Orca itself (Debian's orca, speaking into its debug log: no sound here) on the sign-in screen: what it
    says as focus moves into the boxes, before and after an empty sign-in."""
    log = Path(results["folder"]) / "orca.log"
    env = {**os.environ, "DISPLAY": DISPLAY["name"]}
    reader = subprocess.Popen(["orca", "--replace", "--disable", "braille", "--debug-file", str(log)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(app, has("push button", steps.SIGN_IN), what="the sign-in button")
        end = time.monotonic() + 30
        while time.monotonic() < end and not orca_said(log):  # Orca's "Screen reader on."
            pump(0.2)
        pump(3.0)
        for label, role in (("Username", "entry"), ("Password", "password text")):
            node(everything(app), role, label)["node"].queryComponent().grabFocus()
            pump(2.0)
        press(app, "push button", steps.SIGN_IN)
        pump(3.0)
        node(everything(app), "entry", "Username")["node"].queryComponent().grabFocus()
        pump(2.0)
    finally:
        stop_process(reader, 15)
        results["orca_said"] = orca_said(log)


def sign_in(app, results: dict) -> None:
    press(app, "link", steps.DEMO_ACCOUNT_PREFIX, exact=False)
    nodes = wait_for(app, lambda ns: any(n["role"] == "entry" and n["name"] == "Username" and
                                         text_of(n["node"]) for n in ns), what="the username filled in")
    results["username_text"] = text_of(node(nodes, "entry", "Username")["node"])
    press(app, "push button", steps.SIGN_IN)
    wait_for(app, has("heading", steps.HOME_HEADING), timeout=60, what="the home screen")


def text_of(accessible) -> str:
    text = accessible.queryText()
    return text.getText(0, text.characterCount)


def tell_three(app, results: dict) -> list[str]:
    press(app, "push button", steps.TELL_A_CHANGE)
    press(app, "radio button", steps.MOVED_HOUSE)
    nodes = wait_for(app, lambda ns: "checked" in node(ns, "radio button", steps.MOVED_HOUSE)["states"],
                     what="the radio button checked")
    results["radio"] = plain([node(nodes, "radio button", steps.MOVED_HOUSE)])
    results["change_screen"] = plain(nodes)
    after_what_changed(app, results)
    nodes = wait_for_settled(app, lambda ns: sum(n["role"] == "check box" for n in ns) >= steps.SERVICES_TO_TELL,
                             what="the services' check boxes")
    boxes = [n for n in nodes if n["role"] == "check box"]
    results["boxes_offered"] = plain(boxes)
    chosen = [b["name"] for b in boxes[:steps.SERVICES_TO_TELL]]
    nodes = tick(app, lambda name: name in chosen, "exactly the three check boxes checked")
    results["boxes_chosen"] = plain([n for n in nodes if n["role"] == "check box"])
    press(app, "push button", steps.CONTINUE)
    for _screen in steps.EXTRA_CONTINUE_SCREENS:
        press(app, "push button", steps.CONTINUE)
    press(app, "push button", steps.AGREE, timeout=30)
    wait_for(app, has("heading", steps.PROGRESS_HEADING), what="the progress screen")
    return chosen


def delivered_services(nodes: list[dict]) -> list[str]:
    """Services read as delivered: a live status "<service>. DELIVERED." on Progress, or on the confirmation
    page a service's heading followed by its reference."""
    out = [n["name"].split(". ")[0] for n in nodes if n["role"] in STATUS_ROLES and steps.DELIVERED in n["name"]]
    for heading, after in itertools.pairwise(nodes):
        if heading["role"] == "heading" and after["name"].startswith(steps.REFERENCE_PREFIX):
            out.append(heading["name"])
    return out


def journey(app, results: dict) -> None:
    first_screen(app, results)
    sign_in(app, results)
    chosen = tell_three(app, results)
    results["chosen"] = chosen

    def delivered(ns):
        return set(delivered_services(ns)) >= set(chosen)

    nodes = wait_for(app, delivered, timeout=90, what="three deliveries read as delivered")
    results["progress"] = plain(nodes)
    results["delivered"] = delivered_services(nodes)
    pump(1.0)
    results["announcements"] = [a[1:] for a in announcements]


def death(app, results: dict) -> None:
    """Issue 14's journey by accessibility actions alone (and typing into focused boxes): the reference,
    the register's answer confirmed, a number from their documents, the relationship, Who to tell with
    nothing ticked in advance, Agree and send, read back as delivered."""
    sign_in(app, results)
    press(app, "push button", steps.SOMEONE_HAS_DIED)
    wait_for(app, has("entry", steps.REGISTRATION_FIELD), what="the registration reference box")
    type_into(app, "entry", steps.REGISTRATION_FIELD, steps.REGISTRATION_AS_TYPED)
    wait_for(app, lambda ns: text_of(node(ns, "entry", steps.REGISTRATION_FIELD)["node"]).replace(" ", "").upper()
             == steps.REGISTRATION_AS_TYPED.replace(" ", "").upper(), what="the reference typed")
    press(app, "push button", steps.CONTINUE)
    nodes = wait_for(app, has("push button", steps.RIGHT_PERSON), timeout=30, what="the register's answer")
    results["register_read"] = [n["name"] for n in nodes if steps.REGISTER_HOLDS in n["name"]]
    press(app, "push button", steps.RIGHT_PERSON)
    # Their numbers are hidden as they are typed (a protected box, with Show beside it), as a password is.
    wait_for(app, has("password text", steps.NINO_FIELD), what="their numbers")
    type_into(app, "password text", steps.NINO_FIELD, steps.DECEASED_NINO)
    pump(1.0)
    press(app, "push button", steps.CONTINUE)
    press(app, "radio button", steps.RELATIONSHIP)
    wait_for(app, lambda ns: "checked" in node(ns, "radio button", steps.RELATIONSHIP)["states"],
             what="the relationship chosen")
    press(app, "push button", steps.CONTINUE)
    nodes = wait_for_settled(app, lambda ns: any(n["role"] == "check box" for n in ns), what="who to tell")
    boxes = [n for n in nodes if n["role"] == "check box"]
    results["boxes_offered"] = plain(boxes)
    chosen = [b["name"] for b in boxes if "enabled" in b["states"] or "sensitive" in b["states"]]
    tick(app, lambda name: name in chosen, "the chosen services checked")
    results["chosen"] = chosen
    press(app, "push button", steps.CONTINUE)
    press(app, "push button", steps.AGREE, timeout=30)

    def told(ns) -> list[str]:  # the death's progress page says each service's state as "<service>. TOLD."
        return [n["name"].split(". ")[0] for n in ns if n["role"] in STATUS_ROLES and
                n["name"].endswith(f"{steps.TOLD}.")]

    nodes = wait_for(app, lambda ns: set(told(ns)) >= set(chosen), timeout=90,
                     what="every chosen service read as told")
    results["delivered"] = told(nodes)
    results["after"] = [n["name"] for n in nodes if n["role"] in STATUS_ROLES]


def switching(app, results: dict, pid: int) -> None:
    """Sign in, tell every service (a sync that keeps the UI busy), and switch the screen reader off and on
    again and again meanwhile; then the app must still answer through AT-SPI."""
    sign_in(app, results)
    press(app, "push button", steps.TELL_A_CHANGE)
    press(app, "radio button", steps.MOVED_HOUSE)
    after_what_changed(app, results)
    wait_for(app, lambda ns: any(n["role"] == "check box" for n in ns), what="the check boxes")
    tick(app, lambda _name: True, "every check box checked")  # every service: the longest sync there is
    for _screen in ("who_to_tell", *steps.EXTRA_CONTINUE_SCREENS):
        press(app, "push button", steps.CONTINUE)
    press(app, "push button", steps.AGREE)
    rng = random.Random(13)
    toggles = int(os.environ.get("A11Y_TOGGLES", "40"))
    started = time.monotonic()
    for _ in range(toggles):
        set_screen_reader(False)
        time.sleep(rng.uniform(0.0, 0.15))
        set_screen_reader(True)
        time.sleep(rng.uniform(0.0, 0.15))
    results["toggles"] = toggles
    results["toggle_seconds"] = round(time.monotonic() - started, 2)
    results["stage"] = "switched: waiting for the tree to come back"
    back = time.monotonic()
    app = find_app(pid, timeout=30)
    shown = (has("heading", steps.PROGRESS_HEADING), has("heading", steps.CONFIRMATION_HEADING))
    wait_for(app, lambda ns: any(check(ns) for check in shown), timeout=30,
             what="progress or the confirmation after switching")
    results["tree_back_s"] = round(time.monotonic() - back, 2)
    press(app, "link", steps.BACK_TO_ACCOUNT)
    wait_for(app, has("heading", steps.HOME_HEADING), timeout=30, what="home after the switching")
    results["answered"] = True


def main() -> int:
    scenario, out, app_python, home, api = sys.argv[1:6]
    results: dict = {"scenario": scenario, "ok": False}
    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    pyatspi.Registry.registerEventListener(on_state_change, "object:state-changed:invalid-entry",
                                           "object:state-changed:focused")
    pyatspi.Registry.registerEventListener(on_text_inserted, "object:text-changed:insert")
    display_server, display = start_display()
    process = start_app(app_python, home, api, display)
    DISPLAY.update(name=display, pid=process.pid)
    results["display"] = display or "offscreen"
    try:
        started = time.monotonic()
        app = find_app(process.pid)
        results["appeared_s"] = round(time.monotonic() - started, 2)
        if scenario == "first_screen":
            first_screen(app, results)
        elif scenario == "journey":
            journey(app, results)
        elif scenario == "orca":
            results["folder"] = str(Path(out).parent)
            orca(app, results)
        elif scenario == "semantics":
            semantics(app, results)
        elif scenario == "death":
            death(app, results)
        elif scenario == "switching":
            switching(app, results, process.pid)
        else:
            raise SystemExit(f"unknown scenario {scenario}")
        results["ok"] = True
    except AssertionError as error:
        results["error"] = str(error)[-4000:]
    finally:
        results["app_alive_at_end"] = process.poll() is None
        stop_process(process, 20)
        if display_server is not None:
            display_server.terminate()
            display_server.wait(timeout=20)
        Path(out).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
