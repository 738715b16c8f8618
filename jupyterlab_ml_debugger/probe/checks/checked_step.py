"""The checked step: a torch function mode, armed on the user's stopped thread, that notes
silent broadcasts, float64 creeping in and tensors on mixed devices, each with its line.

Torch function modes are per thread and the probe answers on a subshell thread, so the
frontend arms and ends a step through a DAP ``evaluate`` in the stopped frame of
``__import__(CHECKED_MODULE_ALIAS).arm()`` / ``.disarm()``, which pydevd runs on the
suspended thread. The step ends when any ``optimizer.step()`` returns on that thread,
when ``disarm()`` is called, or when the cell finishes. The mode forwards every op
unchanged; once it is off the mode stack it costs nothing.

Finding kinds: "broadcast": an elementwise op whose result has more elements than every
input (``(N,) - (N, 1)`` becoming ``(N, N)``), or a loss whose input and target broadcast
so; "float64": an op not asked for float64 (``dtype=``, ``.to(torch.float64)``,
``.double()``) that returned float64 (complex128) though no tensor input was, such as
``torch.as_tensor`` of a NumPy float64 array or ``torch.tensor`` of Python floats under a
float64 default dtype, or that promoted a float32 (float16, bfloat16) input to it, such as
float32 predictions minus a ``torch.from_numpy`` target (``from_numpy`` itself is not seen
by modes); "devices": an op given tensors on two devices (CPU scalars aside, which torch
allows), noted before the op runs since it usually raises. Each is noted once per
(kind, path, line).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from types import FrameType
from typing import Any, Callable

from .. import protocol
from ..stack import namespace
from ..stack.frames import is_debugger_frame, is_user_frame

Json = dict[str, Any]

FINDINGS_MAX = 100

# Op names after dunders are stripped (``__rsub__`` -> ``rsub``); in-place ops cannot grow.
ELEMENTWISE = frozenset({
    "add", "radd", "sub", "rsub", "subtract", "mul", "rmul", "multiply", "div", "rdiv",
    "divide", "true_divide", "truediv", "rtruediv", "floor_divide", "floordiv", "rfloordiv",
    "remainder", "mod", "rmod", "fmod", "pow", "rpow", "float_power", "atan2", "arctan2",
    "hypot", "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge",
    "greater", "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or",
    "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "and", "or", "xor", "rand",
    "ror", "rxor", "where", "lerp", "addcmul", "addcdiv", "xlogy", "copysign", "nextafter",
    "ldexp", "heaviside",
})
LOSSES = frozenset({
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "soft_margin_loss", "poisson_nll_loss", "kl_div",
})
# Ops that take tensors on two devices by design: transfers, and indexing with a CPU index.
TRANSFERS = frozenset({
    "to", "copy_", "cuda", "cpu", "getitem", "setitem", "index_put_", "index_put", "set_",
    "type", "type_as", "pin_memory", "get", "set", "new_tensor", "tensor", "as_tensor",
    "_foreach_copy_",
})

_state = "idle"
_findings: list[Json] = []
_keys: set[tuple[str, str, int]] = set()
_mode: Any = None
_thread: int | None = None
_step_hook: Any = None
_cell_hook: Callable[..., None] | None = None
_mode_class: type | None = None
_skipped: tuple[str, ...] = ()

# frontend evaluates ``__import__(CHECKED_MODULE_ALIAS).arm()``; a re-booted probe takes it over
sys.modules[protocol.CHECKED_MODULE_ALIAS] = sys.modules[__name__]


def arm() -> str:
    """Start a checked step on the calling (stopped) thread; the sentence is the evaluate result."""
    global _state, _findings, _keys, _mode, _thread, _skipped
    torch = sys.modules.get("torch")
    if torch is None:
        return "torch is not imported: there is no step to check"
    _skipped = _skipped_prefixes()
    _end_mode()
    _remove_hooks()
    _findings, _keys = [], set()
    _mode, _thread, _state = _checked_mode(torch)(), threading.get_ident(), "armed"
    _enter_under_others(torch, _mode)
    _add_hooks(torch)
    return "checked step armed: continue, and it ends when optimizer.step() returns"


def disarm() -> str:
    """End the checked step (the frontend calls it at the next stop); its findings stay."""
    _end_mode()
    _remove_hooks()
    n = len(_findings)
    return f"checked step ended: {n} finding{'' if n == 1 else 's'}"


def report() -> Json:
    """The CheckedStep: the state and the findings of the running or last checked step."""
    return {"state": _state, "findings": list(_findings)}


def _end_mode() -> None:
    """Take the mode off its thread's stack; from another thread it can only go quiet, and
    stays for a later call on its own thread to take off."""
    global _state, _mode
    if _mode is None:
        return
    _mode.active = False
    _state = "done"
    torch = sys.modules.get("torch")
    if torch is not None and threading.get_ident() == _thread:
        mode, _mode = _mode, None
        _exit_from_under_others(torch, mode)


def _on_step(optimizer: Any, args: Any, kwargs: Any) -> None:
    """Optimizer step post hook: the step is over. The hook stays registered (removing it
    here would change the dict torch is iterating) until disarm, the next arm or cell end."""
    if _mode is not None and threading.get_ident() == _thread:
        _end_mode()


def _on_cell_end(*args: Any) -> None:
    """IPython's post_run_cell: a step that raised, or a cell that ended, ends the check."""
    if threading.get_ident() == _thread:  # a subshell's cell ends nothing here
        _end_mode()
        _remove_hooks()


