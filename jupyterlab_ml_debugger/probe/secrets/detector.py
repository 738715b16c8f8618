"""What looks like a secret: a name that names one, or text shaped like a key. Pure functions over
names and text the probe already shows; nothing here reads a value.

The name rule. A name (a variable, attribute, dict key or watch expression) is normalised into
words: split at every character that is not a letter or digit and where a lower-case letter or
digit meets an upper-case one (``apiKey`` -> api, key; ``HFToken`` -> hf, token); lower-cased,
joined by ``_``, trailing digits dropped (``token2`` -> ``token``). Each pattern is a glob
(``*``, ``?``, ``[...]``) matched against the whole normalised name, case-insensitive; a pattern
starting with ``!`` exempts what it matches. A name is secret when a pattern matches and no
exemption does. The defaults ask for the word ``token`` alone or ending a name (``token``,
``api_token``, ``hf_token``, ``access_token``, ``os.environ["HF_TOKEN"]``) but not ``tokenizer``,
``tokens``, ``max_tokens``, ``num_tokens`` or ``token_ids``, and exempt a tokenizer's special
tokens (``eos_token``); the other words count anywhere in a name (``db_password``, ``SECRET_KEY``,
``OPENAI_API_KEY``, ``aws_credentials``).

The expression rule. An expression (a watch, a recorded value, a log message's ``{…}``) is secret
when it is by the name rule, or when a name, attribute or string key it reads is
(``api_token.upper()``, ``config["hf_token"]``, ``creds.password``, ``f"Bearer {api_token}"``):
what it reads comes from its parsed source (``expression_reads``), never from running it.

The pair rule. In text such as a repr, a log line or a line of source, a quoted value written
after a name and ``=`` or ``:`` (``api_key='…'``, ``{'password': '…'}``, ``b'HF_TOKEN': b'…'``),
or any value right after ``name=`` (``?api_key=…&``, ``password=…``), is masked when the name is
secret by the name rule, whatever the value looks like.

The shape rule. Text anywhere is searched for the shapes of common keys (AWS, GitHub, Slack,
OpenAI-style, Google, Stripe, Hugging Face, bearer tokens, private key blocks, JWTs). A shown text
may have been cut short: a key prefix followed by part of a key at the cut (``…``, the mark every
capped text of the probe ends with) is masked too, so no part of a key travels.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Iterable

MASK = "••••••"
NAME_MASK = f"{MASK} (secret: masked)"
NAME_MAX = 400
SEEN_MAX = 4096

DEFAULT_NAMES = (
    "token", "*_token", "*password*", "*passwd*", "*secret*", "*api_key*", "*apikey*",
    "*credential*", "*private_key*",
    # a tokenizer's special tokens are vocabulary, not credentials
    "!*bos_token", "!*eos_token", "!*pad_token", "!*unk_token", "!*sep_token", "!*cls_token",
    "!*mask_token",
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_TRAILING_DIGITS = re.compile(r"_?[0-9]+$")


def normalised(name: str) -> str:
    """``name`` as lower-case words joined by ``_``, trailing digits dropped (see the name rule)."""
    words = _NOT_WORD.sub("_", _CAMEL.sub("_", name[:NAME_MAX]).lower()).strip("_")
    return _TRAILING_DIGITS.sub("", words).strip("_")


class NameRule:
    """Compiled name patterns: which names hold secrets."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        asks = [p for p in self.patterns if not p.startswith("!")]
        exempts = [p[1:] for p in self.patterns if p.startswith("!")]
        self._asks = _globs(asks)
        self._exempts = _globs(exempts)
        # The same names come back at every refresh: remember the verdicts, boundedly.
        self._seen: dict[str, bool] = {}

    def matches(self, name: str) -> bool:
        """True when ``name`` looks like it holds a secret."""
        if self._asks is None:
            return False
        known = self._seen.get(name)
        if known is None:
            words = normalised(name)
            known = bool(self._asks.match(words)) and not (self._exempts and self._exempts.match(words))
            if len(self._seen) >= SEEN_MAX:
                self._seen.clear()
            self._seen[name] = known
        return known


def _globs(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex for all the globs (case-insensitive), or None when there are none."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p.lower())})" for p in patterns))


# Where a shown text stops short: its cut mark (after a closing quote, for a repr cut by text_repr).
CUT = "…"
_AT_CUT = rf"(?=['\"]?{CUT})"
_START = r"(?<![A-Za-z0-9])"


