import pytest

from fhub.pseudonymise import DEMO_KEY, MissingKeyError, keyed_hash, normalise_identifier, resolve_key


def test_same_identifier_written_differently_gives_one_key():
    key = b"k"
    assert keyed_hash(key, "943 476 5919") == keyed_hash(key, "9434765919") == keyed_hash(key, "943-476-5919")
    assert normalise_identifier(" ab-12 ") == "AB12"


def test_key_changes_the_hash_and_hash_is_not_the_identifier():
    assert keyed_hash(b"a", "X1") != keyed_hash(b"b", "X1")
    assert len(keyed_hash(b"a", "X1")) == 64 and "X1" not in keyed_hash(b"a", "X1")
    assert keyed_hash(b"a", None) is None and keyed_hash(b"a", "  ") is None


def test_production_refuses_without_a_key():
    with pytest.raises(MissingKeyError, match="FHUB_HMAC_KEY"):
        resolve_key("production", env={})


def test_demo_uses_the_labelled_demo_key(monkeypatch):
    assert resolve_key("demo", env={}) == (DEMO_KEY.encode(), "demo")
    assert resolve_key("production", env={"FHUB_HMAC_KEY": "s3cret"}) == (b"s3cret", "env")
    assert resolve_key(env={"FHUB_MODE": "production", "FHUB_HMAC_KEY": "s3cret"}) == (b"s3cret", "env")
    # the key comes from the environment the entry point hands down, never from the process's own
    monkeypatch.setenv("FHUB_HMAC_KEY", "process")
    assert resolve_key("demo", env={}) == (DEMO_KEY.encode(), "demo")
