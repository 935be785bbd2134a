// The nudge rules: active time, the daily cap, snooze arithmetic and "busy" detection.
import { describe, expect, test } from "bun:test";

const rules = require("../../assets/nudge.js");
const CFG = { enabled: true, thresholdMs: 3000, snoozeMs: 2000, dailyCap: 2, idleMs: 60000 };
const NOON = Date.UTC(2026, 10, 25, 12);

describe("active time", () => {
  test("counts only while visible and touched in the last minute", () => {
    expect(rules.isActive(NOON, NOON - 59000, true, 60000)).toBe(true);
    expect(rules.isActive(NOON, NOON - 61000, true, 60000)).toBe(false);
    expect(rules.isActive(NOON, NOON, false, 60000)).toBe(false);
  });
  test("adds the tick while active, nothing while idle, and caps a long sleep", () => {
    expect(rules.addActive(5000, 1000, true, 1000)).toBe(6000);
    expect(rules.addActive(5000, 1000, false, 1000)).toBe(5000);
    expect(rules.addActive(5000, 3600000, true, 1000)).toBe(7000);
  });
});

describe("when a nudge is due", () => {
  const visit = { activeMs: 3000, nextAtMs: 3000, ended: false };
  const device = { off: false, day: "", shown: 0 };
  test("after the threshold, not before", () => {
    expect(rules.isDue(visit, device, CFG, NOON)).toBe(true);
    expect(rules.isDue({ ...visit, activeMs: 2999 }, device, CFG, NOON)).toBe(false);
  });
  test("never after 'back to the road', when off, or when disabled", () => {
    expect(rules.isDue({ ...visit, ended: true }, device, CFG, NOON)).toBe(false);
    expect(rules.isDue(visit, { ...device, off: true }, CFG, NOON)).toBe(false);
    expect(rules.isDue(visit, device, { ...CFG, enabled: false }, NOON)).toBe(false);
  });
  test("at most dailyCap a day; a new day starts afresh", () => {
    let d = device;
    d = rules.countShown(d, NOON);
    d = rules.countShown(d, NOON);
    expect(d.shown).toBe(2);
    expect(rules.isDue(visit, d, CFG, NOON)).toBe(false);
    expect(rules.isDue(visit, d, CFG, NOON + 86400000)).toBe(true);
  });
  test("snooze waits that much more ACTIVE time", () => {
    const snoozed = rules.snooze({ ...visit, activeMs: 4000 }, CFG);
    expect(snoozed.nextAtMs).toBe(6000);
    expect(rules.isDue({ ...snoozed, activeMs: 5999 }, device, CFG, NOON)).toBe(false);
    expect(rules.isDue({ ...snoozed, activeMs: 6000 }, device, CFG, NOON)).toBe(true);
  });
});

test("a line from the pool, changing with each nudge", () => {
  const lines = ["a", "b", "c"];
  const first = rules.pickLine(lines, { day: "", shown: 0 }, NOON);
  const second = rules.pickLine(lines, rules.countShown({ day: "", shown: 0 }, NOON), NOON);
  expect(first).not.toBe(second);
  expect(lines[first]).toBeDefined();
});

describe("busy", () => {
  function doc(active, fields = [], busy = false) {
    return {
      body: {},
      activeElement: active,
      querySelector: () => (busy ? {} : null),
      querySelectorAll: () => fields,
    };
  }
  const control = { matches: () => true };
  test("a focused control, a busy marker or unsaved typing holds the nudge", () => {
    expect(rules.isBusy(doc(control))).toBe(true);
    expect(rules.isBusy(doc(null, [], true))).toBe(true);
    expect(rules.isBusy(doc(null, [{ value: "McGreg", defaultValue: "" }]))).toBe(true);
    expect(rules.isBusy(doc(null, [{ value: "", defaultValue: "" }]))).toBe(false);
  });
});
