"""The endpoint typed in Settings: host:port or a URL, made into one URL, or a GOV.UK-style error."""

from __future__ import annotations

import pytest

from portal import endpoint
from portal.endpoint import clean_endpoint


@pytest.mark.parametrize(("typed", "url"), [
    ("192.168.1.20:8700", "https://192.168.1.20:8700"),  # section 6: plain http only to this computer
    ("  192.168.1.20:8700  ", "https://192.168.1.20:8700"),
    ("https://192.168.1.20:8700/", "https://192.168.1.20:8700"),
    ("HTTPS://Laptop.Local:08700", "https://laptop.local:8700"),
    ("localhost:8700", "http://localhost:8700"),
    ("HTTP://LocalHost:08700", "http://localhost:8700"),
    ("facilitator-laptop:8700", "https://facilitator-laptop:8700"),
    ("[::1]:8700", "http://[::1]:8700"),
    ("https://[fe80::1]:8700/", "https://[fe80::1]:8700"),
    ("https://gov.example", "https://gov.example"),
    ("https://gov.example/api/", "https://gov.example/api"),
    ("http://127.0.0.1:1", "http://127.0.0.1:1"),
    ("127.0.0.1:65535", "http://127.0.0.1:65535"),
])
def test_what_people_type_becomes_one_url(typed: str, url: str) -> None:
    assert clean_endpoint(typed) == (url, [])


@pytest.mark.parametrize(("typed", "message"), [
    ("", endpoint.EMPTY),
    ("   ", endpoint.EMPTY),
    (None, endpoint.EMPTY),
    ("192.168.1.20: 8700", endpoint.SPACES),
    ("ftp://192.168.1.20:8700", endpoint.SCHEME),
    ("file:///etc/passwd", endpoint.SCHEME),
    ("192.168.1.300:8700", endpoint.HOST),
    ("-laptop:8700", endpoint.HOST),
    ("http://:8700", endpoint.HOST),
    (":8700", endpoint.HOST),
    ("[nope]:8700", endpoint.HOST),
    ("192.168.1.20", endpoint.PORT_MISSING),
    ("laptop", endpoint.PORT_MISSING),
    ("192.168.1.20:0", endpoint.PORT),
    ("192.168.1.20:65536", endpoint.PORT),
    ("192.168.1.20:port", endpoint.PORT),
    ("192.168.1.20:", endpoint.PORT),
    ("192.168.1.20:８７００", endpoint.PORT),
    ("192.168.1.20:8700?x=1", endpoint.EXTRAS),
    ("192.168.1.20:8700#top", endpoint.EXTRAS),
    ("http://user:pass@192.168.1.20:8700", endpoint.EXTRAS),
    ("192.168.1.20:8700/admin", endpoint.EXTRAS),
    ("http://192.168.1.20:8700/", endpoint.PLAIN),
    ("http://[fe80::1]:8700/", endpoint.PLAIN),
    ("http://gov.example", endpoint.PLAIN),
])
def test_bad_input_gets_one_plain_message_on_the_endpoint_field(typed, message) -> None:
    assert clean_endpoint(typed) == ("", [("endpoint", message)])


def test_messages_say_what_to_do_with_an_example() -> None:
    for message in endpoint.MESSAGES:
        assert message[0].isupper() and not message.endswith(".")
        assert "8700" in message or "?" in message
