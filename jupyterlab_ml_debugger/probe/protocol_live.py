"""The live-inspection replies' shapes: part of the wire protocol documented in ``protocol.py``.

The ops (``threads``, ``counters``, ``postmortem``, ``modules``) are listed with the others
in ``protocol.py``; `src/kernel/liveProtocol.ts` mirrors the shapes below. Change both
together and bump ``protocol.PROTOCOL_VERSION`` when a key changes meaning. Every op here
reads without pausing the user's cell: it runs on the subshell and only looks.

``threads`` args ``{"locals"?: bool, "max_threads"?: int, "max_frames"?: int,
"budget_ms"?: float, "value_budget_ms"?: float}`` -> Threads (Stack Trace Collection,
Spiking Thread, Wait Chain / Deadlock)::

    {"threads": [Thread], "total": int, "spiking": Spiking | None,
     "deadlocks": [Deadlock], "interval_ms": float | None,
     "truncated": bool, "cut": str | None, "elapsed_ms": float}

    total: threads alive (``threads`` holds at most max_threads, the main and user
    threads first); interval_ms: time since the previous ``threads`` sample, over which
    cpu_share is measured (None on the first); cut: what a bound left out and why

Thread::

    {"id": int, "native_id": int | None, "name": str,
     "kind": "main" | "user" | "kernel" | "debugger" | "probe",
     "daemon": bool | None, "state": "active" | "blocked" | "unknown",
     "blocked_on": str | None, "blocking_module": str | None,
     "cpu_ms": float | None, "cpu_share": float | None,
     "frames": [ThreadFrame], "frames_total": int, "wait": Wait | None}

    kind: "kernel" for ipykernel's own threads (control, IOPub, heartbeat, other
    subshells), "debugger" for debugpy's, "probe" for the thread answering (when the
    main thread itself asks, in-process, it stays "main" and its stack starts below
    the probe's own frames);
    state (Active Thread, Blocked Thread): "active" runs Python or native code on a CPU;
    "blocked" waits on a lock, queue, join, event, I/O, a sleep, a child process or the
    debugger; "unknown" when the signals do not say (no source, the budget ran out, or a
    thread in native code seen asleep before a CPU share is known). Read from the debugger's
    suspend loop, the wait chain, the call the top frame stands at, its instruction, the
    CPU share and the operating system's run state (``thread_state.py``);
    blocked_on: for a blocked thread, a short phrase: "sleeps in time.sleep", "waits for
    lock ready", "waits on queue q", "joins thread loader", "waits for I/O in
    socket.recv", "is paused by the debugger", "waits in native code: zmq.device"; else None;
    blocking_module (Blocking Module): for a blocked thread, the module its own code called
    into and waits in ("time", "queue", "threading", "socket", "selectors",
    "torch.utils.data.dataloader"; "__main__" for a cell's code that waits in a call not
    known); else None;
    cpu_share: CPU seconds used per wall second since the previous sample (1.0 = one
    core busy); CPU times are read at most once a second, shared with ``counters``, and
    a request within a second of the last read gets that read again; frames: innermost
    first, at most max_frames

ThreadFrame: ``{"path": str, "name": str, "line": int, "user": bool, "code": str | None,
"rows": [Row]}`` (code: the stripped source line; rows: local-value summaries of the user's
own frames in the main and user threads; [] for library frames, other threads, when ``locals`` is
false, or when the budget ran out)

Spiking: ``{"id": int, "name": str, "share": float}``, the thread that used the most CPU
since the previous sample, when it used at least half a core

Wait (what a blocked thread waits on)::

    {"kind": "lock" | "rlock" | "condition" | "semaphore" | "queue-get" | "queue-put"
             | "event" | "join",
     "label": str, "object": str, "owner": int | None, "owner_name": str | None,
     "owner_known": bool, "holders": [int], "detail": str | None, "text": str}

    label: how the waiting frame names the object ("cs1", "self._lock"); object: its
    type and address; owner: an RLock's owner thread, or the one thread whose frames
    show it inside a ``with`` on a Lock; holders: every thread whose frames show it
    inside a ``with`` on it; owner_known False: a plain Lock no frame shows held
    ("owner unknown"); detail: a Semaphore's value and waiters, a Queue's size and
    bound; text: one sentence saying all of it

Deadlock (a cycle of waits)::

    {"cycle": [{"thread": int, "name": str, "waits_for": str, "held_by": int}],
     "main": bool, "text": str}

    main: the main thread (the cell) is in the cycle

``counters`` args ``{}`` -> Counters (Counter Value, Memory Leak / Handle Leak). Each
request is one sample; the probe keeps the last COUNTER_HISTORY samples (scalars only)::

    {"time": float, "samples": int, "counters": [Counter], "cpu": [ThreadCpu],
     "flags": [LeakFlag], "elapsed_ms": float}

    Counter: {"id": str, "label": str, "unit": "bytes" | "count" | "ms",
              "value": float | None, "history": [float | None], "note": str | None}
    ids: "rss" (resident set now), "py_heap" (tracemalloc's current, None unless
    tracing), "cuda_allocated:N" / "cuda_reserved:N" (per device, only when CUDA was
    already initialised), "threads", "children" (child processes, e.g. DataLoader
    workers), "fds" (open file descriptors)
    ThreadCpu: {"id": int, "name": str, "cpu_ms": float, "share": float | None}

LeakFlag (a counter, or a container of the user's, that only grew over the last samples)::

    {"counter": str | None, "kind": "memory-leak" | "handle-leak" | "container-leak",
     "message": str, "growth": float, "samples": int,
     "types": [{"type": str, "count": int, "delta": int,
                "where": str | None, "handle": "thread" | "file" | "process" | None}],
     "containers": [{"path": str, "length": int, "delta": int}], "cut": str | None}

    counter: the Counter's id, or None for "container-leak": a container reachable
    from the user's namespace (globals, class attributes of the user's classes,
    instance attributes and closures a few levels deep, the running cell's locals,
    an unbounded lru_cache) whose length only grew over 20 samples (container_growth.MIN_SAMPLES),
    whatever the process memory does; its one container names the path.
    types: live objects by type that grew most, interpreter internals left out;
    where: what the instances run or where they are made or held ("each runs
    `worker`, defined at In [3], line 2"); handle: the handle kind of the type.
    containers: the user's containers that grew most, by path; cut: a bound (depth,
    objects looked at, time) that stopped the walk for what grows, and "unreadable: …" naming
    objects that could not be read

``postmortem`` args ``{"budget_ms"?: float, "value_budget_ms"?: float, "max_frames"?: int}``
-> Postmortem (Postmortem, Exception Stack Trace / Nested Exception), read from the
last failed cell's exception (``probe/stack/last_error.py``), nothing re-run::

    {"error": {"id": str, "chain": [ChainLink], "truncated": bool} | None,
     "elapsed_ms": float}

    ChainLink: {"type": str, "text": str, "relation": "raised" | "cause" | "context" |
                "group", "depth": int, "frames": [ThreadFrame]}

    chain: the raised exception first, then what it was raised from (cause) or
    while handling (context), and the members of an exception group ("group", one
    depth below their group); frames outermost first, as a traceback lists them

``modules`` args ``{"requirements"?: str}`` -> Modules (Module Collection / Not My
Version); requirements: a requirements file's path, relative to the kernel's working
directory::

    {"modules": [LoadedModule], "flags": [ModuleFlag],
     "requirements": {"path": str, "checked": int, "error": str | None} | None,
     "total": int, "truncated": bool, "elapsed_ms": float}

    LoadedModule: {"name": str, "version": str | None, "path": str | None,
                   "origin": "stdlib" | "site" | "local" | "builtin" | "other",
                   "distribution": str | None}
    ModuleFlag: {"kind": "shadowed" | "two-versions" | "mismatch" | "missing",
                 "module": str, "message": str}

    modules: top-level modules only; shadowed: a local file hides an installed
    library of that name; two-versions: one distribution installed twice on the path,
    or a module's ``__version__`` that differs from its distribution's; mismatch: a
    loaded version outside the requirement; missing: a requirement with nothing
    installed

``hang`` args ``{"threshold_s"?: float}`` -> Hang (Hang): whether the running cell is stuck,
polled while a cell runs; threshold_s (default HANG_THRESHOLD_S; the frontend sends the
``hangThresholdSeconds`` setting) is how long a stand lasts before it is a hang::

    {"hung": bool, "since_s": float | None, "kind": "waiting" | "spinning" | None,
     "threshold_s": float, "stack": [ThreadFrame], "waits_on": str | None,
     "workers": [Worker], "elapsed_ms": float}

    since_s: how long the main thread has stood still, measured from the first look that saw
    it there (the probe keeps each frame's first-seen time between calls): for "waiting",
    since the innermost frame that has not moved (same frame object, same instruction), so a
    library's polling loop inside a wait (a DataLoader's 5 s queue timeout) does not restart
    it; otherwise since the top frame got to its instruction. None when the main thread runs
    no cell (an idle kernel). Only the cell's frames and those it called count: a new cell
    starts from zero.
    kind: "waiting" used under 5% of a core since that first look (a lock, a queue, I/O, a
    sleep, a DataLoader with no batch coming); "spinning" used at least 80% of a core while
    the whole stack stood still at a call instruction (inside native code: a long NumPy or
    torch call that lets the GIL go), or more than 5% and is on a CPU or ready for one when
    looked at (a machine whose cores are all busy gives it less); None otherwise, or when the
    thread's CPU time cannot be read.
    hung: since_s >= threshold_s and kind is not None; where the CPU time cannot be read, the
    top frame standing that long; never while the cell waits for the user's ``input()``. A C call that holds the GIL stops the probe from answering
    at all: the request times out instead (read the stacks from outside then).
    stack: the cell's frames of the main thread, innermost first, at most HANG_FRAMES_MAX;
    ThreadFrames as ``threads`` gives them, with rows always []
    waits_on: what the main thread is blocked on: "waits for a batch from the DataLoader's
    workers", "waits for the user's input", else the Threads section's phrase ("waits for
    lock ready", "waits on queue q", "sleeps in time.sleep", "waits in native code: ...");
    None when it is not blocked

Worker (a DataLoader worker process of the kernel, found by multiprocessing's table of
unjoined children and the DataLoader iterators on the main thread's stack; torch is never
imported for it, and no worker is reaped by the look)::

    {"pid": int, "alive": bool, "exitcode": int | None, "signal_name": str | None}

    exitcode: the code a worker that ended exited with; signal_name: the signal that
    killed one ("SIGKILL", "SIGSEGV"); both None for a live worker, or an ended one whose
    status is gone (reaped elsewhere)
"""

from __future__ import annotations

COUNTER_HISTORY = 120
THREADS_MAX = 64
THREAD_FRAMES_MAX = 12
POSTMORTEM_FRAMES_MAX = 40
HANG_THRESHOLD_S = 30.0
HANG_FRAMES_MAX = 30
