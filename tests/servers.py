"""Real backend server processes for tests: started with Reflex's own command, killed like a crashed machine."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def run_quietly(cmd: list[str], env: dict[str, str]) -> None:
    """Run a set-up command; its output is shown only when it fails."""
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


@dataclass
class Backend:
    """One backend server process (`reflex run --env prod --backend-only`, one Granian worker)."""

    port: int
    process: subprocess.Popen

    def kill(self) -> None:
        """Kill it without warning, workers and all, like a crashed machine."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def start_backend(env: dict[str, str], log: Path, port: int | None = None) -> Backend:
    port = port or free_port()
    cmd = [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only", "--backend-port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    backend = Backend(port, process)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/ping", process)
    except RuntimeError as error:
        backend.stop()
        raise RuntimeError(f"{error}; its log ends:\n{log.read_text(errors='replace')[-3000:]}") from None
    return backend
