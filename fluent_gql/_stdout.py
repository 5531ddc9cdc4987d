"""What a command does when the reader of its stdout goes away (``... | head -1``)."""

from __future__ import annotations

import os
import signal
import sys

__all__ = ["EXIT_BROKEN_PIPE", "stdout_closed"]

#: The exit status when stdout is closed early: a process killed by SIGPIPE has
#: 128 + SIGPIPE (141) as the shell's status.
EXIT_BROKEN_PIPE = 128 + getattr(signal, "SIGPIPE", 13)


def stdout_closed() -> int:
    """Stop writing to a stdout whose reader has gone; return the exit status.

    What Python's documentation recommends for SIGPIPE: the rest of the output,
    including what is still buffered, goes to the null device, so that nothing is
    reported at exit ("Exception ignored ... BrokenPipeError").
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (captured output)
        pass
    finally:
        os.close(devnull)
    return EXIT_BROKEN_PIPE
