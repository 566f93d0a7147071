"""Timing a command in a fresh process: CPU, wall time and peak memory of that process alone."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished process: CPU seconds (user + system, its waited children included), wall
    seconds, peak resident memory in MB, and what it printed."""

    cpu: float
    wall: float
    rss_mb: float
    stdout: str


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` in a fresh process and wait for it; exit naming it if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{message}")
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, stdout)
