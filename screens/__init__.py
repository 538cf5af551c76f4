# Before any Kivy import: on Android, Kivy must be given the screen's true density (screens/phone.py).
from screens.phone import use_true_density

use_true_density()
