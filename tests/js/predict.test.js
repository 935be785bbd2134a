// The prediction's rules on a small catalogue: a plain pick, a pick that needs a fix, refusals, the URL.
// (tests/unit/configurator/test_prediction.py compares it with the server on the real catalogue.)
import { describe, expect, test } from "bun:test";

const rules = require("../../assets/predict.js");

const cat = rules.indexCatalogue({
  version: "v1",
  format: "webp",
  widths: [800, 400],
  slots: ["colour", "stripes", "wheels"],
  pieces: ["wheels", "stripes", "glass"],
  views: { front: "front", side: "left side" },
  models: { hatch: ["front", "side"], coupe: ["front"] },
  names: { hatch: "Hatch", coupe: "Coupé" },
  options: [
    { id: "red", slot: "colour", price: 0, hex: "#C0392B", alt: "Chili Red" },
    { id: "white", slot: "colour", price: 0, hex: "#F4F4F4", alt: "White" },
    { id: "gold", slot: "colour", price: 900, hex: "#D4AF37", alt: "Gold" },
    { id: "custom", slot: "colour", price: 1200, custom: true, alt: "a custom colour" },
    { id: "no-stripes", slot: "stripes", price: 0, draws: false },
    { id: "red-stripe", slot: "stripes", price: 250, excludes: ["red"], alt: "a red stripe" },
    { id: "spoke", slot: "wheels", price: 0, alt: "spoke wheels" },
    { id: "turbine", slot: "wheels", price: 600, models: ["coupe"] },
  ],
});
const build = { model: "hatch", choices: { colour: "red", stripes: "no-stripes", wheels: "spoke" }, hex: "#C0392B" };

describe("choosing", () => {
  test("a pick that breaks no rule changes its own slot and the paint follows the colour", () => {
    expect(rules.choose(cat, build, "white")).toEqual({ ...build, choices: { ...build.choices, colour: "white" }, hex: "#F4F4F4" });
  });
  test("the custom colour keeps the paint on the car", () => {
    expect(rules.choose(cat, build, "custom").hex).toBe("#C0392B");
  });
  test("a pick that breaks a rule takes the smallest fix: the cheapest colour change, never to the custom one", () => {
    const next = rules.choose(cat, build, "red-stripe");
    expect(next.choices).toEqual({ colour: "white", stripes: "red-stripe", wheels: "spoke" });
  });
  test("an option the model doesn't offer, or that doesn't exist, is left to the server to refuse", () => {
    expect(rules.choose(cat, build, "turbine")).toBe(null);
    expect(rules.choose(cat, build, "no-such-option")).toBe(null);
  });
});

describe("the picture", () => {
  test("URLs name version, model, view, width, paint and one option per slot in slot order", () => {
    expect(rules.pictureUrl(cat, build, "side", 400)).toBe("/car/v1/hatch/side/400/C0392B/red+no-stripes+spoke.webp");
  });
  test("the stack: the base painted the build's hex, then each piece that draws, in paint order, per width", () => {
    expect(rules.stackPaths(cat, build, "side")).toEqual([
      ["/car/v1/hatch/side/800/stack/body/C0392B.webp", "/car/v1/hatch/side/400/stack/body/C0392B.webp"],
      ["/car/v1/hatch/side/800/stack/wheels/spoke.webp", "/car/v1/hatch/side/400/stack/wheels/spoke.webp"],
      ["/car/v1/hatch/side/800/stack/glass/glass.webp", "/car/v1/hatch/side/400/stack/glass/glass.webp"],
    ]);
    const striped = { ...build, choices: { ...build.choices, colour: "custom", stripes: "red-stripe" }, hex: "#1a2b3c" };
    expect(rules.stackPaths(cat, striped, "front").map((paths) => paths[1])).toEqual([
      "/car/v1/hatch/front/400/stack/body/1A2B3C.webp",
      "/car/v1/hatch/front/400/stack/wheels/spoke.webp",
      "/car/v1/hatch/front/400/stack/stripes/red-stripe.webp",
      "/car/v1/hatch/front/400/stack/glass/glass.webp",
    ]);
  });
  test("the alt text names the model, the paint and what else shows, the customer's paint by its word", () => {
    expect(rules.describe(cat, build, "red")).toBe("Hatch in Chili Red with spoke wheels");
    const striped = { ...build, choices: { colour: "custom", stripes: "red-stripe", wheels: "spoke" } };
    expect(rules.describe(cat, striped, "teal")).toBe("Hatch in a custom teal with a red stripe and spoke wheels");
  });
  test("frames list the model's angles with their labels, paths per width and alt text", () => {
    const frames = rules.frames(cat, build, "red");
    expect(frames.map((f) => f.view)).toEqual(["front", "side"]);
    expect(frames[1].paths).toHaveLength(2);
    expect(frames[1].alt).toBe("Hatch in Chili Red with spoke wheels, seen from the left side");
    expect(frames[1].stack).toEqual(rules.stackPaths(cat, build, "side"));
  });
  test("builds compare by model, paint and choices", () => {
    expect(rules.sameBuild(build, { ...build, choices: { ...build.choices } })).toBe(true);
    expect(rules.sameBuild(build, rules.choose(cat, build, "white"))).toBe(false);
  });
});

describe("the address", () => {
  test("model, each choice in slot order, then the view, as builds.query_of writes it", () => {
    const shuffled = { ...build, choices: { wheels: "spoke", colour: "red", stripes: "no-stripes" } };
    expect(rules.addressOf(cat, shuffled, "side", "")).toBe("/build?model=hatch&colour=red&stripes=no-stripes&wheels=spoke&view=side");
  });
  test("the customer's own paint adds its hex without the '#'", () => {
    const custom = rules.choose(cat, build, "custom");
    expect(rules.queryOf(cat, custom, "front")).toBe("model=hatch&colour=custom&stripes=no-stripes&wheels=spoke&view=front&hex=C0392B");
  });
  test("a saved build's address is its code", () => {
    expect(rules.addressOf(cat, build, "front", "ABCD2345")).toBe("/build/ABCD2345");
  });
  test("values are encoded as Python's urlencode does", () => {
    expect(rules.formEncode("a b~*!'()é")).toBe("a+b~%2A%21%27%28%29%C3%A9");
  });
});

describe("held clicks take turns", () => {
  const later = (ms, value) => new Promise((done) => setTimeout(() => done(value), ms));

  test("each goes on once its own wait is over, but never before the ones clicked earlier", async () => {
    const turns = rules.inTurn();
    const ran = [];
    turns.hold(later(30), () => ran.push("slow picture"));
    turns.hold(later(1), () => ran.push("quick picture"));
    const last = turns.hold(null, () => ran.push("a click with no picture"));
    expect(turns.holding()).toBe(true);
    await later(5);
    expect(ran).toEqual([]); // the quick one waits behind the slow one
    await last;
    expect(ran).toEqual(["slow picture", "quick picture", "a click with no picture"]);
    expect(turns.holding()).toBe(false);
  });

  test("a wait that fails, or a click that throws, doesn't stop the ones behind it", async () => {
    const turns = rules.inTurn();
    const ran = [];
    turns.hold(Promise.reject(new Error("no picture")), () => ran.push("failed picture"));
    turns.hold(null, () => {
      throw new Error("broken handler");
    });
    await turns.hold(later(1), () => ran.push("next"));
    expect(ran).toEqual(["failed picture", "next"]);
    expect(turns.holding()).toBe(false);
  });
});
