"""`python main.py tour --out DIR [--size phone|desktop] [--lang cy] [--text-size 2] [--theme high_contrast]`:
every screen as a PNG, headless, in that language, text size and theme (saved as the citizen's own
preferences, so the app applies them at start exactly as it would for them).

The tour builds a realistic demo in a fresh temporary data folder against the
government endpoints it is given (main.py passes an embedded mock): Amira signs
in (a memory secret store, never the desktop keyring), her details are filled
from what government holds, and one change of address goes to three services:
the council takes it (delivered), the DVLA is down (waiting, with the time of
the next try) and HMRC refuses it (needs attention, in HMRC's words); a second
tell to DWP and the NHS is delivered (the confirmation's references). Then the
app opens on that data folder and each screen is saved as ``<screen>.png``.
Long numbers appear masked in every picture.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
PERSONA = ("amira", "amira-demo-1")
# Her move in the tour: from the address government holds to one the mock's address finder knows.
NEW_ADDRESS = {"line1": "5 Chapel Allerton Lane", "town": "Leeds", "postcode": "LS7 3QB", "country": "GB"}
HMRC_WORDS = "Your National Insurance number does not match our records. Check it and send it again."
OnScreen = Callable[[str, object], None]


def headless_environment() -> None:
    """SDL's offscreen driver and 1 px per dp, set before Kivy is imported."""
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ["KIVY_METRICS_DENSITY"] = "1"


def build_demo(home: Path, api_url: str, admin_key: str | None = None):
    """A signed-in portal with one delivered, one waiting and one needing attention. Returns the Portal."""
    import requests

    from portal.core import Portal
    from portal.prefill import accept_prefill, fetch_government_details
    from portal.secrets import MemoryBackend
    from portal.telling import commit_tell, plan_tell

    portal = Portal(home, api_url, secret_backend=MemoryBackend())
    portal.session.sign_in(*PERSONA)
    held = fetch_government_details(portal)
    accept_prefill(portal.store, held, held.offered)
    portal.store.save_profile({**portal.store.current_profile().person, "address": NEW_ADDRESS})
    admin = api_url.rstrip("/") + "/admin/faults/"
    key = {"Authorization": f"Bearer {admin_key}"}  # the mock's facilitator key (CONTRACT section 5)
    requests.put(admin + "dvla", json={"down": True, "retry_after": 900}, headers=key, timeout=10).raise_for_status()
    requests.put(admin + "hmrc", json={"reject_with": HMRC_WORDS}, headers=key, timeout=10).raise_for_status()
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address",
                     ["council", "dvla", "hmrc"], dt.date.today() - dt.timedelta(days=3))
    commit_tell(portal.store, plan)
    portal.courier.sync()
    requests.delete(api_url.rstrip("/") + "/admin/faults", headers=key, timeout=10)
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address", ["dwp", "nhs"],
                     dt.date.today() - dt.timedelta(days=3))
    commit_tell(portal.store, plan)
    portal.courier.sync(until_idle=True, timeout=30)
    return portal


def stage(app, name: str) -> None:
    """Put the app on one screen, in the state the tour shows."""
    from portal.telling import plan_tell

    effective = dt.date.today() - dt.timedelta(days=3)
    if name.startswith("death_"):
        from tools.death_tour import stage_death

        stage_death(app, name)
        return
    if name == "change":
        screen = app.root.get_screen("change")
        app.go("change")
        for choice in screen.ids.choices.children:
            if choice.value == "change_of_address":
                choice.state = "down"
        screen.ids.when.set_iso(effective.isoformat())
        return
    versions = app.portal.store.profile_versions()
    old = next((v.person["address"] for v in reversed(versions) if v.person.get("address") != NEW_ADDRESS), None)
    moving = {"event": "change_of_address", "effective_date": effective.isoformat(), "old_address": old,
              "new_address": NEW_ADDRESS, "changes": [("address", old, NEW_ADDRESS)]}
    if name == "address":
        app.draft = {"event": "change_of_address", "effective_date": effective.isoformat()}
        app.go("address")
        screen = app.root.get_screen("address")
        screen.ids.postcode.text = NEW_ADDRESS["postcode"]
        screen.find()
        return
    if name == "who_to_tell":
        app.draft = dict(moving, services=[])  # nothing ticked for her
    if name == "check":
        app.draft = dict(moving, services=["hmrc", "council"])
        app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "change_of_address",
                             ["hmrc", "council"], effective)
    if name == "confirmation":
        latest = app.snapshot.deliveries[-1].tell_id
        app.tell_ids = [row.id for row in app.snapshot.deliveries if row.tell_id == latest]
    if name == "welcome":
        app.root.get_screen("welcome").ids.username.text = PERSONA[0]
    app.go(name)


def run_tour(out: Path, size: str, api_url: str, on_screen: OnScreen | None = None, language: str = "en",
             text_size: float = 1.0, theme: str = "standard", admin_key: str | None = None) -> int:
    headless_environment()
    from kivy.clock import Clock
    from kivy.core.window import Window

    from app.portal_app import TellUsOnceApp
    from ui.screen_rules import SCREENS

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="tour-home-"))
    portal = build_demo(home, api_url, admin_key)
    for key, value in (("language", language), ("text_size", text_size), ("theme", theme)):
        portal.store.set_setting(key, value)
    Window.size = SIZES[size]
    failures: list[str] = []

    class Tour(TellUsOnceApp):
        def _portal_opened(self, snapshot) -> None:
            super()._portal_opened(snapshot)
            self.queue = list(SCREENS)
            Clock.schedule_once(self.next_screen, 0.3)

        def next_screen(self, _dt) -> None:
            if not self.queue:
                self.stop()
                return
            name = self.queue.pop(0)
            try:
                stage(self, name)
            except Exception as error:  # a screen that cannot be staged is named, and the tour goes on
                failures.append(f"{name}: {type(error).__name__}: {error}")
            Clock.schedule_once(lambda _dt: self.wait_then_shoot(name), 0.1)

        def wait_then_shoot(self, name: str) -> None:
            if self.busy:
                Clock.schedule_once(lambda _dt: self.wait_then_shoot(name), 0.1)
                return
            Clock.schedule_once(lambda _dt: self.shoot(name), 0.25)

        def shoot(self, name: str) -> None:
            self.root.export_to_png(str(out / f"{name}.png"))
            if on_screen is not None:
                on_screen(name, self)
            Clock.schedule_once(self.next_screen, 0)

    try:
        Tour(portal=portal, start_courier=False, export_dir=home / "exports").run()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for failure in failures:
        print(f"error: could not show {failure}")
    return 1 if failures else 0