def _add_hooks(torch: Any) -> None:
    global _step_hook, _cell_hook
    optimizer_module = sys.modules[torch.optim.Optimizer.__module__]
    _step_hook = optimizer_module.register_optimizer_step_post_hook(_on_step)
    shell = namespace.shell()
    if shell is not None:
        shell.events.register("post_run_cell", _on_cell_end)
        _cell_hook = _on_cell_end


def _remove_hooks() -> None:
    global _step_hook, _cell_hook
    if _step_hook is not None:
        _step_hook.remove()
        _step_hook = None
    shell = namespace.shell()
    if _cell_hook is not None and shell is not None:
        try:
            shell.events.unregister("post_run_cell", _cell_hook)
        except ValueError:
            pass  # IPython dropped it already
    _cell_hook = None


def _enter_under_others(torch: Any, mode: Any) -> None:
    """Push ``mode`` below the modes already on this thread's stack: a user's ``with`` block
    (``with torch.device(...)``) then pops its own mode, not ours, when it ends."""
    above = _pop_modes(torch, None)
    mode.__enter__()
    _push_modes(torch, above)


def _exit_from_under_others(torch: Any, mode: Any) -> None:
    if not any(m is mode for m in torch.overrides._get_current_function_mode_stack()):
        return
    above = _pop_modes(torch, mode)
    mode.__exit__(None, None, None)
    _push_modes(torch, above)


def _pop_modes(torch: Any, until: Any) -> list[Any]:
    """Pop the modes above ``until`` (all when None), top first."""
    popped = []
    while torch._C._len_torch_function_stack() > 0:
        top = torch.overrides._get_current_function_mode_stack()[-1]
        if top is until:
            break
        popped.append(torch.overrides._pop_mode())
    return popped


def _push_modes(torch: Any, popped: list[Any]) -> None:
    for other in reversed(popped):
        torch.overrides._push_mode(other)


def _checked_mode(torch: Any) -> type:
    """The TorchFunctionMode class, made once torch is imported (never imported here)."""
    global _mode_class
    if _mode_class is not None:
        return _mode_class

    class CheckedMode(torch.overrides.TorchFunctionMode):
        """Forwards every op unchanged and notes findings around it while active."""

        def __init__(self) -> None:
            super().__init__()
            self.active = True

        def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            if kwargs is None:
                kwargs = {}
            seen = _before(torch, func, args, kwargs) if self.active else None
            result = func(*args, **kwargs)
            if seen is not None and self.active:
                _after(torch, seen, result)
            return result

    _mode_class = CheckedMode
    return CheckedMode


def _before(torch: Any, func: Any, args: Any, kwargs: Any) -> tuple[str, list, Any, Any] | None:
    """The op's name and tensor inputs, with a mixed-devices finding noted before it runs."""
    try:
        name = _op_name(func)
        tensors = _tensors(torch.Tensor, args, kwargs)
        if len(tensors) > 1 and name not in TRANSFERS:
            devices = {str(t.device) for t in tensors if not (t.device.type == "cpu" and t.dim() == 0)}
            if len(devices) > 1:
                _note("devices", f"{name} got tensors on {' and '.join(sorted(devices))}")
        return name, tensors, args, kwargs
    except Exception:  # a failure of ours must never reach the user's step
        return None


