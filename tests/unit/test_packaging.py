"""The wheel carries everything the app reads at run time: installed elsewhere, `motorjoy` migrates and renders.

Builds the wheel, installs it (without dependencies) into a fresh virtual environment that borrows
the project venv's dependencies, then runs the commands from another directory, so nothing can be
read from this checkout by accident.
"""

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*command, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_installed_wheel_migrates_and_renders_from_another_directory(tmp_path):
    source = tmp_path / "source"  # a clean tree: the build leaves nothing in the checkout and sees nothing extra
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("app", "layers"):
        shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    wheel_dir = str(tmp_path / "dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheel_dir, str(source), cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("motorjoy-*.whl")
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel), cwd=tmp_path)
    # The dependencies come from the project's venv; `app` itself only from the wheel.
    target = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip()
    Path(target, "project-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTORJOY_", "REFLEX_DB_URL"))}
    where = run(str(python), "-c", "import app; print(app.__file__)", cwd=elsewhere, env=env)
    assert where.startswith(str(fresh)), where
    motorjoy = str(fresh / "bin" / "motorjoy")
    assert "Database is up to date." in run(motorjoy, "migrate", cwd=elsewhere, env=env)
    assert (elsewhere / "data" / "motorjoy.db").exists()
    shown = run(
        motorjoy, "render", "--model", "hatch", "--colour", "chili-red", "-o", "car.webp", cwd=elsewhere, env=env
    )
    assert (elsewhere / "car.webp").stat().st_size > 1000 and shown.strip()
