"""What looks like a secret: the name rule, each key shape, the pair rule, and the ordinary ML names
and values that must not be taken for secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_ml_debugger.probe.secrets.detector import (
    DEFAULT_NAMES, MASK, NameRule, mask_pairs, mask_shapes, normalised,
)

RULE = NameRule(DEFAULT_NAMES)

# Built from parts, so no whole key sits in this file for a scanner to flag.
KEYS = {
    "AWS key": "AKIA" + "IOSFODNN7EXAMPLE",
    "AWS session key": "ASIA" + "Y34FZKBOKMUTVV7A",
    "GitHub token": "ghp_" + "1234567890abcdefghijABCDEFGHIJ123456",
    "GitHub OAuth token": "gho_" + "16C7e42F292c6912E7710c838347Ae178B4a",
    "GitHub fine-grained token": "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "Slack bot token": "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOp",
    "Slack user token": "xoxp-" + "1234567890-abcdefghij",
    "OpenAI key": "sk-" + "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1w",
    "OpenAI legacy key": "sk-" + "abcdefghij0123456789ABCDEFGHIJ0123456789abcdefgh",
    "Google API key": "AIza" + "SyA-1234567890abcdefghijklmnopqrstu",
    "Stripe live key": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "Stripe test key": "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "Hugging Face token": "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
    "JWT": "eyJ" + "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
           "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
}
PEM = ("-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq9nKx0\n"
       "-----END RSA PRIVATE KEY-----")


@pytest.mark.parametrize("name", [
    "token", "api_token", "hf_token", "access_token", "auth_token", "HF_TOKEN", "hfToken",
    "GITHUB_TOKEN", "token2", "_token", "password", "db_password", "PASSWORD", "passwd", "secret",
    "client_secret", "SECRET_KEY", "aws_secret_access_key", "api_key", "OPENAI_API_KEY", "apiKey",
    "APIKEY", "credential", "aws_credentials", "private_key", "privateKey", "b'HF_TOKEN'",
    'os.environ["HF_TOKEN"]', "config['api_key']", "self.token",
])
def test_names_that_hold_secrets(name: str) -> None:
    assert RULE.matches(name), normalised(name)


@pytest.mark.parametrize("name", [
    "tokenizer", "tokens", "max_tokens", "num_tokens", "token_ids", "input_tokens", "token_type_ids",
    "tokenized", "eos_token", "pad_token", "tokenizer.bos_token", "lr", "loss", "model",
    "key", "keys", "api", "n_passes", "credit", "secrecy",
    "private", "public_key",
])
def test_ordinary_names_are_not_secret(name: str) -> None:
    assert not RULE.matches(name), normalised(name)


def test_the_name_rule_is_documented_by_its_normal_form() -> None:
    assert normalised("HFToken") == "hf_token"
    assert normalised("apiKey2") == "api_key"
    assert normalised("b'HF_TOKEN'") == "b_hf_token"
    assert normalised("__private_key__") == "private_key"


def test_the_settings_default_is_the_kernels_own() -> None:
    schema = Path(__file__).resolve().parents[2] / "schema" / "plugin.json"
    if not schema.exists():
        pytest.skip("the settings schema is in the source tree only")
    assert tuple(json.loads(schema.read_text())["properties"]["secretNames"]["default"]) == DEFAULT_NAMES


def test_patterns_can_be_replaced_and_exempt() -> None:
    rule = NameRule(["*pin*", "!*spinner*"])
    assert rule.matches("door_pin") and rule.matches("PIN")
    assert not rule.matches("spinner") and not rule.matches("api_token")
    assert not NameRule([]).matches("password")


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_each_key_shape_is_masked_wherever_it_appears(kind: str) -> None:
    key = KEYS[kind]
    for text in (key, repr(key), f"using {key} now", f"{{'value': {key!r}}}", f"b'{key}'"):
        masked = mask_shapes(text)
        assert key not in masked and MASK in masked, text


def test_a_private_key_block_and_a_bearer_token_are_masked() -> None:
    assert mask_shapes(repr(PEM)) == "'•••••• (secret: private key)'"
    masked = mask_shapes("Authorization: Bearer abc.DEF-123_xyz~42")
    assert masked == "Authorization: Bearer •••••• (secret: bearer token)"


def test_a_key_cut_short_by_a_summary_is_masked_up_to_the_cut() -> None:
    # text_repr cuts long strings: no part of the key may travel, even one too short to be whole
    cut = "'a message holding the token ghp_1234567890ab'… (300 chars)"
    assert "ghp_1234" not in mask_shapes(cut)
    assert "ghp_1234" not in mask_shapes("token ghp_1234567890ab", cut=True)
    assert mask_shapes("hf_token") == "hf_token"  # a name, not a key cut short
    assert "eyJhbGciOiJIUzI1" not in mask_shapes("'eyJhbGciOiJIUzI1NiJ9.eyJz'…")


@pytest.mark.parametrize("text", [
    "lr=0.001", "0.001", "Tensor[32, 3, 224, 224] float32 cuda:0  min -1 max 1 mean 0 std 1",
    "'sk-learn-compatible-estimator'", "'hf_hub_download'", "function hf_hub_download(repo_id, …",
    "'task-12345678901234567890'", "'Bearer'", "'The quick brown fox'", "'AKIA'",
    "dict[str → Tensor[3] float32] (12)", "'eyJ'", "module torch 2.13.0  /site-packages/torch",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_shapes(text) is text
    assert mask_pairs(text, RULE) is text


def test_a_quoted_value_after_a_secret_name_is_masked() -> None:
    assert mask_pairs("{'password': 'hunter2', 'user': 'bob'}", RULE) == \
        "{'password': •••••• (secret: masked), 'user': 'bob'}"
    assert mask_pairs("Config(api_key='abc', lr=0.001)", RULE) == "Config(api_key=•••••• (secret: masked), lr=0.001)"
    assert "hunter2" not in mask_pairs("environ({b'DB_PASSWORD': b'hunter2'})", RULE)
    assert "abc123" not in mask_pairs("GET /v1/models?api_key=abc123&page=2 failed", RULE)
    assert "s3cr" not in mask_pairs("{'api_token': 's3cr", RULE)  # a repr cut inside the value
    assert mask_pairs("{'tokenizer': 'bert', 'max_tokens': 12}", RULE) == "{'tokenizer': 'bert', 'max_tokens': 12}"
