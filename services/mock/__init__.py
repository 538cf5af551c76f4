"""The mock government endpoints: a real HTTP server for CONTRACT sections 2 to 5.

Start it with ``python main.py mock-gov`` (or ``python -m services.mock``); embed
it with :class:`services.mock.server.MockServer`. Nothing but main.py and the
tests imports this package.
"""
