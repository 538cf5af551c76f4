"""A real mock on a free loopback port, with its own data directory, per test."""

from __future__ import annotations

import pytest

from tests.mock.support import sign_in


@pytest.fixture
def token(url) -> str:
    """Amira's access token, scoped for all six services."""
    return sign_in(url)["access_token"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium through chromedriver")
