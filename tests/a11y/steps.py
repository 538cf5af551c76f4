"""The screen-specific words the screen-reader journey uses, in one place (English texts as shown).

When a screen changes (issue 11's move-house flow: a new-address step, a confirmation page), change the
steps here; the bridge itself has no per-screen code. Read by tests/a11y/driver.py under Debian's python3.
"""

SIGN_IN = "Sign in"
SIGN_IN_ERROR = "Enter your username"  # the message for an empty form, in the error summary and beside the field
DEMO_ACCOUNT_PREFIX = "Amira"  # the demo-account link that fills in the form
HOME_HEADING = "Your notifications"  # a heading only the home screen has
TELL_A_CHANGE = "Tell us about a change"
MOVED_HOUSE = "I moved house"
CONTINUE = "Continue"
SERVICES_TO_TELL = 3  # the first three services the check boxes offer
AGREE = "Agree and send"
PROGRESS_HEADING = "Progress"
DELIVERED = "DELIVERED"
BACK_TO_ACCOUNT = "Back to your account"

# Between Continue on "Who to tell" and "Agree and send": screens the journey passes with Continue alone
# (none today; e.g. a new-address step once issue 11 lands, after filling it in).
EXTRA_CONTINUE_SCREENS: tuple[str, ...] = ()
