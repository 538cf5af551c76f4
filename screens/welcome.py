"""The first screen a citizen sees."""

from kivy.uix.screenmanager import Screen


class WelcomeScreen(Screen):
    pass
