"""Hold back Ctrl-C and SIGTERM while a few bookkeeping calls must finish."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block ends.

    A second Ctrl-C, or a supervisor repeating SIGTERM, would otherwise cut the
    calls that mark runs KILLED and leave them RUNNING. A signal that arrives
    meanwhile is delivered when the block ends. Outside the main thread (where
    Python never runs signal handlers) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
