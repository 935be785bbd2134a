"""The operator commands: render writes a picture and prints its alt text; bench ends with one JSON line."""

import argparse
import json
from pathlib import Path

from PIL import Image

from app.render.commands import add_bench_arguments, add_render_arguments, run_bench, run_render


def _parse(add, argv):
    parser = argparse.ArgumentParser()
    add(parser)
    return parser.parse_args(argv)


def test_render_writes_the_picture_and_prints_alt(layers_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "car.webp"
    args = _parse(
        add_render_arguments,
        [
            "--model",
            "hatch",
            "--colour",
            "#00ff00",
            "--stripes",
            "stripes-black",
            "--width",
            "80",
            "-o",
            str(out),
            "--layers-dir",
            str(layers_dir),
        ],
    )
    assert run_render(args) == 0
    assert capsys.readouterr().out.strip() == (
        "Hatch in a custom lime with a white roof, black bonnet stripes and 15-inch spoke wheels, "
        "seen from the front three-quarter, left"
    )
    with Image.open(out) as image:
        assert image.format == "WEBP" and image.size == (80, 45)


def test_render_accepts_a_colour_name(layers_dir: Path, tmp_path: Path, capsys) -> None:
    args = _parse(
        add_render_arguments,
        [
            "--model",
            "estate",
            "--colour",
            "Midnight Black",
            "--badge-bar",
            "badgebar-none",
            "-o",
            str(tmp_path / "car.jpg"),
            "--layers-dir",
            str(layers_dir),
        ],
    )
    assert run_render(args) == 0
    assert capsys.readouterr().out.startswith("Estate in Midnight Black")
    assert (tmp_path / "car.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_render_refuses_a_bad_build(layers_dir: Path, tmp_path: Path, capsys) -> None:
    args = _parse(
        add_render_arguments,
        [
            "--model",
            "estate",
            "--badge-bar",
            "badgebar-rally",
            "-o",
            str(tmp_path / "car.webp"),
            "--layers-dir",
            str(layers_dir),
        ],
    )
    assert run_render(args) == 2
    assert "not available on the Estate" in capsys.readouterr().err
    assert not (tmp_path / "car.webp").exists()


def test_bench_ends_with_one_json_object(layers_dir: Path, capsys) -> None:
    assert run_bench(_parse(add_bench_arguments, ["--layers-dir", str(layers_dir), "--repeats", "2"])) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for name in (
        "composite_ms",
        "encode_ms",
        "miss_ms",
        "hit_ms",
        "copy_floor_ms",
        "composite_over_copy",
        "composite_cpu_ms",
        "composite_over_copy_cpu",
        "miss_over_hit",
    ):
        assert figures[name] > 0
    assert set(figures["webp_bytes"]) == {"160", "80", "40"}
