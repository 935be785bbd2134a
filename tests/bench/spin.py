"""Benchmark (not a test): frame times while turning the car's spin on /build, in Chromium.

    .venv/bin/python tests/bench/spin.py --url http://localhost:3000 --turns 3

Drives a running production build (`python3 quickstart.py serve`). A build is opened and left until
every angle is preloaded (what a visitor has after a moment on the page); then the car is turned by
keyboard through every angle `--turns` times, one step every `--step-ms`, while requestAnimationFrame
records each frame's time. The floor is measured in the same run: a plain page with one <img> swapping
between the very same decoded pictures at the same pace. Prints p50/p95 frame times of both, and how
long a turn took to show its picture; the last line is one JSON object.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: the checkout's packages
from tests.browser import CHROMIUM_ARGS

# Turns `steps` times, one step every `stepMs`, calling `turn()`; records rAF deltas and, per step, the
# ms until `shown()` says the new picture is on screen. Resolves with both lists.
MEASURE = """async ([steps, stepMs, turn, shown]) => {
  const turnFn = new Function(turn), shownFn = new Function('i', shown);
  const deltas = [], latencies = [];
  let last = null, running = true;
  const tick = (t) => { if (last !== null) deltas.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  for (let i = 1; i <= steps; i++) {
    const t0 = performance.now();
    turnFn();
    while (!shownFn(i)) await new Promise(requestAnimationFrame);
    latencies.push(performance.now() - t0);
    const rest = stepMs - (performance.now() - t0);
    if (rest > 0) await new Promise(r => setTimeout(r, rest));
  }
  running = false;
  return [deltas, latencies];
}"""

TURN_SPIN = (
    "document.querySelector('[role=slider]').dispatchEvent("
    "new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}))"
)
SHOWN_SPIN = (
    "const f = JSON.parse(document.querySelector('[data-spin]').dataset.frames);"
    "return document.getElementById('car-picture').alt === f[i % f.length].alt;"
)

FLOOR_PAGE = """<!doctype html><html><body style="margin:0;padding:2rem">
<img id="floor" style="width:40rem;aspect-ratio:16/9;display:block"></body></html>"""
FLOOR_SETUP = """async ([frames, sizes]) => {
  const img = document.getElementById('floor');
  img.sizes = sizes;
  window.__frames = frames;
  window.__at = 0;
  await Promise.all(frames.map(f => {
    const i = new Image(); i.sizes = sizes; i.srcset = f.srcset; i.src = f.src; return i.decode();
  }));
  img.srcset = frames[0].srcset; img.src = frames[0].src; await img.decode();
}"""
TURN_FLOOR = (
    "const f = window.__frames; window.__at = (window.__at + 1) % f.length;"
    "const img = document.getElementById('floor'); img.srcset = f[window.__at].srcset; img.src = f[window.__at].src;"
)
SHOWN_FLOOR = "return document.getElementById('floor').complete;"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figures(deltas: list[float], latencies: list[float]) -> dict:
    return {
        "frame_p50_ms": round(percentile(deltas, 50), 2),
        "frame_p95_ms": round(percentile(deltas, 95), 2),
        "frame_max_ms": round(max(deltas), 2),
        "frames": len(deltas),
        "turn_shown_p95_ms": round(percentile(latencies, 95), 2),
    }


def open_spin(page: Page, url: str) -> list[dict]:
    page.goto(f"{url}/build?model=hatch")
    page.wait_for_selector("[data-spin][data-preloaded=true]", timeout=120_000)
    return page.evaluate(
        """() => { const spin = document.querySelector('[data-spin]'), pic = document.getElementById('car-picture');
        const origin = new URL(pic.currentSrc || pic.src).origin, widths = JSON.parse(spin.dataset.widths);
        return JSON.parse(spin.dataset.frames).map(f => ({src: origin + f.paths[0],
          srcset: f.paths.map((p, i) => origin + p + ' ' + widths[i] + 'w').join(', ')})); }"""
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000")
    parser.add_argument("--turns", type=int, default=3, help="times round the car")
    parser.add_argument("--step-ms", type=int, default=60, help="time between steps (a brisk drag)")
    args = parser.parse_args()
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        frames = open_spin(page, args.url)
        steps = args.turns * len(frames)
        spin = figures(*page.evaluate(MEASURE, [steps, args.step_ms, TURN_SPIN, SHOWN_SPIN]))
        sizes = page.evaluate("document.getElementById('car-picture').sizes")
        floor_page = context.new_page()
        floor_page.set_content(FLOOR_PAGE)
        floor_page.evaluate(FLOOR_SETUP, [frames, sizes])
        floor = figures(*floor_page.evaluate(MEASURE, [steps, args.step_ms, TURN_FLOOR, SHOWN_FLOOR]))
        browser.close()
    result = {
        "angles": len(frames),
        "steps": steps,
        "step_ms": args.step_ms,
        "spin": spin,
        "floor": floor,
        "p95_over_floor": round(spin["frame_p95_ms"] / floor["frame_p95_ms"], 2),
    }
    print(f"spin : p50 {spin['frame_p50_ms']} ms, p95 {spin['frame_p95_ms']} ms a frame")
    print(f"floor: p50 {floor['frame_p50_ms']} ms, p95 {floor['frame_p95_ms']} ms a frame")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
