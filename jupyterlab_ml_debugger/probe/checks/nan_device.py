"""The origin watch on a device: finiteness flags stay on the GPU until the step boundary.

Each tested tensor adds one 0-dim bool to a list; at the step boundary the flags and
the gradient-health norms come back in one transfer (one host sync per step), and the
forward and backward passes are replayed from the flags with the same rules the
synchronous watch applies in its hooks. Only weak references to the tested tensors are
kept: a tensor freed before the boundary is reported by shape, with NaN/Inf counts of -1.
"""

from __future__ import annotations

import weakref
from typing import Any

from .nan_facts import checkable, device_flag, facts
from .nan_origin import stop_at_origin

Json = dict[str, Any]

# An entry's FINITE slot in device mode: a flag index, or NO_FLAG for a tensor that
# cannot hold NaN/Inf (integer, bool, sparse).
NO_FLAG = -1


def _kept(t: Any) -> tuple:
    """What is kept of a tested tensor: a weak reference and its metadata."""
    return (weakref.ref(t), t.shape, t.dtype, t.device)


class DeviceFlags:
    """The flags of one watch's running step, and the replay that finds the origin in them."""

    def __init__(self, watch: Any) -> None:
        self.watch = watch
        self.clear()

    def clear(self) -> None:
        """Drop the flags and rows of the running step."""
        self.flags: list[Any] = []
        self.forward_rows: list[tuple] = []
        self.backward_rows: list[tuple] = []
        self.found: tuple | None = None

    def pending(self) -> bool:
        """Whether flags wait to be read."""
        return bool(self.flags)

    def flag(self, t: Any) -> int:
        """Queue the finiteness flag of ``t``; its index (NO_FLAG when it cannot be non-finite)."""
        if not checkable(self.watch.torch, t):
            return NO_FLAG
        self.flags.append(device_flag(self.watch.torch, t))
        return len(self.flags) - 1

    def forward(self, index: int, inputs: list, outs: list) -> None:
        """Flag a module's outputs (and inputs no earlier module gave) without reading them."""
        watch = self.watch
        in_flags = [self._flag_of(watch.seen_entry(t), t) for t in inputs]
        out_flags = [self._flag_of(watch.remember(t), t) for t in outs]
        self.forward_rows.append((index, in_flags, out_flags, [_kept(t) for t in inputs],
                                  [_kept(t) for t in outs]))

    def transparent(self, inputs: list, outs: list) -> None:
        """A module that keeps finite values finite: its outputs share its one input's flag."""
        if len(inputs) != 1:
            return
        flag = self._flag_of(self.watch.seen_entry(inputs[0]), inputs[0])
        for t in outs:
            entry = self.watch.remember(t)
            if entry[2] is None:
                entry[2] = flag

    def _flag_of(self, entry: list, t: Any) -> int:
        if entry[2] is None:
            entry[2] = self.flag(t)
        return entry[2]

    def backward(self, roles: list, grad: Any) -> None:
        """Flag a gradient that reached an activation tensor."""
        self.backward_rows.append((roles, self.flag(grad), _kept(grad)))

    def read_step(self, norms: Any) -> list[float]:
        """Read every flag and the flat ``norms`` tensor (or None) in one transfer; find the
        origin; the norms as floats."""
        torch = self.watch.torch
        parts = [torch.stack([f.to(self.flags[0].device) for f in self.flags]).float()] if self.flags else []
        parts += [norms] if norms is not None else []
        if not parts:
            return []
        device = parts[0].device
        host = torch.cat([p.to(device, non_blocking=True) for p in parts]).tolist()  # the one sync
        ok, rest = host[:len(self.flags)], host[len(self.flags):]
        if self.watch.origin is None:
            self._replay(ok)
        self.flags, self.forward_rows, self.backward_rows = [], [], []
        return rest

    def _replay(self, ok: list[float]) -> None:
        def fine(i: int) -> bool:
            return i == NO_FLAG or ok[i] > 0.5

        passed = None
        for index, in_flags, out_flags, ins, outs in self.forward_rows:
            if all(fine(i) for i in out_flags):
                continue
            if all(fine(i) for i in in_flags):
                return self._found(index, "forward", True, ins, outs)
            passed = passed or (index, ins, outs)
        if passed is not None:
            return self._found(passed[0], "forward", False, passed[1], passed[2])
        out_ok: set[int] = set()
        for roles, i, kept in self.backward_rows:
            if fine(i):
                out_ok.update(index for is_out, index in roles if is_out)
                continue
            self.watch.out_ok = out_ok
            index, created = self.watch.backward_origin(roles)
            return self._found(index, "backward", created, [kept], [])
        return None

    def _found(self, index: int, phase: str, created: bool, ins: list, outs: list) -> None:
        """Record the Origin now; ``stop_if_found`` stops at it once the health is read."""
        prefix = "input.grad" if phase == "backward" else "input"
        in_facts, in_alive = self._facts(prefix, ins)
        out_facts, out_alive = self._facts("output", outs)
        report = self.watch.make_origin(index, phase, created, [], [], (in_facts, out_facts))
        self.found = (index, in_alive, out_alive, report)

    def _facts(self, prefix: str, kept: list) -> tuple[list[Json], list]:
        torch = self.watch.torch
        rows, alive = [], []
        for i, (ref, shape, dtype, device) in enumerate(kept):
            name = prefix if len(kept) == 1 else f"{prefix}[{i}]"
            t = ref()
            if t is not None:
                alive.append(t)
                rows.append(facts(torch, name, t))
            else:
                rows.append({"name": name, "shape": list(shape), "dtype": str(dtype).removeprefix("torch."),
                             "device": str(device), "nan": -1, "inf": -1, "min": None, "max": None})
        return rows, alive

    def stop_if_found(self) -> None:
        """At the step boundary: stop in the debugger (or raise) at the origin the replay found."""
        if self.found is None:
            return
        index, inputs, outputs, report = self.found
        self.found = None
        stop_at_origin(self.watch.modules[index](), self.watch.paths[index], inputs, outputs, report)
