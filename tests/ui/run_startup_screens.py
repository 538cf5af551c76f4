"""Child process: Settings from every screen, research mode and the endpoints, the wheel, the banners,
Read aloud with no sound, and Start again, on the real app headless; screenshots of each.

    run_startup_screens.py RESULTS.json SCREENSHOTS_DIR
"""

import sys
import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.secrets import MemoryBackend
from services.mock.server import MockServer
from tests.ui.harness import find, press, run, tell_through_screens
from ui import read_aloud

Window.size = (360, 740)
SHOTS = Path(sys.argv[2])
SHOTS.mkdir(parents=True, exist_ok=True)
read_aloud.speaker = read_aloud.Speaker(read_aloud.espeak_engine)  # the real engine, on a machine with no sound


def shot(app, name: str) -> None:
    app.root.export_to_png(str(SHOTS / f"{name}.png"))


def wheel(page, button: str) -> float:
    """One mouse-wheel notch over the page, through the window's own input path; pixels moved."""
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch

    scroll = page.scroll
    travel = max(scroll.children[0].height - scroll.height, 1)
    before = scroll.scroll_y * travel
    x, y = scroll.to_window(scroll.center_x, scroll.center_y)
    touch = UnitTestTouch(x, y)
    touch.profile.append("button")
    touch.button = button
    EventLoop.post_dispatch_input("begin", touch)
    EventLoop.post_dispatch_input("end", touch)
    return lambda: abs(scroll.scroll_y * travel - before)


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "welcome" and app.portal is not None and not app.busy
    mock_url = app.portal.api_url
    results["research_mode_at_start"] = app.research_mode
    results["watching_at_start"] = app.demo is not None

    # Settings before sign-in, from the header; back returns to the welcome screen.
    welcome = manager.get_screen("welcome")
    press(welcome.ids.page.settings_link)
    yield 0.3
    settings = manager.get_screen("settings")
    results["from_welcome"] = manager.current
    results["back_to"] = settings.ids.page.back
    field = settings.ids.api_url
    results["field_hidden"] = field.opacity == 0 and field.disabled
    shot(app, "settings-before-sign-in-research-off")

    # Research mode: the field shows, empty (never the built-in mock's random port).
    press(settings.ids.research)
    yield 0.3
    results["field_shown"] = field.opacity == 1 and not field.disabled
    results["field_text"] = field.text
    results["mock_url"] = mock_url
    results["watching_in_research_mode"] = app.demo is not None
    results["research_said"] = settings.ids.done.text
    settings.ids.page.scroll.scroll_to(field, padding=200, animate=False)
    yield 0.3
    shot(app, "settings-research-on")
    settings.ids.page.scroll_to_top()

    # Save another address: says what changed; then the built-in services again.
    other = app.other_mock_url
    field.text = other.replace("http://", "")
    press(find(settings, "SecondaryButton", "Save the address"))
    yield lambda: app.portal.api_url == other and not app.busy
    results["saved_said"] = settings.ids.done.text
    shot(app, "settings-saved-says-what-changed")
    press(find(settings, "SecondaryButton", "Use the built-in test services"))
    yield lambda: app.portal.api_url == mock_url and not app.busy
    results["built_in_said"] = settings.ids.done.text
    results["saved_setting"] = app.portal.store.get_setting("api_url")
    press(settings.ids.research)  # research mode off again: nothing watched
    yield 0.3
    results["watching_after_off"] = app.demo is not None
    results["field_hidden_again"] = field.opacity == 0
    press(find(settings.ids.page, "BackLink"))
    yield 0.2
    results["back_went_to"] = manager.current

    # Sign in, then Settings from every screen a citizen reaches, and back.
    welcome.ids.username.text, welcome.ids.password.text = "amira", "amira-demo-1"
    press(welcome.ids.sign_in)
    yield lambda: manager.current == "home" and app.snapshot.profile is not None and not app.busy
    reached = {}
    for name in ("home", "details", "change", "progress", "receipts"):
        app.go(name)
        yield 0.1
        press(manager.get_screen(name).ids.page.settings_link)
        yield 0.1
        reached[name] = [manager.current, settings.ids.page.back]
    yield from tell_through_screens(app, "change_of_address", {"council"})
    for name in ("check",):
        press(manager.get_screen(name).ids.page.settings_link)
        yield 0.1
        reached[name] = [manager.current, settings.ids.page.back]
        press(find(settings.ids.page, "BackLink"))
        yield 0.1
        reached[name].append(manager.current)
    results["reached"] = reached

    # One wheel notch on a long page.
    app.go("details")
    yield 0.5
    page = manager.get_screen("details").ids.page
    page.scroll.scroll_y = 0.5
    yield 0.2
    moved = wheel(page, "scrollup")
    yield 0.5
    results["wheel_px"] = moved()

    # The banners, in both themes.
    from ui.preferences import set_theme

    app.go("home")
    banner = manager.get_screen("home").ids.connection
    colours = {}
    for theme in ("standard", "high_contrast"):
        set_theme(theme)
        for online in (True, False):
            app.online = online
            yield 0.3
            colours[f"{theme}-{'online' if online else 'offline'}"] = [banner.tone]
            name = f"home-banner-{'online' if online else 'offline'}-{theme.replace('_', '-')}"
            shot(app, name)
            x, y = banner.to_window(banner.x + 3, banner.top - 3)
            colours[f"{theme}-{'online' if online else 'offline'}"] += [name, int(x), int(Window.height - y)]
    set_theme("standard")
    app.online = True
    results["banners"] = colours

    # Read aloud with no sound device: the screen says so.
    home_page = manager.get_screen("home").ids.page
    press(home_page.read_link)
    yield 0.5
    yield lambda: not read_aloud.speaker.speaking  # espeak-ng has finished, or given up
    yield 0.5
    notice = next((w for w in home_page.walk(restrict=True) if type(w).__name__ == "Notice"), None)
    results["no_sound"] = notice.text if notice is not None else None
    shot(app, "read-aloud-no-sound")


def seal_broken_scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "welcome" and app.seal_broken and not app.busy
    yield 0.3
    welcome = manager.get_screen("welcome")
    results["summary"] = [message for _field, message in welcome.ids.summary.errors]
    results["start_again_shown"] = welcome.ids.start_again.opacity == 1
    shot(app, "start-again-offered")
    press(welcome.ids.start_again)
    yield lambda: not app.seal_broken and not app.busy and manager.current in ("details", "welcome")
    yield 0.3
    results["after"] = manager.current
    results["versions_left"] = len(app.portal.store.profile_versions())
    results["notice"] = welcome.ids.notice.text
    shot(app, "start-again-done")


mode = sys.argv[3] if len(sys.argv) > 3 else "settings"
with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock") as mock, \
        MockServer(data_dir=Path(folder) / "mock2") as other:
    backend = MemoryBackend()
    home = Path(folder) / "home"
    if mode == "settings":
        app = TellUsOnceApp(portal_factory=lambda url: Portal(home, url or mock.url, secret_backend=backend))
        app.other_mock_url = other.url
        run(app, scenario, limit=40)
    else:
        first = Portal(home, mock.url, secret_backend=backend)
        first.store.save_profile({"given_names": "Morgan", "family_name": "Pritchard"})
        first.close()
        backend.values.clear()  # the keyring wiped behind the app's back
        app = TellUsOnceApp(portal_factory=lambda url: Portal(home, url or mock.url, secret_backend=backend),
                            start_courier=False)
        run(app, seal_broken_scenario, limit=40)
