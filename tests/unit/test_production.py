"""Production mode: every entry point refuses unsafe settings, naming each; development keeps its defaults.

Also key rotation: several keys accepted, the first signs, so links mailed before a rotation still open.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import db, production
from app.cli import main as motorjoy
from app.club.preferences import read_unsubscribe_token, unsubscribe_token
from app.orders.numbers import token_matches, tracking_token
from app.staff.demo import seed_demo_staff

ROOT = Path(__file__).resolve().parents[2]
OLD_KEY, NEW_KEY = "old-" + "o" * 40, "new-" + "n" * 40
SAFE = {
    "MOTORJOY_ENV": "production",
    "MOTORJOY_SECRET_KEY": NEW_KEY,
    "MOTORJOY_PUBLIC_URL": "https://motorjoy.co.uk",
    "MOTORJOY_SMTP_HOST": "smtp.mailhost.internal",
    "MOTORJOY_MAIL_FROM": "Motorjoy Club <club@motorjoy.co.uk>",
}
MOTORJOY_VARIABLES = [*SAFE, "MOTORJOY_SMTP_SECURITY"]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment on a migrated SQLite database; returns a function that sets variables."""
    for name in MOTORJOY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    db.migrate(url)
    yield lambda **values: [monkeypatch.setenv(k, v) for k, v in values.items()]
    db.dispose(url)


def test_development_keeps_its_embedded_defaults(env):
    assert production.problems() == []


def test_production_with_nothing_set_names_every_setting(env):
    env(MOTORJOY_ENV="production")
    found = "\n".join(production.problems())
    for name in ("MOTORJOY_SECRET_KEY", "MOTORJOY_PUBLIC_URL", "MOTORJOY_SMTP_HOST", "MOTORJOY_MAIL_FROM"):
        assert name in found


def test_production_with_safe_settings_runs(env):
    env(**SAFE)
    assert production.problems() == []


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"MOTORJOY_SECRET_KEY": "short"}, "MOTORJOY_SECRET_KEY: every key needs at least 32"),
        ({"MOTORJOY_SECRET_KEY": f"{NEW_KEY},tiny"}, "MOTORJOY_SECRET_KEY: every key needs at least 32"),
        ({"MOTORJOY_PUBLIC_URL": "http://motorjoy.co.uk"}, "MOTORJOY_PUBLIC_URL must be the https address"),
        ({"MOTORJOY_PUBLIC_URL": "https://localhost:3000"}, "MOTORJOY_PUBLIC_URL must be the https address"),
        ({"MOTORJOY_MAIL_FROM": "Motorjoy Club <club@motorjoy.example>"}, "MOTORJOY_MAIL_FROM must be the club's"),
        ({"MOTORJOY_SMTP_SECURITY": "none"}, "MOTORJOY_SMTP_SECURITY=none sends mail unencrypted"),
        ({"MOTORJOY_ENV": "prod"}, "MOTORJOY_ENV: Input should be 'development' or 'production'"),
    ],
)
def test_each_unsafe_setting_is_named(env, changes, named):
    env(**{**SAFE, **changes})
    assert any(named in line for line in production.problems())


def test_demo_accounts_stop_every_command_until_they_are_removed(env, capsys):
    env(**SAFE)
    with db.session() as s:
        seed_demo_staff(s)
    assert motorjoy(["migrate"]) == 2
    assert "Demo staff accounts exist (admin@motorjoy.example" in capsys.readouterr().err
    assert motorjoy(["remove-demo-staff"]) == 0
    assert "Switched off 3 demo staff account(s)" in capsys.readouterr().out
    assert motorjoy(["migrate"]) == 0


def test_a_command_refuses_to_run_and_names_the_setting(env, capsys):
    env(MOTORJOY_ENV="production")
    assert motorjoy(["render", "--model", "hatch", "-o", "never.webp"]) == 2
    assert "MOTORJOY_SECRET_KEY is not set" in capsys.readouterr().err


def test_the_server_refuses_to_start_and_names_the_setting(env):
    env(MOTORJOY_ENV="production", MOTORJOY_SECRET_KEY=NEW_KEY)
    started = subprocess.run(
        [sys.executable, "-c", "import app.app"], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert started.returncode != 0
    assert "UnsafeConfiguration" in started.stderr and "MOTORJOY_PUBLIC_URL must be the https" in started.stderr


# --- key rotation ---------------------------------------------------------------------------------


def test_links_signed_with_the_old_key_still_open_after_rotation(env):
    env(MOTORJOY_SECRET_KEY=OLD_KEY)
    old_track, old_unsubscribe = tracking_token("MJ4K7QX2"), unsubscribe_token("fiona@example.com", "birthday")
    env(MOTORJOY_SECRET_KEY=f"{NEW_KEY},{OLD_KEY}")  # rotated: the new key signs, the old one is still accepted
    assert tracking_token("MJ4K7QX2") != old_track  # new links use the new key
    assert token_matches("MJ4K7QX2", old_track) and token_matches("MJ4K7QX2", tracking_token("MJ4K7QX2"))
    assert read_unsubscribe_token(old_unsubscribe) == ("fiona@example.com", "birthday")
    env(MOTORJOY_SECRET_KEY=NEW_KEY)  # the old key retired: its links stop working
    assert not token_matches("MJ4K7QX2", old_track) and read_unsubscribe_token(old_unsubscribe) is None


def test_a_tracking_token_with_non_ascii_characters_is_simply_wrong(env):
    assert not token_matches("MJ4K7QX2", "é" * 24)


def test_production_limits_cors_to_the_public_url_and_marks_the_staff_cookie_secure(env):
    env(**SAFE)
    script = (
        "import rxconfig; from app.signin.state import StaffState;"
        "print(rxconfig.config.cors_allowed_origins, StaffState.get_fields()['token'].default.secure)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert shown.stdout.strip() == "['https://motorjoy.co.uk'] True", shown.stderr[-2000:]


def test_the_data_directory_is_private_to_the_apps_user(tmp_path, monkeypatch):
    from app import settings

    shared = tmp_path / "data"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(shared))
    assert settings.data_dir().stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path / "fresh"))
    assert settings.data_dir().stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(("setting", "held"), [(None, "True 5000"), ("false", "False 5000")])
def test_several_workers_keep_a_visitors_state_between_events_unless_told_not_to(env, monkeypatch, setting, held):
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379")
    if setting is None:
        monkeypatch.delenv("REFLEX_OPLOCK_ENABLED", raising=False)
    else:
        monkeypatch.setenv("REFLEX_OPLOCK_ENABLED", setting)
    script = (
        "import rxconfig; from reflex.istate.manager.redis import StateManagerRedis;"
        "m = StateManagerRedis(redis=None); print(m._oplock_enabled, m.oplock_hold_time_ms)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert shown.stdout.strip() == held, shown.stderr[-2000:]


def test_a_mistyped_oplock_setting_stops_the_start_and_names_it(env, monkeypatch):
    monkeypatch.setenv("REFLEX_OPLOCK_ENABLED", "maybe")
    shown = subprocess.run(
        [sys.executable, "-c", "import rxconfig"], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert shown.returncode != 0 and "Traceback" not in shown.stderr
    assert "REFLEX_OPLOCK_ENABLED must be true or false" in shown.stderr and "'maybe'" in shown.stderr
