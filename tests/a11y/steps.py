"""The screen-specific words the screen-reader journey uses, in one place (English texts as shown).

When a screen changes (issue 11's move-house flow: a new-address step, a confirmation page), change the
steps here; the bridge itself has no per-screen code. Read by tests/a11y/driver.py under Debian's python3.
"""

SIGN_IN = "Sign in"
SIGN_IN_ERROR = "Enter your username"  # the message for an empty form, in the error summary and beside the field
A_PASSWORD = "not-Amiras-1"  # typed into the password box, to see that a screen reader is not told it
DEMO_ACCOUNT_PREFIX = "Amira"  # the demo-account link that fills in the form
HOME_HEADING = "Your notifications"  # a heading only the home screen has
TELL_A_CHANGE = "Tell us about a change"
MOVED_HOUSE = "I moved house"
CONTINUE = "Continue"
SERVICES_TO_TELL = 3  # the first three services the check boxes offer
AGREE = "Agree and send"
PROGRESS_HEADING = "Progress"
CONFIRMATION_HEADING = "Your references"  # issue 11's confirmation page, which replaces Progress when all are sent
DELIVERED = "DELIVERED"
REFERENCE_PREFIX = "Reference:"  # issue 11's confirmation page, shown once every one is delivered
BACK_TO_ACCOUNT = "Back to your account"

# Between Continue on "Who to tell" and "Agree and send": screens the journey passes with Continue alone.
EXTRA_CONTINUE_SCREENS: tuple[str, ...] = ()

# Issue 11's new-address step, between "What has changed?" and "Who to tell": the postcode is typed (the
# only typing in the journey, through xdotool under Xvfb), "Find address", the first address found chosen.
NEW_ADDRESS_HEADING = "What is your new address?"
POSTCODE_FIELD = "Postcode"
NEW_POSTCODE = "LS1 4AP"  # one the mock knows (services/mock/addresses.json), not Amira's own
FIND_ADDRESS = "Find address"

# Issue 14's journey, "Someone has died" (Amira reporting her father's death, the README's registration).
SOMEONE_HAS_DIED = "Someone has died"
REGISTRATION_FIELD = "Registration reference"
REGISTRATION_AS_TYPED = "7k3p 9qx2 m4td"  # as people type it: lower case, spaces
RIGHT_PERSON = "Yes, this is the right person"
REGISTER_HOLDS = "Yusuf"  # the register's answer, read out on the confirm screen
NINO_FIELD = "National Insurance number"
DECEASED_NINO = "YH402817B"
RELATIONSHIP = "Son or daughter"
TOLD = "TOLD"  # a service's state on the death's progress page once it has answered
