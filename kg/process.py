"""Child processes that do not outlive kg.

kg starts processes of its own: the build's worker processes and the SPARQL server of
``kg serve``.  When kg ends normally, or on Ctrl-C or SIGTERM, it stops them itself; when it is
killed outright (``kill -9``, the out-of-memory killer) it cannot, and a worker would be left
holding a model in memory, or the server the port and the store's lock.
:func:`die_with_parent`, called in the child, asks Linux to end it when its parent ends.

>>> die_with_parent() in {True, False}
True
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Any

_PR_SET_PDEATHSIG = 1


def _find_prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up at import, in the parent: a child between fork and exec (``preexec_fn``) must not
# load libraries, since another thread of the parent may have held the loader's lock.
_PRCTL = _find_prctl()


def die_with_parent(sig: int = signal.SIGTERM, *, parent: int | None = None) -> bool:
    """Have this process receive ``sig`` when its parent ends (Linux ``prctl``); returns
    whether that could be arranged (False on other systems).

    ``parent`` is the pid of the process that started this one, as that process saw itself:
    a child whose start-up is slow (a worker imports spaCy first) may find its parent already
    gone and itself adopted by another, so it cannot learn it from ``getppid`` then.  A parent
    already gone by the time this runs ends this process at once."""
    if _PRCTL is None:
        return False
    expected = os.getppid() if parent is None else parent
    if _PRCTL(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        return False
    if os.getppid() != expected:  # the parent ended before the request was made
        os.kill(os.getpid(), sig)
    return True


__all__ = ["die_with_parent"]