def _keyed(kind: str, prefix: str, body: str, least: int) -> tuple[str, str]:
    """A key: ``prefix`` then at least ``least`` of ``body``, or any of it ending at a cut."""
    return kind, f"{_START}{prefix}(?:{body}{{{least},}}|{body}{{4,}}{_AT_CUT})"


_SHAPES = (
    ("private key", r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|…|\Z)"),
    ("JWT", rf"{_START}eyJ[A-Za-z0-9_-]{{8,}}\.eyJ[A-Za-z0-9_-]{{4,}}\.[A-Za-z0-9_-]*"
            rf"|{_START}eyJ[A-Za-z0-9_.-]{{12,}}{_AT_CUT}"),
    _keyed("AWS key", "(?:AKIA|ASIA)", "[0-9A-Z]", 16),
    _keyed("GitHub token", "gh[pousr]_", "[A-Za-z0-9]", 30),
    _keyed("GitHub token", "github_pat_", "[A-Za-z0-9_]", 20),
    _keyed("Slack token", "xox[baprs]-", "[A-Za-z0-9-]", 10),
    _keyed("Stripe key", "(?:sk|rk)_(?:live|test)_", "[A-Za-z0-9]", 10),
    # an OpenAI-style key holds a digit: "sk-learn-compatible" is a phrase, not a key
    _keyed("API key", "sk-(?=[A-Za-z0-9_-]*[0-9])", "[A-Za-z0-9_-]", 20),
    _keyed("Google API key", "AIza", "[0-9A-Za-z_-]", 30),
    _keyed("Hugging Face token", "hf_", "[A-Za-z0-9]", 30),
)
_BEARER = re.compile(r"(?P<keep>\b[Bb]earer\s+)[A-Za-z0-9._~+/=-]{8,}|"
                     rf"(?P<cut>\b[Bb]earer\s+)[A-Za-z0-9._~+/=-]+{_AT_CUT}")
_KEYS = re.compile("|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_SHAPES)), re.S)
_KINDS = {f"k{i}": kind for i, (kind, _) in enumerate(_SHAPES)}
# Every shape holds one of these: text holding none (nearly all) costs one search.
_MARKS = ("AKIA", "ASIA", "gh", "xox", "_live_", "_test_", "sk-", "AIza", "hf_", "eyJ", "PRIVATE KEY",
          "earer")
_MARK = re.compile("|".join(re.escape(mark) for mark in _MARKS))


def key_mask(kind: str) -> str:
    """What stands in for a key of ``kind``."""
    return f"{MASK} (secret: {kind})"


def mask_shapes(text: str, cut: bool = False) -> str:
    """``text`` with every key-shaped part masked; the same object when there is none. ``cut``: the
    text was cut short at its end (without the cut mark)."""
    if _MARK.search(text) is None:
        return text
    if cut:
        return mask_shapes(text + CUT).removesuffix(CUT)
    found = _KEYS.sub(lambda m: key_mask(_KINDS[m.lastgroup or ""]), text)
    found = _BEARER.sub(lambda m: (m.group("keep") or m.group("cut")) + key_mask("bearer token"), found)
    return text if found == text else found


_PAIR = re.compile(
    r"""(?P<name>(?<![\w.'"])[A-Za-z_][A-Za-z0-9_.]*|[bru]?'[^'\n]{1,100}'|[bru]?"[^"\n]{1,100}")"""
    r"""(?:(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>[bru]?'(?:[^'\\\n]|\\.)*'|[bru]?"(?:[^"\\\n]|\\.)*"|[bru]?['"][^'"\n]*\Z)"""
    # unquoted only right after "=": a URL's query, a log's key=value, a command line's option
    r"""|(?P<eq>=)[^\s'"&,;()\[\]{}<>]+)""")


def mask_pairs(text: str, rule: NameRule) -> str:
    """``text`` with every quoted value written after a secret-looking name masked (the pair rule);
    the same object when there is none."""
    if "=" not in text and ":" not in text:
        return text

    def one(found: re.Match[str]) -> str:
        if not rule.matches(found.group("name")):
            return found.group(0)
        return found.group("name") + (found.group("sep") or found.group("eq")) + NAME_MASK

    masked = _PAIR.sub(one, text)
    return text if masked == text else masked