def _after(torch: Any, seen: tuple[str, list, Any, Any], result: Any) -> None:
    name, tensors, args, kwargs = seen
    try:
        if name in ELEMENTWISE and len(tensors) > 1 and isinstance(result, torch.Tensor):
            _check_growth(torch, name, [list(t.shape) for t in tensors], result.numel())
        elif name in LOSSES:
            pair = [a for a in (*args[:2], kwargs.get("input"), kwargs.get("target"))
                    if isinstance(a, torch.Tensor)]
            if len(pair) == 2 and pair[0].shape != pair[1].shape:
                shapes = [list(t.shape) for t in pair]
                _check_growth(torch, name, shapes, _numel(torch.broadcast_shapes(*shapes)))
        _check_float64(torch, name, tensors, result, args, kwargs)
    except Exception:  # a failure of ours must never reach the user's step
        return


def _check_growth(torch: Any, name: str, shapes: list[list[int]], out_numel: int) -> None:
    largest = max(_numel(s) for s in shapes)
    if out_numel <= largest:
        return
    out = list(torch.broadcast_shapes(*shapes))
    if _numel(out) != out_numel:
        return  # not a broadcast (a loss reduces; the elementwise result is its broadcast shape)
    listed = " and ".join(str(s) for s in shapes)
    _note("broadcast", f"{name} broadcast {listed} to {out}: {_numel(out)} elements from at most {largest}")


def _check_float64(torch: Any, name: str, tensors: list, result: Any, args: Any, kwargs: Any) -> None:
    wide = (torch.float64, torch.complex128)
    results = [result] if isinstance(result, torch.Tensor) else \
        [r for r in result if isinstance(r, torch.Tensor)] if type(result) in (tuple, list) else []
    made = next((r for r in results if r.dtype in wide), None)
    if made is None or name == "double" or any(
            a in wide for a in itertools.chain(args, kwargs.values()) if type(a) is torch.dtype):
        return  # none, or asked for by name: deliberate, not a creep
    dtype = str(made.dtype).removeprefix("torch.")
    narrow = sorted({_dtype_name(t) for t in tensors if t.is_floating_point() and t.dtype not in wide})
    if not any(t.dtype in wide for t in tensors):
        source = f" from {'/'.join(sorted({_dtype_name(t) for t in tensors}))}" if tensors else ""
        _note("float64", f"{name} made a {dtype} tensor {list(made.shape)}{source} (no {dtype} input)")
    elif narrow:
        _note("float64", f"{name} promoted {'/'.join(narrow)} to {dtype} {list(made.shape)} "
              f"(a {dtype} input came in)")


def _dtype_name(t: Any) -> str:
    return str(t.dtype).removeprefix("torch.")


def _note(kind: str, message: str) -> None:
    if len(_findings) >= FINDINGS_MAX:
        return
    where = _where(sys._getframe(1))
    if where is None:
        return
    key = (kind, *where)
    if key in _keys:
        return
    _keys.add(key)
    _findings.append({"kind": kind, "message": message, "path": where[0], "line": where[1]})


def _where(frame: FrameType | None) -> tuple[str, int] | None:
    """The innermost user frame that ran the op; None for ops a debugger's repr ran."""
    fallback = None
    while frame is not None:
        path = frame.f_code.co_filename
        if is_debugger_frame(frame):
            return None
        if not path.startswith(_skipped):
            if is_user_frame(frame):
                return path, frame.f_lineno
            fallback = fallback or (path, frame.f_lineno)
        frame = frame.f_back
    return fallback


def _skipped_prefixes() -> tuple[str, ...]:
    """File name starts of the probe's own code and of torch's."""
    own = _where.__code__.co_filename
    # an embedded probe's files are named "<jupyterlab_ml_debugger VERSION: module.py>";
    # an installed one's lie in probe/checks/, and the probe is the folder above
    prefixes = [own.split(" ", 1)[0] if own.startswith("<") else os.path.dirname(os.path.dirname(own)) + os.sep]
    torch_file = getattr(sys.modules.get("torch"), "__file__", None)
    if torch_file:
        prefixes.append(os.path.dirname(torch_file) + os.sep)
    return tuple(prefixes)


def _tensors(tensor_type: type, args: Any, kwargs: Any) -> list:
    """Tensor arguments, one level into lists and tuples; ``out=`` is a result, not an input."""
    found = []
    for value in itertools.chain(args, (v for k, v in kwargs.items() if k != "out")):
        if isinstance(value, tensor_type):
            found.append(value)
        elif type(value) in (list, tuple):
            found.extend(v for v in value if isinstance(v, tensor_type))
    return found


def _op_name(func: Any) -> str:
    name = getattr(func, "__name__", "")
    if type(name) is not str:
        return ""
    return name.strip("_") if name.startswith("__") else name


def _numel(shape: Any) -> int:
    n = 1
    for size in shape:
        n *= int(size)
    return n
