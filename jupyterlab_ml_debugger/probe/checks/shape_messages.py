"""Recognise torch 2.x shape-error messages and read the sizes they state.

Each pattern matches the text torch 2.13 really raises (see tests/test_shape_explain.py,
which reproduces every one). A match says the kind of error, what the operation
expected and what it got, and which module attributes state the expectation better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

SIZES = r"\[[-\d, ]*\]"


@dataclass(frozen=True)
class Parsed:
    """What a shape-error message says."""

    kind: str  # a ShapeError kind; "other" for a module's own size check
    expects: str | None  # as the message states it
    received: str | None
    what: str  # the failed operation, as the explanation names it
    attrs: tuple[str, ...] = ()  # module attributes that state the expectation, by preference
    module_kind: str | None = None  # the kind when a module with one of ``attrs`` failed
    input_index: int = 0  # which tensor argument of the module frame is the input
    numel: int | None = None  # a view's input size, to find that tensor among the locals


Reader = Callable[[re.Match[str]], Parsed]


def _matmul(m: re.Match[str]) -> Parsed:
    rows, cols, w_rows, w_cols = m.groups()
    return Parsed("matmul", f"[*, {w_rows}] to multiply [{w_rows}, {w_cols}]", f"[{rows}, {cols}]",
                  "matrix product", ("in_features",), "linear")


def _batch_matmul(m: re.Match[str]) -> Parsed:
    want_b, want_n, got_b, got_n = m.groups()
    return Parsed("matmul", f"a right operand [{want_b}, {want_n}, *]", f"[{got_b}, {got_n}, *]",
                  "batched matrix product")


def _matvec(m: re.Match[str]) -> Parsed:
    _, rows, cols, vec = m.groups()
    return Parsed("matmul", f"a vector [{cols}] to multiply [{rows}, {cols}]", f"[{vec}]",
                  "matrix-vector product")


def _dot(m: re.Match[str]) -> Parsed:
    left, right = m.groups()
    return Parsed("matmul", f"[{left}] (as many elements as the left vector)", f"[{right}]", "dot product")


def _conv_channels(m: re.Match[str]) -> Parsed:
    groups, weight, shape, want, _ = m.groups()
    return Parsed("conv", f"{want} input channels (weight {weight}, groups={groups})", shape,
                  "convolution", ("in_channels",), "conv")


def _conv_dims(m: re.Match[str]) -> Parsed:
    want, op, shape = m.groups()
    return Parsed("conv", f"{want} input", shape, op)


def _conv_kernel(m: re.Match[str]) -> Parsed:
    padded, kernel = m.groups()
    return Parsed("conv", f"an input at least {kernel} per channel (kernel size)",
                  f"{padded} per channel after padding", "convolution")


def _cat(m: re.Match[str]) -> Parsed:
    dim, want, got, number = m.groups()
    return Parsed("cat", f"size {want} in every dimension except dimension {dim}",
                  f"size {got} in tensor number {number}", "torch.cat")


def _cat_dims(m: re.Match[str]) -> Parsed:
    want, got = m.groups()
    return Parsed("cat", f"{want} dimensions in every tensor", f"a tensor of {got} dimensions", "torch.cat")


def _stack(m: re.Match[str]) -> Parsed:
    want, first, got, number = m.groups()
    return Parsed("cat", f"{want} (entry {first}) for every tensor", f"{got} at entry {number}",
                  "torch.stack")


def _view(m: re.Match[str]) -> Parsed:
    shape, size = m.groups()
    sizes = [int(n) for n in shape.strip("[]").split(",") if n.strip()]
    known = 1
    for n in sizes:
        known *= n if n >= 0 else 1
    count = f"a multiple of {known} elements" if -1 in sizes else f"{known} elements"
    return Parsed("view", f"{shape} ({count})", f"{size} elements", "view/reshape", numel=int(size))


def _view_stride(m: re.Match[str]) -> Parsed:
    return Parsed("view", "a tensor whose memory layout allows the view (use .reshape(...))",
                  "a non-contiguous tensor", "view")


def _broadcast(m: re.Match[str]) -> Parsed:
    a, b, dim = m.groups()
    return Parsed("broadcast", f"size {a} (or 1) at dimension {dim}", f"size {b}", "broadcast")


def _expand(m: re.Match[str]) -> Parsed:
    _, _, _, target, sizes = m.groups()
    return Parsed("broadcast", f"a tensor that expands to {target}", sizes, "expand")


def _layer_norm(m: re.Match[str]) -> Parsed:
    normalized, want, got = m.groups()
    return Parsed("other", f"normalized_shape={normalized}: an input {want}", got, "layer norm",
                  ("normalized_shape",))


def _rnn(m: re.Match[str]) -> Parsed:
    want, got = m.groups()
    return Parsed("other", f"input_size={want}", f"last size {got}", "recurrent layer", ("input_size",))


def _batch_norm(m: re.Match[str]) -> Parsed:
    got, want = m.groups()
    return Parsed("other", f"num_features={want}", f"{got} channels", "batch norm", ("num_features",))


def _attention(m: re.Match[str]) -> Parsed:
    want, got = m.groups()
    return Parsed("other", f"embed_dim={want}", f"embedding dimension {got}", "attention", ("embed_dim",))


def _group_norm(m: re.Match[str]) -> Parsed:
    weight, shape = m.groups()
    return Parsed("other", f"channels matching weight {weight}", shape, "group norm", ("num_channels",))


def _bilinear(m: re.Match[str]) -> Parsed:
    which, got, want = m.groups()
    return Parsed("linear", f"in{which}_features={want}", f"last size {got}", "bilinear",
                  (f"in{which}_features",), "linear", int(which) - 1)


def _batch_size(m: re.Match[str]) -> Parsed:
    want, got = m.groups()
    return Parsed("other", f"a target batch size of {want}", f"a target batch size of {got}", "loss")


PATTERNS: tuple[tuple[re.Pattern[str], Reader], ...] = tuple((re.compile(p), r) for p, r in (
    (r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)", _matmul),
    (r"Expected size for first two dimensions of batch2 tensor to be: \[(\d+), (\d+)\] "
     r"but got: \[(\d+), (\d+)\]", _batch_matmul),
    (r"size mismatch, got input \((\d+)\), mat \((\d+)x(\d+)\), vec \((\d+)\)", _matvec),
    (r"inconsistent tensor size, expected tensor \[(\d+)\] and src \[(\d+)\]", _dot),
    (rf"Given groups=(\d+), weight of size ({SIZES}), expected input({SIZES}) to have (\d+) channels, "
     r"but got (\d+) channels", _conv_channels),
    (rf"Expected (.+?) input to (conv\w*), but got input of size: ({SIZES})", _conv_dims),
    (r"Calculated padded input size per channel: \(([\d x]+)\)\. Kernel size: \(([\d x]+)\)", _conv_kernel),
    (r"Sizes of tensors must match except in dimension (\d+)\. Expected size (\d+) but got size (\d+) "
     r"for tensor number (\d+)", _cat),
    (r"Tensors must have same number of dimensions: got (\d+) and (\d+)", _cat_dims),
    (rf"stack expects each tensor to be equal size, but got ({SIZES}) at entry (\d+) and ({SIZES}) "
     r"at entry (\d+)", _stack),
    (rf"shape '({SIZES})' is invalid for input of size (\d+)", _view),
    (r"view size is not compatible with input tensor's size and stride", _view_stride),
    (r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
     r"at non-singleton dimension (\d+)", _broadcast),
    (rf"The expanded size of the tensor \((-?\d+)\) must match the existing size \((\d+)\) at "
     rf"non-singleton dimension (\d+)\.\s+Target sizes: ({SIZES})\.\s+Tensor sizes: ({SIZES})", _expand),
    (rf"Given normalized_shape=({SIZES}), expected input with shape (\[[^\]]*\]), "
     rf"but got input of size\s*({SIZES})", _layer_norm),
    (r"input\.size\(-1\) must be equal to input_size\. Expected (\d+), got (\d+)", _rnn),
    (r"running_mean should contain (\d+) elements not (\d+)", _batch_norm),
    (r"was expecting embedding dimension of (\d+), but got (\d+)", _attention),
    (rf"Expected weight to be a vector of size equal to the number of channels in input, but got "
     rf"weight of shape ({SIZES}) and input of shape ({SIZES})", _group_norm),
    (r"bilinear\(\): input(\d) size does not match weight size: got (\d+) but expected (\d+)", _bilinear),
    (r"Expected input batch_size \((\d+)\) to match target batch_size \((\d+)\)", _batch_size),
))


def parse(message: str) -> Parsed | None:
    """What a shape-error message says, or None when it is not one this knows."""
    for pattern, read in PATTERNS:
        found = pattern.search(message)
        if found is not None:
            return read(found)
    return None
