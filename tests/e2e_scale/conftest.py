"""The app scaled out, for real: PostgreSQL, Redis, two backend processes behind one balancer, one front end.

The balancer (`Switchboard`) decides which backend a new connection reaches, so a test can move a
visitor to the other worker, or kill one, at a moment of its choosing.
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
import uvicorn

from tests import browser as shared_browser
from tests.databases import fresh_schema, postgres_unreachable
from tests.e2e_scale.switchboard import Switchboard
from tests.servers import BIN, Backend, free_port, run_quietly, start_backend, wait_until_up

# The shared Chromium fixtures, made visible to this folder's tests.
browser, page = shared_browser.browser, shared_browser.page
REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def redis_unreachable() -> str:
    """Why Redis can't be used here, or "" when it can."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means "not here"; the reason says which
        return f"Redis is not reachable at {REDIS_URL} (set MOTORJOY_TEST_REDIS_URL): {error}"
    return ""


@dataclass
class ScaledApp:
    url: str  # the front end, what a visitor opens
    backend_url: str  # the balancer, which every page talks to
    env: dict[str, str]
    backends: list[Backend]
    switchboard: Switchboard


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
