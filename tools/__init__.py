"""Developer tooling: screenshot tours and the .kv message extractor for Babel."""
