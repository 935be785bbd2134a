// The spin's rules: wrapping round, keys, drag steps, preload order and frame parsing.
import { describe, expect, test } from "bun:test";

const rules = require("../../assets/spin.js");

describe("turning", () => {
  test("wraps round both ways", () => {
    expect(rules.wrap(8, 8)).toBe(0);
    expect(rules.wrap(-1, 8)).toBe(7);
  });
  test("arrow keys step one angle and wrap; Home and End jump to the ends", () => {
    expect(rules.keyTarget("ArrowRight", 7, 8)).toBe(0);
    expect(rules.keyTarget("ArrowLeft", 0, 8)).toBe(7);
    expect(rules.keyTarget("ArrowUp", 2, 8)).toBe(3);
    expect(rules.keyTarget("ArrowDown", 2, 8)).toBe(1);
    expect(rules.keyTarget("Home", 5, 8)).toBe(0);
    expect(rules.keyTarget("End", 5, 8)).toBe(7);
    expect(rules.keyTarget("Tab", 5, 8)).toBe(null);
  });
  test("dragging right turns to the next angles (as the right arrow does), dragging left back", () => {
    const step = rules.stepPixels(640, 8); // 64 px a frame
    expect(step).toBe(64);
    expect(rules.dragTarget(0, 10, 640, 8)).toBe(0);
    expect(rules.dragTarget(0, 64, 640, 8)).toBe(1);
    expect(rules.dragTarget(0, 3 * 64 + 1, 640, 8)).toBe(3);
    expect(rules.dragTarget(0, -64, 640, 8)).toBe(7);
  });
  test("a tiny picture still needs a deliberate drag", () => {
    expect(rules.stepPixels(40, 8)).toBe(16);
  });
});

describe("preloading", () => {
  test("nearest angles first, both ways round, each once, never the one on screen", () => {
    expect(rules.preloadOrder(0, 8)).toEqual([1, 7, 2, 6, 3, 5, 4]);
    expect(rules.preloadOrder(3, 4)).toEqual([0, 2, 1]);
    expect(rules.preloadOrder(0, 1)).toEqual([]);
  });
});

describe("frames", () => {
  test("become a srcset on the picture's origin", () => {
    const text = JSON.stringify([{ view: "side", label: "left side", alt: "Hatch", paths: ["/car/a/1600.webp", "/car/a/800.webp"] }]);
    const [frame] = rules.parseFrames(text, [1600, 800], "http://x:8000");
    expect(frame.src).toBe("http://x:8000/car/a/1600.webp");
    expect(frame.srcset).toBe("http://x:8000/car/a/1600.webp 1600w, http://x:8000/car/a/800.webp 800w");
    expect(frame.label).toBe("left side");
  });
  test("a frame's stack becomes its layers, base first, and is what it shows", () => {
    const stack = [["/s/body/1600.webp", "/s/body/800.webp"], ["/s/wheels/1600.webp", "/s/wheels/800.webp"]];
    const text = JSON.stringify([{ view: "side", label: "left side", alt: "Hatch", paths: ["/c/1600.webp", "/c/800.webp"], stack }]);
    const [frame] = rules.parseFrames(text, [1600, 800], "http://x:8000");
    expect(frame.layers.map((l) => l.src)).toEqual(["http://x:8000/s/body/1600.webp", "http://x:8000/s/wheels/1600.webp"]);
    expect(frame.layers[1].srcset).toBe("http://x:8000/s/wheels/1600.webp 1600w, http://x:8000/s/wheels/800.webp 800w");
    expect(rules.shownAs(frame)).toBe(frame.layers);
    expect(rules.frameKey(frame)).toBe(frame.layers.map((l) => l.srcset).join("\n"));
    const [plain] = rules.parseFrames(JSON.stringify([{ view: "side", paths: ["/c/1600.webp", "/c/800.webp"] }]), [1600, 800], "");
    expect(plain.layers).toBe(null);
    expect(rules.shownAs(plain)).toEqual([plain]);
    expect(rules.frameKey(plain)).toBe(plain.srcset);
  });
  test("nothing to turn through when the list is broken", () => {
    expect(rules.parseFrames("not json", [1600], "")).toEqual([]);
  });
});

describe("callbacks of a build that was replaced", () => {
  test("only the newest one handed out runs, however late the older ones fire", () => {
    const latest = rules.latestOnly();
    const ran = [];
    const first = latest(() => ran.push("first build"));
    const second = latest((x) => ran.push(`second build ${x}`));
    second("loaded");
    first();
    second("again");
    expect(ran).toEqual(["second build loaded", "second build again"]);
  });
});

describe("a frame that failed to come", () => {
  test("is asked for again after a second, then twice as long each time, six tries in all", () => {
    expect([1, 2, 3, 4, 5].map(rules.retryDelay)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(rules.retryDelay(6)).toBe(null);
    expect(rules.retryDelay(0)).toBe(null);
  });
});
