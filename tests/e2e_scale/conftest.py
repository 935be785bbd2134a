"""The app scaled out, for real: PostgreSQL, Redis, two backend processes behind one balancer, one front end.

The balancer (`Switchboard`) decides which backend a new connection reaches, so a test can move a
visitor to the other worker, or kill one, at a moment of its choosing.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import uvicorn

from tests import browser as shared_browser
from tests.databases import fresh_schema, postgres_unreachable
from tests.e2e_scale.switchboard import Switchboard

# The shared Chromium fixtures, made visible to this folder's tests.
browser, page = shared_browser.browser, shared_browser.page
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def redis_unreachable() -> str:
    """Why Redis can't be used here, or "" when it can."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means "not here"; the reason says which
        return f"Redis is not reachable at {REDIS_URL} (set MOTORJOY_TEST_REDIS_URL): {error}"
    return ""


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


@dataclass
class ScaledApp:
    url: str  # the front end, what a visitor opens
    backend_url: str  # the balancer, which every page talks to
    env: dict[str, str]
    backends: list[Backend]
    switchboard: Switchboard


def start_backend(env: dict[str, str], log: Path) -> Backend:
    port = free_port()
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


@pytest.fixture(scope="session")
def scaled_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledApp]:
    if reason := postgres_unreachable() or redis_unreachable():
        pytest.skip(f"The scaled-out browser tests need PostgreSQL and Redis. {reason}")
    from reflex.utils.exec import _frontend_prod_app

    tmp = tmp_path_factory.mktemp("scaled")
    switchboard = Switchboard([0, 0]).start()  # the backends' ports are known once they run
    with fresh_schema("e2e") as db_url:
        env = dict(
            os.environ,
            PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            MOTORJOY_DATA_DIR=str(tmp / "data"),  # shared: the picture disk cache and the signing key
            REFLEX_DB_URL=db_url,
            REFLEX_REDIS_URL=REDIS_URL,
            REFLEX_API_URL=f"http://127.0.0.1:{switchboard.port}",
            REFLEX_USE_GRANIAN="true",
            GRANIAN_WORKERS="1",
            MOTORJOY_PICTURE_MISSES_PER_MINUTE="100000",  # every test is one client (see tests/e2e/conftest.py)
            REFLEX_CHECK_LATEST_VERSION="false",
        )
        # Migrations once, before any worker starts; then the front end, built to talk to the balancer.
        run_quietly([str(BIN / "motorjoy"), "demo"], env)
        run_quietly([str(BIN / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"], env)
        frontend = uvicorn.Server(uvicorn.Config(_frontend_prod_app(), host="127.0.0.1", port=free_port()))
        frontend_thread = threading.Thread(target=frontend.run, daemon=True)
        frontend_thread.start()
        backends = [start_backend(env, tmp / f"backend-{n}.log") for n in (1, 2)]
        switchboard.backends = [b.port for b in backends]
        app_url = f"http://127.0.0.1:{frontend.config.port}"
        wait_until_up(app_url)
        try:
            yield ScaledApp(app_url, env["REFLEX_API_URL"], env, backends, switchboard)
        finally:
            for backend in backends:
                backend.stop()
            frontend.should_exit = True
            frontend_thread.join(10)
            switchboard.stop()
