"""What every screen is built from: widgets, theme, keyboard, read aloud, screen-reader bridge, Kivy-free rules."""

# Before any Kivy import: on Android, Kivy must be given the screen's true density (ui/phone.py).
from ui.phone import use_true_density

use_true_density()
