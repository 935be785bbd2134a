#!/usr/bin/env python3
"""The README's two commands, with nothing but Python needed first.

    python3 quickstart.py serve   # install into .venv, migrate, seed demo data, build, serve on :3000
                                  # (REFLEX_DB_URL, REFLEX_REDIS_URL and MOTORJOY_WORKERS scale it out)
    python3 quickstart.py test    # install the test tools (and Chromium if missing), run the whole suite
    python3 quickstart.py lock    # after changing pyproject.toml's dependencies: write locks/ again

Everything is installed from the hashed lock files in locks/ (uv, itself installed from its own
hashed lock), so every machine gets exactly the same packages. Standard library only: this runs
before anything is installed.
"""

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PORT = os.environ.get("MOTORJOY_PORT", "3000")
LOCKS = ROOT / "locks"
# Each lock and the extras it is made from; `ensure_installed(extra)` installs `<extra or "app">.txt`.
# test.txt is resolved first and the others are held to its versions, so switching between them
# (serve after test) never changes a package's version.
LOCKED_EXTRAS = {"test": ["test"], "app": [], "otel": ["otel"]}
UV = "uv>=0.9,<1"  # the installer; locks/uv.txt pins it with its hashes


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*cmd: str | Path, check: bool = True) -> int:
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=project_env(), check=check).returncode


def project_env() -> dict[str, str]:
    # The venv's bin goes first on PATH: Reflex finds its JavaScript runtime (bun, a PyPI wheel) there.
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env.pop("VIRTUAL_ENV", None)
    return env


