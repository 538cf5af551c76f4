"""Welcome and sign in, with the demo accounts. The first sign-in fills in what government holds."""

from __future__ import annotations

import json
from pathlib import Path

from kivy.factory import Factory

from portal.core import Portal
from portal.views import accept_prefill, fetch_held
from screens.base import BaseScreen
from screens.widgets import plain_message

PERSONAS = Path(__file__).resolve().parent.parent / "assets" / "personas" / "personas.json"


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts the mock knows (for research sessions): username, password and name."""
    try:
        data = json.loads(PERSONAS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [{"username": p["username"], "password": p["password"],
             "name": f"{p['person']['given_names']} {p['person']['family_name']}"} for p in data]


def sign_in(portal: Portal, username: str, password: str) -> None:
    """Network and keyring: sign in; on a first sign-in, fill the profile from what government holds."""
    portal.session.sign_in(username, password)
    portal.store.set_setting("online", True)
    if portal.store.current_profile() is None:
        held = fetch_held(portal)
        accept_prefill(portal.store, held, held.offered)


class WelcomeScreen(BaseScreen):
    def on_kv_post(self, _base) -> None:
        box = self.ids.accounts
        for account in demo_accounts():
            link = Factory.LinkButton(text=f"{account['name']}: {account['username']} / {account['password']}")
            link.bind(on_release=lambda _b, a=account: self.use_account(a))
            box.add_widget(link)

    def show_notice(self, text: str) -> None:
        self.ids.notice.text = text

    def use_account(self, account: dict[str, str]) -> None:
        self.ids.username.text = account["username"]
        self.ids.password.text = account["password"]

    def sign_in(self) -> None:
        username, password = self.ids.username.text.strip(), self.ids.password.text
        errors = []
        if not username:
            errors.append(("username", "Enter your username"))
        if not password:
            errors.append(("password", "Enter your password"))
        self.show_errors(errors)
        if errors:
            return
        app = self.app
        if app.portal is None:
            self.show_errors([("", "The app is still starting. Try again in a moment.")])
            return
        self.ids.sign_in.disabled = True
        app.work(lambda: sign_in(app.portal, username, password), self.signed_in, self.refused)

    def signed_in(self, _result) -> None:
        self.ids.sign_in.disabled = False
        self.ids.password.text = ""
        app = self.app
        app.retry_now()
        app.refresh(then=lambda: app.go("home"))

    def refused(self, error: BaseException) -> None:
        from portal.session import SignInRefused
        self.ids.sign_in.disabled = False
        self.show_errors([("password" if isinstance(error, SignInRefused) else "", plain_message(error))])


SCREEN = WelcomeScreen
