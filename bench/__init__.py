"""Benchmarks that print figures (not timed tests): `make bench` runs them all.

Run one with ``python -m bench.NAME`` from the project root; each ``main(argv)``
prints its figures and returns them as a dict (``--record FILE`` writes that
dict as JSON, for ``bench.run_all``).
"""
