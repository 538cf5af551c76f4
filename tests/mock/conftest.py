"""A real mock on a free loopback port, with its own data directory, per test."""

from __future__ import annotations

import pytest

from services.mock.server import MockServer
from tests.mock.support import sign_in


@pytest.fixture
def mock(tmp_path):
    with MockServer(host="127.0.0.1", port=0, data_dir=tmp_path / "mock-data") as server:
        yield server


@pytest.fixture
def url(mock) -> str:
    return mock.url


@pytest.fixture
def token(url) -> str:
    """Amira's access token, scoped for all six services."""
    return sign_in(url)["access_token"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium through chromedriver")