def apt_install(*packages: str) -> bool:
    """Install Debian packages when we are root on a Debian-like machine; False when we can't."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    say(f"Installing {' '.join(packages)} with apt-get")
    quiet = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=quiet, check=False)
    return subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=quiet, check=False).returncode == 0


def ensure_venv() -> None:
    if (BIN / "python").exists():
        return
    say("Creating the virtual environment in .venv")
    try:
        venv.create(VENV, with_pip=True)
    except (OSError, subprocess.CalledProcessError):
        # Debian ships venv's pip bootstrap separately.
        shutil.rmtree(VENV, ignore_errors=True)
        minor = f"python3.{sys.version_info.minor}-venv"
        if not (apt_install("python3-venv", minor) or apt_install("python3-venv")):
            sys.exit("Could not create a virtual environment: install python3-venv and try again.")
        venv.create(VENV, with_pip=True)


def ensure_installed(extra: str) -> None:
    """Install the locked packages, then the project itself (editable, no dependencies of its own).

    Skipped when neither the lock nor pyproject.toml changed since the last install. Every package
    is checked against the hashes in the lock, so a tampered or swapped download fails the install.
    """
    ensure_venv()
    lock = LOCKS / f"{extra or 'app'}.txt"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in (ROOT / "pyproject.toml", LOCKS / "uv.txt", lock)))
    stamp = VENV / f".installed-{extra or 'app'}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    say(f"Installing Motorjoy{f' with its {extra} tools' if extra else ''} into .venv (from {lock.relative_to(ROOT)})")
    ensure_uv()
    python = str(BIN / "python")
    run(BIN / "uv", "pip", "install", "--quiet", "--python", python, "--require-hashes", "-r", lock)
    # The build backend (setuptools) is in the lock too, so nothing unhashed is fetched to build the project.
    run(BIN / "uv", "pip", "install", "--quiet", "--python", python, "--no-deps", "--no-build-isolation", "-e", ".")
    stamp.write_text(digest.hexdigest())


def ensure_uv() -> None:
    """uv, from its own hashed lock, with the pip every virtual environment has."""
    uv_lock = LOCKS / "uv.txt"
    stamp = VENV / ".installed-uv"
    if (BIN / "uv").exists() and stamp.exists() and stamp.read_bytes() == uv_lock.read_bytes():
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps", "-r", uv_lock)
    stamp.write_bytes(uv_lock.read_bytes())


def lock(args: argparse.Namespace) -> int:
    """Write locks/*.txt from pyproject.toml: every platform, Python 3.11 up, each file with its hashes.

    Pins already in a lock are kept unless pyproject.toml now excludes them (or --upgrade is given),
    so adding one dependency changes only what it brings.
    """
    ensure_venv()
    if (LOCKS / "uv.txt").exists():
        ensure_uv()
    else:  # the very first lock: uv comes unpinned, once
        run(BIN / "python", "-m", "pip", "install", "--quiet", UV)
    LOCKS.mkdir(exist_ok=True)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    # The two inputs besides pyproject.toml live beside the locks, so the locks' "via" notes name stable paths.
    made = "# Written by `python3 quickstart.py lock`"
    build_in, uv_in = LOCKS / "build.in", LOCKS / "uv.in"
    backend = "\n".join(project["build-system"]["requires"])
    build_in.write_text(f"{made} from pyproject.toml's [build-system].\n{backend}\n")
    uv_in.write_text(f"{made}: the installer itself.\n{UV}\n")
    upgrade = ["--upgrade"] if args.upgrade else []
    for name, extras in LOCKED_EXTRAS.items():
        held = ["--constraints", "locks/test.txt"] if name != "test" else []
        options = [*(f"--extra={e}" for e in extras), *held, *upgrade]
        compile_lock(LOCKS / f"{name}.txt", ["pyproject.toml", "locks/build.in"], options)
    compile_lock(LOCKS / "uv.txt", ["locks/uv.in"], upgrade)
    say("Locks written: commit locks/ with the pyproject.toml change.")
    return 0


def compile_lock(output: Path, sources: list[str], options: list[str]) -> None:
    # No index URL is written (uv leaves it out unless asked), so the locks name no registry.
    run(
        BIN / "uv", "pip", "compile", "--quiet", *sources, *options, "--universal", "--python-version", "3.11",
        "--generate-hashes", "--custom-compile-command", "python3 quickstart.py lock", "-o", output,
    )


def backend_workers() -> int:
    """How many backend worker processes to run: `MOTORJOY_WORKERS`, 1 by default."""
    text = os.environ.get("MOTORJOY_WORKERS", "1")
    if not text.isdigit() or int(text) < 1:
        sys.exit(f"MOTORJOY_WORKERS must be a whole number from 1 up, not {text!r}.")
    workers = int(text)
    if workers > 1 and not os.environ.get("REFLEX_REDIS_URL"):
        # Without Redis each worker would keep its own copy of every visitor's state.
        sys.exit(f"MOTORJOY_WORKERS={workers} needs REFLEX_REDIS_URL: several workers share state through Redis.")
    return workers


def serve(_args: argparse.Namespace) -> int:
    workers = backend_workers()
    ensure_installed("")
    # Once, before any worker starts: workers never migrate, so they can't race each other to do it.
    say("Migrating the database and seeding the demo data")
    run(BIN / "motorjoy", "demo")
    say(f"Building and serving Motorjoy at http://localhost:{PORT} with {workers} worker(s) (Ctrl+C to stop)")
    cmd = [str(BIN / "reflex"), "run", "--env", "prod", "--single-port", "--frontend-port", PORT]
    # Reflex serves with Granian; its worker count is read from GRANIAN_WORKERS.
    env = dict(project_env(), REFLEX_USE_GRANIAN="true", GRANIAN_WORKERS=str(workers))
    os.chdir(ROOT)
    return run_server(cmd, env, STOP_GRACE_SECONDS)


# Ctrl+C (or a stop's SIGTERM) asks the server to stop; past this many seconds it is stopped outright.
STOP_GRACE_SECONDS = 15


def _before_the_server_starts() -> None:
    """In the server's process, before it starts."""
    # A shell starts background jobs with Ctrl+C ignored, and the server would inherit that: it would
    # then ignore the Ctrl+C passed on to it, and go only when killed outright after its grace.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # SIGTERM when this process dies first (Linux), say killed outright, so a server in a session of
    # its own is never left behind.
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def run_server(cmd: list[str], env: dict[str, str], grace: float) -> int:
    """Run the server until it ends. On Ctrl+C or SIGTERM, pass the signal on; past `grace` seconds, kill it.

    A Granian worker can deadlock in its own signal handler (py-spy: its main thread waiting in
    WorkerSignal.set), and Reflex gives Granian no kill timeout: without this, the server and port
    3000 sometimes outlived Ctrl+C. The server runs in a session of its own so that this process
    alone decides when it goes."""
    server = subprocess.Popen(cmd, env=env, start_new_session=True, preexec_fn=_before_the_server_starts)

    def stop(signum: int, _frame: object) -> None:
        raise _Stop(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    try:
        return server.wait()
    except _Stop as asked:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C mustn't cut the stopping short
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, asked.signum)
        try:
            return server.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            print(f"\nThe server didn't stop within {grace:g} s, so it was stopped outright.", flush=True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            return server.wait()


def ensure_chromium() -> None:
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if not apt_install("chromium"):
        sys.exit("The browser tests need Chromium: install the 'chromium' package and try again.")


def test(args: argparse.Namespace) -> int:
    ensure_installed("test")
    ensure_chromium()
    steps = [
        ("Lint (ruff)", [BIN / "ruff", "check", "."]),
        ("Type check (mypy, settings in pyproject.toml)", [BIN / "mypy"]),
        # The unit tests print the line coverage of app/ they reach (pyproject.toml's [tool.coverage]).
        ("Unit tests", [BIN / "python", "-m", "pytest", "tests/unit", "--cov", *args.pytest_args]),
        ("Browser-script unit tests (bun)", [BIN / "bun", "test", "tests/js"]),
        ("Browser tests", [BIN / "python", "-m", "pytest", "tests/e2e", *args.pytest_args]),
        # Skipped, saying why, where no PostgreSQL or Redis is reachable.
        (
            "Browser tests, scaled out (PostgreSQL, Redis, two workers)",
            [BIN / "python", "-m", "pytest", "tests/e2e_scale", *args.pytest_args],
        ),
    ]
    failed = []
    for title, cmd in steps:
        say(title)
        if run(*cmd, check=False) != 0:
            failed.append(title)
    say("All green." if not failed else f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Set up and run Motorjoy, or run its tests.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="set everything up and serve the app").set_defaults(run=serve)
    tester = commands.add_parser("test", help="run the whole test suite")
    tester.set_defaults(run=test)
    locker = commands.add_parser("lock", help="write the hashed lock files in locks/ from pyproject.toml")
    locker.add_argument("--upgrade", action="store_true", help="take the newest versions pyproject.toml allows")
    locker.set_defaults(run=lock)
    # Anything we don't know (e.g. -x, -k name) is for pytest.
    args, pytest_args = parser.parse_known_args()
    args.pytest_args = pytest_args
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
