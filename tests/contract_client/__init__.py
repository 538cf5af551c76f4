"""A client written from shared/CONTRACT.md alone, run against the real mock."""
