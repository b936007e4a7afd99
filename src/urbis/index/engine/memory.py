"""Keep freed memory for reuse during long batched computations (glibc only).

The batched Monte Carlo allocates and frees many arrays of a few MiB per chunk. By
default glibc serves such sizes with fresh `mmap` pages and returns them on free, so
every chunk pays page faults in the kernel. Raising the mmap and trim thresholds keeps
those blocks in the heap for reuse. Threads share the one heap whose thresholds these
are: a thread's own arena lives in heaps of at most 64 MiB that glibc unmaps as soon as
one is empty, so the second thread of the Monte Carlo paid the faults all the same
(twice the system time). A process-wide setting: entry points
(the command line, the benchmark) call it, library code does not.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8


def keep_freed_memory(mmap_threshold: int = 32 * 2**20, trim_threshold: int = 512 * 2**20) -> bool:
    """Ask glibc to reuse freed blocks up to `mmap_threshold`; False where unavailable."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok_mmap = mallopt(M_MMAP_THRESHOLD, mmap_threshold)
    ok_trim = mallopt(M_TRIM_THRESHOLD, trim_threshold)
    ok_arenas = mallopt(M_ARENA_MAX, 1)  # every thread allocates from the main heap
    return bool(ok_mmap and ok_trim and ok_arenas)
