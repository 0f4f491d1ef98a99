"""Keep freed memory in the process instead of handing it back to the kernel after every training step.

Why: a LeNet training step at batch 64 allocates and frees a few dozen arrays of 0.1–2 MB (padded inputs, windows,
outputs, gradients). glibc's malloc serves blocks that large with a fresh ``mmap`` and unmaps them on ``free``
(or trims the top of its heap), so the next step gets brand-new pages, and the kernel zeroes each 4 kB page on its
first touch: measured on the 2-core development machine (a virtual machine, where a page fault is dear), about
1,000 page faults per step, 2–3 µs each, 25–35 % of the step. With the two thresholds below raised, freed blocks
stay in malloc's heap and the next step reuses them: 0 page faults per step after the first few. PyTorch avoids
the same cost with its own caching allocator; NumPy allocates through malloc, so telling malloc is the way here.

What it costs: a process keeps the memory of its largest step until it exits, instead of shrinking between steps
(the peak is the same). Applied when the engine is imported, on glibc only (elsewhere nothing changes);
``CONVSTEP_KEEP_FREED_MEMORY=0`` leaves malloc alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

ENV_VAR = "CONVSTEP_KEEP_FREED_MEMORY"

# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

#: blocks up to this size come from malloc's heap, not from a fresh mmap (32 MB is glibc's largest allowed value)
MMAP_THRESHOLD = 32 << 20
#: free memory at the top of the heap is given back to the kernel only beyond this
TRIM_THRESHOLD = 256 << 20


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds (see the module's docstring). Returns True if they were applied."""
    if os.environ.get(ENV_VAR, "").strip() == "0":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): their allocators behave otherwise
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
