"""Errors a citizen can act on. Their text is shown as it is, so it is written for people."""


class PortalError(Exception):
    """A problem the user can fix; ``str(error)`` is the message to show."""


class SecretStoreUnavailable(PortalError):
    """No secure place for secrets: we refuse to go on rather than write them anywhere else."""


class StoreError(PortalError):
    """The data folder's database cannot be used (not ours, damaged, or unreadable)."""


class SealBroken(PortalError):
    """A sealed value did not open: wrong key, tampered with, or moved to another row."""


class SealingKeyLost(SealBroken):
    """The data folder's sealing key is missing from the keyring, or another key is in its place."""
