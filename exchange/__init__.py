"""The Once-Only Exchange as both sides read it: field vocabulary, research terms, catalogue, locales."""
