"""Driving the real app headless, step by step, inside its own Kivy loop (imported by the child scripts).

A scenario is a generator: it does something to the app, then yields either
seconds to wait or a condition (a callable) to wait for. What it finds goes in
``results``, written as JSON when it ends, however it ends.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from kivy.clock import Clock

Step = float | Callable[[], bool]


class Timeout(AssertionError):
    pass


def drive(app, scenario: Callable[[Any, dict], Generator[Step, None, None]], results_path: str,
          limit: float = 60.0) -> None:
    """Run ``scenario(app, results)`` once the app has started; stop the app when it ends."""
    results: dict[str, Any] = {"ok": False}
    steps = scenario(app, results)
    state = {"waiting": None, "until": 0.0}

    def finish(error: BaseException | None = None) -> None:
        if error is not None:
            results["error"] = "".join(traceback.format_exception(error))[-3000:]
        else:
            results["ok"] = True
        Path(results_path).write_text(json.dumps(results, indent=2, default=str))
        app.stop()

    def tick(_dt: float) -> None:
        now = time.monotonic()
        waiting = state["waiting"]
        if callable(waiting):
            try:
                ready = waiting()
            except Exception:
                ready = False
            if not ready:
                if now > state["until"]:
                    finish(Timeout(f"timed out waiting for {getattr(waiting, '__doc__', None) or waiting}"))
                    return
                Clock.schedule_once(tick, 0.05)
                return
        elif waiting is not None and now < state["until"]:
            Clock.schedule_once(tick, max(state["until"] - now, 0))
            return
        try:
            step = next(steps)
        except StopIteration:
            finish()
            return
        except BaseException as error:
            finish(error)
            return
        state["waiting"] = step
        state["until"] = now + (limit if callable(step) else float(step))
        Clock.schedule_once(tick, 0)

    Clock.schedule_once(tick, 0.2)


def results_path() -> str:
    return sys.argv[1]


def find(root, cls_name: str | None = None, text: str | None = None):
    """The first widget under ``root`` with that class name and/or text."""
    for widget in root.walk(restrict=True):
        if cls_name and type(widget).__name__ != cls_name:
            continue
        if text is not None and getattr(widget, "text", None) != text:
            continue
        return widget
    raise LookupError(f"no {cls_name or 'widget'} with text {text!r}")


def press(widget) -> None:
    """What a tap does: press then release (ButtonBehavior's own simulation, toggles included)."""
    widget.trigger_action(duration=0)


def tell_through_screens(app, event: str, keep: set[str], results: dict | None = None,
                         postcode: str = "LS7 3QB", pick: int = 0):
    """Steps: choose ``event`` on 'Tell us about a change' (for a move, find ``postcode`` and choose its
    ``pick``-th address), tick only ``keep`` on 'Who to tell', reach 'Check'.

    A scenario runs it with ``yield from``; with ``results`` it notes who was offered, who was not told
    and whether anything was ticked before the citizen ticked it.
    """
    manager = app.root
    app.go("change")
    change = manager.get_screen("change")
    for choice in change.ids.choices.children:
        if choice.value == event:
            press(choice)
    press(primary(change))
    yield lambda: manager.current in ("who_to_tell", "address")
    if manager.current == "address":
        yield from choose_address(app, postcode, pick)
    who = manager.get_screen("who_to_tell")
    if results is not None:
        results["offered"] = sorted(c.value for c in who.ids.told.children if hasattr(c, "value"))
        results["not_told"] = [c.children[-1].text for c in who.ids.not_told.children]
        results["ticked_before_citizen"] = [c.value for c in who.ids.told.children
                                            if hasattr(c, "value") and c.chosen]
    for choice in who.ids.told.children:
        if hasattr(choice, "value") and (choice.value in keep) != choice.chosen:
            press(choice)
    press(primary(who))
    yield lambda: manager.current == "check"


def choose_address(app, postcode: str, pick: int = 0):
    """Steps on 'What is your new address?': type the postcode, Find address, choose one, Continue."""
    manager = app.root
    address = manager.get_screen("address")
    address.ids.postcode.text = postcode
    press(address.ids.find)
    yield lambda: bool(address.ids.found.children)
    choices = address.ids.found.children[::-1]
    press(choices[pick])
    press(primary(address))
    yield lambda: manager.current == "who_to_tell"


def primary(screen):
    """The screen's first PrimaryButton (Continue, in any language)."""
    return next(w for w in screen.walk(restrict=True) if type(w).__name__ == "PrimaryButton")


def amira_portal(home, api_url: str, backend=None):
    """A Portal with Amira signed in (memory secrets unless a backend is given) and her details prefilled."""
    from portal.core import Portal
    from portal.prefill import prefill_from_government
    from portal.secrets import MemoryBackend

    portal = Portal(home, api_url, secret_backend=backend or MemoryBackend())
    portal.session.sign_in("amira", "amira-demo-1")
    prefill_from_government(portal)
    return portal


@contextlib.contextmanager
def amira_and_mock(**mock_options) -> Iterator[tuple[Any, Any]]:
    """(portal, mock): a real mock in a temporary folder, and a Portal on it with Amira signed in and
    prefilled; both gone when the block ends."""
    from services.mock.server import MockServer

    with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock", **mock_options) as mock:
        yield amira_portal(Path(folder) / "home", mock.url), mock


def run(app, scenario: Callable[[Any, dict], Generator[Step, None, None]], limit: float = 30.0) -> None:
    """Drive ``scenario`` on ``app`` (its results to the file the test named), and run the app until it ends."""
    drive(app, scenario, results_path(), limit=limit)
    app.run()


def home_ready(app) -> Callable[[], bool]:
    """A step: Home shows, the data folder is open and nothing is being worked on."""
    return lambda: app.root.current == "home" and app.portal is not None and not app.busy


def go(app, name: str, wait: float = 0.3):
    """Steps: show the screen ``name`` and let it draw; returns the screen (``screen = yield from go(...)``)."""
    app.go(name)
    yield wait
    return app.root.get_screen(name)


def wrong_then_right(app, screen, box, button, wrong: str, right: str, then: str):
    """Steps: ``wrong`` typed in ``box`` and ``button`` pressed until the error summary shows, then ``right``
    until the screen ``then`` shows; returns the error the box showed for ``wrong``."""
    box.text = wrong
    press(button)
    yield lambda: bool(screen.ids.summary.errors)
    error = box.error
    box.text = right
    press(button)
    yield lambda: app.root.current == then
    return error
