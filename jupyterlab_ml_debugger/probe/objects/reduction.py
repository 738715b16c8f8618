"""Chunked, budgeted reduction to min/max/mean/std and NaN/Inf counts.

``tensor.py`` and ``ndarray.py`` each supply a :class:`Backend` that knows how to
split, reduce and sample their arrays; this module decides, within a
:class:`~.budget.Budget`, what is computed exactly, what is only counted, and what
is estimated from a deterministic strided sample. Priority: exact NaN/Inf counts,
then exact min/max/mean/std.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from ..budget import Budget

# Counting NaN/Inf alone costs about this fraction of a full reduction (measured on
# float32 CPU chunks); used until the first counted chunk gives a real rate.
COUNT_COST_RATIO = 0.4
SAMPLE_SIZE = 1 << 15
MAX_SAMPLED_VIEWS = 64
# Time kept back for sampling and building the result.
RESERVE_MS = 2.0


@dataclass(frozen=True)
class Part:
    """Figures over some elements: counts over all, moments over the finite ones."""

    n: float
    nan: float
    nonfinite: float
    mean: float = 0.0
    m2: float = 0.0
    lo: float | None = None
    hi: float | None = None

    @property
    def finite(self) -> float:
        return self.n - self.nonfinite


EMPTY = Part(0, 0, 0)


def merge(a: Part, b: Part) -> Part:
    """Combine two disjoint parts (Chan et al.'s pairwise update for the moments)."""
    fa, fb = a.finite, b.finite
    total = fa + fb
    if fb == 0:
        mean, m2 = a.mean, a.m2
    elif fa == 0:
        mean, m2 = b.mean, b.m2
    else:
        delta = b.mean - a.mean
        mean = a.mean + delta * fb / total
        m2 = a.m2 + b.m2 + delta * delta * fa * fb / total
    return Part(
        a.n + b.n,
        a.nan + b.nan,
        a.nonfinite + b.nonfinite,
        mean,
        m2,
        _pick(min, a.lo, b.lo),
        _pick(max, a.hi, b.hi),
    )


def scale(p: Part, factor: float) -> Part:
    """``p`` as if each of its elements were repeated ``factor`` times."""
    return Part(
        p.n * factor, p.nan * factor, p.nonfinite * factor, p.mean, p.m2 * factor, p.lo, p.hi
    )


def _pick(fn: Any, a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return fn(a, b)


class Backend(Protocol):
    """How one kind of array is split, reduced and sampled."""

    chunk: int

    def numel(self, view: Any) -> int: ...

    def split(self, view: Any) -> Sequence[Any]:
        """Smaller views that cover ``view`` in order, each a view (no copy)."""

    def full(self, view: Any) -> Any:
        """A record that :meth:`resolve` turns into a :class:`Part` with moments."""

    def count(self, view: Any) -> Any:
        """A record that :meth:`resolve` turns into a :class:`Part` without moments."""

    def sample(self, view: Any, k: int) -> Any:
        """At most about ``k`` elements of ``view`` picked by fixed strides."""

    def resolve(self, records: list[Any]) -> list[Part]: ...


@dataclass(frozen=True)
class Reduced:
    """The outcome: counts over all elements, moments over the finite ones, and
    what is exact and why not. ``var`` is the population variance."""

    n: int
    nan: int
    nonfinite: int
    mean: float | None
    var: float | None
    lo: float | None
    hi: float | None
    stats_exact: bool
    counts_exact: bool
    note: str | None


def reduce(backend: Backend, view: Any, budget: Budget) -> Reduced:
    """Reduce ``view`` within ``budget``, counting exactly before anything else."""
    total = backend.numel(view)
    pending: deque[Any] = deque([view])
    full: list[Any] = []
    counted: list[Any] = []
    unreduced: list[Any] = []  # views counted but not reduced: sampled for moments
    done_full = done_count = 0
    full_ms = count_ms = 0.0
    while pending:
        item = pending.popleft()
        size = backend.numel(item)
        if size > backend.chunk:
            pending.extendleft(reversed(backend.split(item)))
            continue
        if budget.expired():
            pending.appendleft(item)
            break
        start = budget.elapsed_ms()
        if done_full and not _can_reduce(
            budget, total - done_full - done_count, size, full_ms / done_full,
            count_ms / done_count if done_count else None,
        ):
            counted.append(backend.count(item))
            unreduced.append(item)
            done_count += size
            count_ms += budget.elapsed_ms() - start
        else:
            full.append(backend.full(item))
            done_full += size
            full_ms += budget.elapsed_ms() - start
    return _combine(backend, full, counted, unreduced, list(pending), total)


def _can_reduce(
    budget: Budget, left: int, size: int, full_rate: float, count_rate: float | None
) -> bool:
    """Whether reducing the next ``size`` elements still leaves time to count the rest."""
    rate = count_rate if count_rate is not None else full_rate * COUNT_COST_RATIO
    needed = size * full_rate + 1.25 * (left - size) * rate + RESERVE_MS
    return budget.remaining_ms() >= needed


def _combine(
    backend: Backend,
    full: list[Any],
    counted: list[Any],
    unreduced: list[Any],
    leftover: list[Any],
    total: int,
) -> Reduced:
    """Merge exact parts with scaled samples of what the budget left unreduced."""
    n_unreduced = sum(backend.numel(v) for v in unreduced)
    n_leftover = sum(backend.numel(v) for v in leftover)
    share = n_unreduced / (n_unreduced + n_leftover) if unreduced or leftover else 0.0
    s_unreduced = _sample(backend, unreduced, max(1, round(SAMPLE_SIZE * share)))
    s_leftover = _sample(backend, leftover, max(1, round(SAMPLE_SIZE * (1 - share))))
    parts = backend.resolve(full + counted + s_unreduced + s_leftover)
    cuts = _cumulative([len(full), len(counted), len(s_unreduced)])
    exact = _merge_all(parts[: cuts[0]])
    counts = merge(exact, _merge_all(parts[cuts[0] : cuts[1]]))
    est_unreduced = _scaled(parts[cuts[1] : cuts[2]], n_unreduced)
    est_leftover = _scaled(parts[cuts[2] :], n_leftover)
    stats = merge(merge(exact, est_unreduced), est_leftover)
    counted_n = counts.n
    counts = merge(counts, est_leftover)
    var = stats.m2 / stats.finite if stats.finite else None
    mean = stats.mean if stats.finite else None
    counts_exact, stats_exact = not leftover, not (unreduced or leftover)
    if stats_exact:
        note = None
    elif counts_exact:
        note = f"min/max/mean/std estimated: {_pct(exact.n, total)} reduced within the budget"
    else:
        note = (
            f"estimated: NaN/Inf counted over {_pct(counted_n, total)}, "
            f"stats over {_pct(exact.n, total)} within the budget; the rest sampled"
        )
    return Reduced(
        total, round(counts.nan), round(counts.nonfinite), mean, var,
        stats.lo, stats.hi, stats_exact, counts_exact, note,
    )


def _sample(backend: Backend, views: list[Any], k: int) -> list[Any]:
    """Records for about ``k`` elements picked by fixed strides from up to
    MAX_SAMPLED_VIEWS evenly spaced ``views``, each in proportion to its size."""
    if not views:
        return []
    step = max(1, math.ceil(len(views) / MAX_SAMPLED_VIEWS))
    picked = views[::step]
    sizes = [backend.numel(v) for v in picked]
    whole = sum(sizes)
    return [
        backend.full(backend.sample(v, max(1, math.ceil(k * s / whole))))
        for v, s in zip(picked, sizes)
    ]


def _scaled(parts: Sequence[Part], n: int) -> Part:
    """Sample parts merged and scaled to stand for ``n`` elements."""
    merged = _merge_all(parts)
    return scale(merged, n / merged.n) if merged.n else merged


def _merge_all(parts: Sequence[Part]) -> Part:
    out = EMPTY
    for p in parts:
        out = merge(out, p)
    return out


def _cumulative(sizes: list[int]) -> list[int]:
    out, acc = [], 0
    for s in sizes:
        acc += s
        out.append(acc)
    return out


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.3g}%" if whole else "0%"


def grid_steps(shape: Sequence[int], k: int) -> list[int]:
    """Per-dimension steps so that slicing ``[::step]`` keeps at most about ``k`` elements."""
    counts = list(shape)
    while math.prod(counts) > k:
        i = max(range(len(counts)), key=counts.__getitem__)
        counts[i] = (counts[i] + 1) // 2
    return [prime_step(math.ceil(s / c)) if c else 1 for s, c in zip(shape, counts)]


def prime_step(step: int) -> int:
    """The least prime >= ``step`` (1 stays 1): a prime stride cannot alias with the short
    periods of real data (RGB channels, every 10th row)."""
    if step <= 2:
        return max(1, step)
    candidate = step | 1
    while any(candidate % d == 0 for d in range(3, math.isqrt(candidate) + 1, 2)):
        candidate += 2
    return candidate


def blank_stats(
    shape: list[int], dtype: str, device: str, numel: int,
    *, requires_grad: bool | None = None, has_grad: bool | None = None,
) -> dict:
    """A Stats dict with no figures yet (every absent figure is trivially exact)."""
    return {
        "shape": shape,
        "dtype": dtype,
        "device": device,
        "numel": numel,
        "requires_grad": requires_grad,
        "has_grad": has_grad,
        "min": None,
        "max": None,
        "mean": None,
        "std": None,
        "nan": None,
        "inf": None,
        "exact": dict.fromkeys(("min", "max", "mean", "std", "nan", "inf"), True),
        "note": None,
    }


def figures(red: Reduced, repeat: int, kind: str, *, ddof: int, note: str | None) -> dict:
    """The Stats figures of a reduction whose elements each stand for ``repeat`` ones."""
    finite = (red.n - red.nonfinite) * repeat
    std = None
    if red.var is not None and finite > ddof:
        std = math.sqrt(red.var * finite / (finite - ddof))
    lo, hi = red.lo, red.hi
    if kind in ("int", "bool") and lo is not None and hi is not None:
        lo, hi = int(lo), int(hi)
    notes = [n for n in (note, _kind_note(kind), red.note) if n]
    if repeat > 1:
        notes.append(f"broadcast: {red.n} distinct elements each repeated {repeat} times")
    return {
        "min": lo,
        "max": hi,
        "mean": red.mean,
        "std": std,
        "nan": red.nan * repeat,
        "inf": (red.nonfinite - red.nan) * repeat,
        "exact": {
            **dict.fromkeys(("min", "max", "mean", "std"), red.stats_exact),
            **dict.fromkeys(("nan", "inf"), red.counts_exact),
        },
        "note": "; ".join(notes) or None,
    }


def _kind_note(kind: str) -> str | None:
    if kind == "complex":
        return "complex: min/max/mean/std over magnitudes |z|"
    if kind == "bool":
        return "bool: mean is the fraction True"
    return None
