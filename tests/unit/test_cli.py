"""The operator CLI: `motorjoy demo` works on a fresh data directory and twice in a row."""

import pytest

from app import cli
from app.orders.demo import DEMO_ORDERS


def test_demo_twice_on_a_fresh_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REFLEX_DB_URL", raising=False)
    assert cli.main(["demo"]) == 0
    assert f"{len(DEMO_ORDERS)} demo orders added" in capsys.readouterr().out
    assert cli.main(["demo"]) == 0
    assert "0 demo orders added" in capsys.readouterr().out
    assert (tmp_path / "motorjoy.db").exists()


def test_unknown_command_is_a_clear_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["fly"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'fly'" in capsys.readouterr().err
