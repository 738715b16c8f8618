"""Every teaching notebook in examples/ runs top to bottom on a real kernel and prints
what its text promises.

Cells tagged ``skip-execution`` are not run; cells tagged ``raises-exception`` may fail
(and must, or the notebook's story is wrong). New notebooks are picked up by the
parametrisation; what each one must print lives in ``EXPECTED``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import jupyterlab_ml_debugger

PACKAGE_ROOT = Path(jupyterlab_ml_debugger.__file__).resolve().parent.parent
EXAMPLES = PACKAGE_ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))

SKIP_TAG = "skip-execution"
RAISES_TAG = "raises-exception"

# Fragments (plain text, or compiled patterns) that must appear in the text a notebook
# prints, in this order.
EXPECTED: dict[str, list[str | re.Pattern[str]]] = {
    "01-variable-value.ipynb": [
        "loss first overflows to inf at step 25",
        "loss first becomes nan at step 55",
        # The probe's one-line summary of the weight shows its shape and 8 NaN, and its
        # stats count every element as NaN.
        re.compile(r"^.*\[1, 8\].*\bNaN 8\b.*\nNaN: 8 of 8$", re.MULTILINE),
        "all finite: True",
        # Sensitive Data Exposure: the made-up token masked by its name, by what an expression reads,
        # and by its shape; what is no secret stays readable.
        re.compile(r"^api_token +•••••• \(secret: masked\)$", re.MULTILINE),
        re.compile(r'^os\.environ\["MY_SERVICE_TOKEN"\] +•••••• \(secret: masked\)$', re.MULTILINE),
        re.compile(r"^api_token\.upper\(\) +•••••• \(secret: masked\)$", re.MULTILINE),
        re.compile(r"""^request\["header"\] +'Bearer •••••• \(secret: bearer token\)'$""", re.MULTILINE),
        re.compile(r"^len\(api_token\) +20$", re.MULTILINE),
        re.compile(r'^config\["lr"\] +0\.001$', re.MULTILINE),
    ],
    "02-breakpoint-actions.ipynb": [
        # (B): a record action every 10th step; the glitched batch of step 47 shows at step 50.
        "(B) records 10 rows, at steps [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]",
        re.compile(r"^step 50  loss +\d+\.\d+  norm", re.MULTILINE),
        # (A): the gradient-norm condition holds once, on the glitched batch.
        re.compile(r"^\(A\) stops at steps \[47\]: norm 0\.\d+ -> \d{2,}\.\d+$", re.MULTILINE),
        "the largest recorded loss after step 0 is at step 50",
        # (C): the scheduler halves the learning rate every 30 steps.
        "(C) logs at steps [29, 59, 89]",
        "step 29: sched.step() changed lr from 0.1 to 0.05",
        "step 89: sched.step() changed lr from 0.025 to 0.0125",
        # The form's parser accepts the condition and refuses a truncated one.
        "condition 'norm > 5 * prev_norm': True",
        "condition 'norm > 5 *': invalid syntax",
        "log 'loss={loss.item()}': True",
        "clipping keeps the loss at step 50 below 1: True",
    ],
    "03-type-structure.ipynb": [
        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x1568 and 392x10)",
        # The tree names the culprit: the head's weight is sized for 392 features, and
        # the norm layer sits on the meta device.
        "  head: Linear  weight [10, 392], bias [10]  on cpu",
        "  norm: LayerNorm  weight [10], bias [10]  on meta",
        "4,030 parameters",
        # With shapes recorded, the features module shows the 8 x 14 x 14 it really gives.
        "  features: Sequential  in [[4, 1, 28, 28]] -> out [[4, 8, 14, 14]]",
        "RuntimeError: Tensor on device meta is not on the expected device cpu!",
        "output [4, 10] on cpu",
        "hooks left: 0",
        re.compile(r"^max +local +shadows builtin$", re.MULTILINE),
        re.compile(r"^lr +enclosing +shadows global$", re.MULTILINE),
        re.compile(r"^scale +enclosing$", re.MULTILINE),
        "the step used lr = 0.01 not the global 0.1",
    ],
    "04-nan-origin.ipynb": [
        "loss without the watch: nan",
        "parameters with a non-finite gradient: ['0.weight', '0.bias', '2.0.weight', '2.0.bias', '3.weight', '3.bias']",
        # The watch names the module that made the NaN, not the Linear after it that passed it on.
        "NaN/Inf first appeared in the forward pass at step 0, in the outputs of module '2.1' (Normalize); "
        "it created them: its inputs were finite.",
        re.compile(r"^inputs: input \[32, 16\] float32 finite min", re.MULTILINE),
        re.compile(r"^outputs: output \[32, 16\] float32 NaN \d+ Inf 0", re.MULTILINE),
        "origin: 2.1 (Normalize), forward, created=True",
        "update ratio: copies the 4 parameters (0.8 KiB) before each optimizer.step() and frees them after",
        "steps recorded: 20",
        re.compile(r"^0\.weight +grad \d\.\d{4}  ratio \d\.\d{4}  update \d\.\d{4}  flag None", re.MULTILINE),
        "hooks left: 0",
    ],
    "05-shape-errors.ipynb": [
        # The Checks section's sentence: the module, what it expects, what it got, and where.
        re.compile(r"^model\.head \(Linear\) expects in_features=392 but received \[4, 1568\] "
                   r"\(called from forward, line \d+ of a cell\)\.$", re.MULTILINE),
        "kind: linear",
        "module: model.head (Linear)",
        "expects: in_features=392",
        "received: [4, 1568]",
        "where: forward line",
        # An error in the user's own forward: the view's input found among the frame's locals.
        "The view/reshape in pooled (Pooled) expected [4, 392] (1568 elements), "
        "but got [4, 8, 14, 14] (6272 elements)",
        "shape ok   images: [4, 1, 28, 28] matches B 1 H W with B=4, H=28, W=28",
        "mismatch   crops: dimension H is 14 here but 28 in images",
        "shape ok   labels: [4] matches B with B=4",
        "mismatch   model: a Classifier has no shape",
        "logits [4, 10]",
    ],
    "06-data-defects.ipynb": [
        "547 rows, sampled: False",
        "missing    column 'age': 4 missing values (0.7% of rows)",
        "case       column 'city': 'Paris', 'paris ' and 'PARIS' differ only by case or whitespace (187 rows)",
        "case       column 'city': 'Lyon' and 'lyon' differ only by case or whitespace (174 rows)",
        re.compile(r"^outliers   column 'income': 1 value lies outside .* the farthest 5\.4e\+07$", re.MULTILINE),
        "duplicates 2 rows repeat an earlier row in every column",
        "constant   column 'currency' holds the one value 'EUR' in every row",
        "imbalance  label 'churned': class 1 has 17 rows against 530 of class 0 (31× fewer)",
        "leakage    5 rows also appear in the other dataset (compared on 'city', 'age', 'income' and 'currency')",
        # Each remedy removes its defect; imbalance is kept and weighted in the loss instead.
        "left after cleaning: ['imbalance']",
        # Eight prices are judged with the small-sample factor; three are too few, and the check says so.
        re.compile(r"^column 'price': 1 value lies outside .* 1\.129 the small-sample factor for 8 values\), "
                   r"the farthest 1000$", re.MULTILINE),
        "note: Column 'price' has 3 values: the outlier rule needs at least 5.",
        "note: Column 'churned': 530 of 547 values are 0, so its MAD is 0",
        # Ten million rows with a mixed object column: sampled, said so, no object method called.
        "sampled: True",
        re.compile(r"^note: Checked one row in every \d+ \([\d,]+ of 10,000,000\)", re.MULTILINE),
        re.compile(r"^note: Column 'status': \d+ values of other types \(such as Reading\) were not compared",
                   re.MULTILINE),
        re.compile(r"^column 'flag' holds the one value 0 in every row in a sample of [\d,]+ of 10,000,000 rows$",
                   re.MULTILINE),
    ],
    "07-live-break-in.ipynb": [
        # Two live looks at the training thread, a second apart: its line, step and loss, still running.
        re.compile(r"^trainer is active, in train, line \d+: .+\n    step = \d+\n"
                   r"    loss = Tensor\[\] float32 cpu  = ", re.MULTILINE),
        re.compile(r"^trainer is active, in train, line \d+: .+\n    step = \d+\n"
                   r"    loss = Tensor\[\] float32 cpu  = ", re.MULTILINE),
        "the step advanced between the two looks: True",
        "trainer still running: False",
    ],
    "08-threads-and-deadlocks.ipynb": [
        # A stalled pipeline: the trainer waits on the empty queue, the loader on an event; each is a
        # Blocked Thread that names what it waits on and its Blocking Module.
        re.compile(r"^loader +blocked +load, line \d+: disk_ready\.wait\(\)", re.MULTILINE),
        "waits for Event disk_ready to be set (blocking module: threading)",
        "Waits for Event disk_ready to be set (not set).",
        re.compile(r"^trainer +blocked +consume, line \d+: batch = batches\.get\(\)", re.MULTILINE),
        "waits on queue batches (blocking module: queue)",
        "Waits for an item from Queue batches (empty: 0 of 16 items).",
        "trainer saw 320 samples",
        "loader and trainer still running: False",
        re.compile(r"^spiking thread: augmenter, \d\.\d of a core", re.MULTILINE),
        # Two locks taken in opposite order: each wait names the lock and its holder, and the cycle.
        "Waits for Lock log_lock, held by log-flusher.",
        "Waits for Lock stats_lock, held by metrics.",
        "Deadlock: metrics waits for log_lock held by log-flusher; log-flusher waits for stats_lock held by metrics.",
        "cycle: metrics (waits for log_lock) -> log-flusher (waits for stats_lock)",
        # An RLock names its owner; a plain Lock taken without `with` does not.
        "reader    Waits for RLock checkpoint_lock (count 1), held by writer.",
        "gpu-user  Waits for Lock gpu_lock, owner unknown",
    ],
    "09-counters-and-leaks.ipynb": [
        re.compile(r"^resident memory +[\d,]+\.\d MiB$", re.MULTILINE),
        re.compile(r"^Python heap \(tracemalloc\) +-  \(tracemalloc is off", re.MULTILINE),
        # Tensors kept with their graphs: resident memory only grows, and the flag names the list.
        re.compile(r"^memory-leak on rss: Resident memory grew [\d,.]+ [MG]iB over the last \d+ samples "
                   r"without falling; `losses` grew by \d+ items\.$", re.MULTILINE),
        # The fix: floats, no graph, nothing flagged.
        "flags: []",
        "losses holds float values",
        re.compile(r"^handle-leak on fds: Open file descriptors grew by \d+ over the last \d+ samples "
                   r"without falling; `snapshots` grew by \d+ items?\.$", re.MULTILINE),
        "back where they were: True",
        "flags: []",
        # A class attribute that gains 100 bytes a step: flagged by its path, then quiet once cleared.
        re.compile(r"^container-leak: `Processes\._procinfo` grew by \d+ entries in \d+ s \(never shrank\)\.$",
                   re.MULTILINE),
        "container flags: []",
        re.compile(r"^Python heap grew by \d+\.\d MiB for 200,000 floats$", re.MULTILINE),
        "largest allocation site: line 6 of this cell",
        "after stop: -  (tracemalloc is off",
    ],
    "10-postmortem.ipynb": [
        "batch [4, 3, 32, 32] [0, 1, 2, 0]",
        # The chain, read after the cell failed: the ValueError raised in collate, then its KeyError cause.
        "raised: ValueError: cannot collate a batch of 4 samples: a label is not in VOCAB",
        re.compile(r"^  fetch, line \d+ \(library\)", re.MULTILINE),
        re.compile(r"^  collate, line \d+ \(your code\): raise ValueError", re.MULTILINE),
        re.compile(r"^    images = Tensor\[4, 3, 32, 32\] float32 cpu", re.MULTILINE),
        re.compile(r"^cause: KeyError: '?Dog'?$", re.MULTILINE),
        "locals of encode_labels:",
        "    name = 'Dog'",
        # An error raised from an exception group: the group as its cause, and the members one level
        # below, each with its own frame's locals.
        re.compile(r"^raised: (__main__\.)?InvalidDataset: 3 samples failed validation$", re.MULTILINE),
        "cause: ExceptionGroup: 3 of 8 samples are invalid (3 sub-exceptions)",
        "    group: ValueError: sample 2: image is [3, 28, 28], expected [3, 32, 32]",
        "        image = Tensor[3, 28, 28] float32 cpu",
        re.compile(r"^    group: KeyError: '?Dog'?$", re.MULTILINE),
        "        index = 5",
        "    group: ValueError: sample 6: image holds NaN or Inf",
        re.compile(r"^        image = Tensor\[3, 32, 32\] float32 cpu .* NaN 1 ", re.MULTILINE),
        "batch [4, 3, 32, 32] [1, 1, 2, 0]",
    ],
    "11-modules.ipynb": [
        re.compile(r"^torchinfo +- +local +\S+/torchinfo\.py$", re.MULTILINE),
        re.compile(r"^shadowed: torchinfo is imported from \S+/torchinfo\.py, which hides the installed "
                   r"torchinfo [\d.]+ at \S+$", re.MULTILINE),
        "418 parameters",
        "checked 4 requirements of requirements-demo.txt, error: None",
        re.compile(r"^mismatch: torch \S+ is installed, requirements-demo\.txt asks for torch==2\.5\.1\.$",
                   re.MULTILINE),
        re.compile(r"^mismatch: numpy \S+ is installed, requirements-demo\.txt asks for numpy<2\.$", re.MULTILINE),
        "missing: scikit-learn is not installed, requirements-demo.txt asks for scikit-learn>=1.4.",
        "project folder on sys.path: False",
    ],
    "12-crash-and-hang.ipynb": [
        # A DataLoader worker that exits: PyTorch raises, and until then the look flags a waiting hang
        # at the cell's line, with the worker alive.
        re.compile(r"^RuntimeError: DataLoader worker \(pid\(s\) \d+\) exited unexpectedly$", re.MULTILINE),
        re.compile(r"^hung: True, waiting, at the same line for \d+\.\d s \(threshold 1 s\)$", re.MULTILINE),
        "in <module>, line 13: batch = next(iter(loader))",
        "DataLoader worker: alive",
        # A child killed with SIGKILL: the wait for it is a waiting hang, and it ends by the signal.
        re.compile(r"^hung: True, waiting, at the same line for \d+\.\d s \(threshold 1 s\)$", re.MULTILINE),
        "in <module>, line 5: code = child.wait()",
        "child ended with returncode -9: killed by SIGKILL",
        # A C call that holds the GIL shuts out every other thread, the probe's included.
        "the look was shut out while the match held the GIL: True",
    ],
}


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _text(outputs: list[nbformat.NotebookNode]) -> str:
    """The text a user sees under a cell: streams and plain-text results."""
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", "") + "\n")
    return "".join(parts)


def _find_in_order(text: str, fragments: list[str | re.Pattern[str]]) -> list[str]:
    """The fragments not found in ``text`` after the previous fragment's match."""
    missing = []
    pos = 0
    for fragment in fragments:
        if isinstance(fragment, re.Pattern):
            match = fragment.search(text, pos)
            end = match.end() if match else -1
        else:
            start = text.find(fragment, pos)
            end = start + len(fragment) if start >= 0 else -1
        if end < 0:
            missing.append(fragment.pattern if isinstance(fragment, re.Pattern) else fragment)
        else:
            pos = end
    return missing


def _run(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=240,
        skip_cells_with_tag=SKIP_TAG,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # The kernel imports this checkout's package even where it was never pip-installed.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
    )
    client.execute(env=env)
    return nb


def test_examples_folder_has_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks found in {EXAMPLES}"


def test_every_expectation_names_an_existing_notebook() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert set(EXPECTED) <= names, f"EXPECTED names missing notebooks: {set(EXPECTED) - names}"


@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_example_runs_and_prints_what_it_promises(path: Path) -> None:
    nb = _run(path)
    code = [c for c in nb.cells if c.cell_type == "code"]

    for i, cell in enumerate(code):
        tags = _tags(cell)
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if SKIP_TAG in tags:
            continue
        if RAISES_TAG in tags:
            assert errors, f"code cell {i} is tagged {RAISES_TAG} but raised nothing"
        else:
            # nbclient already stops on an unexpected error; this names the cell.
            assert not errors, f"code cell {i} raised {errors[0].ename}: {errors[0].evalue}"

    printed = "".join(_text(c.get("outputs", [])) for c in code)
    missing = _find_in_order(printed, EXPECTED.get(path.name, []))
    assert not missing, f"{path.name} did not print {missing!r}; it printed:\n{printed}"
