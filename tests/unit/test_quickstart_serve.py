"""`quickstart.py serve` stops the server on Ctrl+C, outright if it doesn't go within its grace."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A stand-in server: writes its pid, then waits; "stubborn" ignores Ctrl+C, as a deadlocked worker does.
SERVER = """
import os, signal, sys, time
if sys.argv[2] == "stubborn":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(120)
"""


def _as_a_background_job() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what a shell does to a job started with `&`


def _serve(tmp_path: Path, kind: str, grace: float, background: bool = False) -> tuple[subprocess.Popen, int]:
    pid_file = tmp_path / "server.pid"
    runner = (
        "import os, sys, quickstart;"
        f"sys.exit(quickstart.run_server([sys.executable, '-c', {SERVER!r}, {str(pid_file)!r}, {kind!r}],"
        f" dict(os.environ), {grace}))"
    )
    quickstart = subprocess.Popen(
        [sys.executable, "-c", runner],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_as_a_background_job if background else None,
    )
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.monotonic() < deadline, "the stand-in server never started"
        time.sleep(0.05)
    return quickstart, int(pid_file.read_text())


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("background", [False, True], ids=["in a terminal", "in a background job"])
def test_ctrl_c_stops_a_server_that_stops(tmp_path, background):
    quickstart, server = _serve(tmp_path, "willing", grace=30, background=background)
    quickstart.send_signal(signal.SIGINT)
    out, _ = quickstart.communicate(timeout=20)  # well inside the grace: the server went when asked
    assert _gone(server) and "outright" not in out


def test_ctrl_c_stops_a_stuck_server_outright_after_its_grace(tmp_path):
    quickstart, server = _serve(tmp_path, "stubborn", grace=1)
    quickstart.send_signal(signal.SIGINT)
    out, _ = quickstart.communicate(timeout=30)
    assert _gone(server) and "didn't stop within 1 s, so it was stopped outright" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the server learns of its parent's death on Linux")
def test_a_server_doesnt_outlive_a_killed_quickstart(tmp_path):
    quickstart, server = _serve(tmp_path, "willing", grace=30)
    quickstart.kill()
    quickstart.wait(timeout=10)
    deadline = time.monotonic() + 20
    while not _gone(server):
        assert time.monotonic() < deadline, "the server outlived its killed quickstart"
        time.sleep(0.1)
