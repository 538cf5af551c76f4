"""Welcome and sign in, with the demo accounts. The first sign-in fills in what government holds."""

from __future__ import annotations

from kivy.factory import Factory

from ui.base import BaseScreen
from ui.i18n import _
from ui.screen_rules import demo_accounts, sign_in
from ui.widgets import plain_message


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
            errors.append(("username", _("Enter your username")))
        if not password:
            errors.append(("password", _("Enter your password")))
        if self.show_errors(errors):
            return
        app = self.app
        if app.portal is None:
            self.show_errors([("", _("The app is still starting. Try again in a moment."))])
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
