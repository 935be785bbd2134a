// Save your retinas for the road: counts this visit's ACTIVE time in the browser (tab visible and
// touched in the last minute), and once it passes the threshold shows a friendly nudge, never while a
// choice is half made. The server only hears when a nudge is shown or answered.
(function (root) {
  "use strict";

  // ---- the rules, as plain functions (unit-tested with `bun test tests/js`)
  function isActive(now, lastInteraction, visible, idleMs) {
    return visible && now - lastInteraction <= idleMs;
  }

  // Seconds are added only while active; a long gap between ticks (a sleeping laptop) counts as one tick.
  function addActive(activeMs, sinceLastTickMs, active, tickMs) {
    return active ? activeMs + Math.min(sinceLastTickMs, 2 * tickMs) : activeMs;
  }

  function today(now) {
    return new Date(now).toISOString().slice(0, 10);
  }

  function shownToday(device, now) {
    return device.day === today(now) ? device.shown : 0;
  }

  function isDue(visit, device, cfg, now) {
    return (
      cfg.enabled &&
      !device.off &&
      !visit.ended &&
      shownToday(device, now) < cfg.dailyCap &&
      visit.activeMs >= visit.nextAtMs
    );
  }

  // "Five more minutes": five more minutes of ACTIVE time, not of wall clock.
  function snooze(visit, cfg) {
    return Object.assign({}, visit, { nextAtMs: visit.activeMs + cfg.snoozeMs });
  }

  function countShown(device, now) {
    return { off: device.off, day: today(now), shown: shownToday(device, now) + 1 };
  }

  function pickLine(lines, device, now) {
    return (shownToday(device, now) + new Date(now).getUTCDate()) % lines.length;
  }

  // A control in use, an open colour picker, typed-but-unsaved input or an order being placed.
  function isBusy(doc) {
    const el = doc.activeElement;
    if (el && el !== doc.body && el.matches("input, textarea, select, [contenteditable=true]")) return true;
    if (doc.querySelector("[data-busy=true], [aria-busy=true]")) return true;
    // Typed text only: pickers and other controlled widgets hold their value in the page, not a draft.
    const typed = "form input:not([type]), form input[type=text], form input[type=email], form input[type=tel], form textarea";
    return Array.from(doc.querySelectorAll(typed)).some(
      (field) => field.value !== field.defaultValue && field.value !== ""
    );
  }

  const rules = { isActive, addActive, isDue, snooze, countShown, pickLine, isBusy, today };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = rules;
    return;
  }

  // ---- the browser side
  const VISIT_KEY = "motorjoy.nudge.visit";
  const DEVICE_KEY = "motorjoy.nudge.device";
  const TICK_MS = 1000;

  function read(storage, key, fallback) {
    try {
      return Object.assign({}, fallback, JSON.parse(storage.getItem(key) || "{}"));
    } catch (e) {
      return fallback;
    }
  }

  function write(storage, key, value) {
    try {
      storage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private mode: nudges just won't persist */
    }
  }

  function apiOrigin(cfg) {
    const url = new URL(cfg.api);
    if (["localhost", "0.0.0.0", "127.0.0.1"].includes(url.hostname)) url.hostname = location.hostname;
    return url.origin;
  }

  function start() {
    const holder = document.getElementById("nudge-config");
    if (!holder || root.__motorjoyNudgeStarted) return;
    root.__motorjoyNudgeStarted = true;
    const cfg = JSON.parse(holder.getAttribute("data-config"));
    // The page was built with the settings of its day; marketing may have published new lines since.
    fetch(apiOrigin(cfg) + "/nudges/config")
      .then((response) => (response.ok ? response.json() : {}))
      .then((fresh) => Object.assign(cfg, fresh, { api: cfg.api }))
      .catch(() => {});
    let visit = read(sessionStorage, VISIT_KEY, { activeMs: 0, nextAtMs: cfg.thresholdMs, ended: false });
    let device = read(localStorage, DEVICE_KEY, { off: false, day: "", shown: 0 });
    let lastInteraction = -Infinity; // opening a page is not yet using it
    let lastTick = Date.now();
    let dialog = null;

    ["pointerdown", "keydown", "scroll", "touchstart", "wheel"].forEach((type) =>
      addEventListener(type, () => (lastInteraction = Date.now()), { passive: true, capture: true })
    );

    // The words go too: marketing may edit the pool while this tab is open, and the report counts by them.
    function tell(action, line, text) {
      fetch(apiOrigin(cfg) + "/nudges/event", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: action, line: line, text: text }),
        keepalive: true,
      }).catch(() => {});
    }

    function answer(action, line, text, preview) {
      dialog.close();
      dialog.remove();
      dialog = null;
      if (preview) return;
      if (action === "road") visit = Object.assign({}, visit, { ended: true });
      if (action === "snooze") visit = snooze(visit, cfg);
      if (action === "off") device = Object.assign({}, device, { off: true });
      write(sessionStorage, VISIT_KEY, visit);
      write(localStorage, DEVICE_KEY, device);
      tell(action, line, text);
    }

    // `preview` (the studio's "show me") draws the dialog with draft lines and records nothing.
    function show(preview) {
      const lines = preview ? preview.lines : cfg.lines;
      const line = pickLine(lines, device, Date.now());
      if (!preview) {
        if (location.pathname.startsWith("/build")) write(localStorage, "motorjoy.lastBuild", location.href);
        device = countShown(device, Date.now());
        write(localStorage, DEVICE_KEY, device);
      }
      dialog = document.createElement("dialog");
      dialog.className = "nudge";
      dialog.setAttribute("aria-labelledby", "nudge-title");
      dialog.setAttribute("aria-describedby", "nudge-line");
      dialog.innerHTML =
        '<h2 id="nudge-title"></h2><p id="nudge-line"></p><div class="nudge-actions">' +
        '<button type="button" data-action="road"></button>' +
        '<button type="button" data-action="snooze"></button>' +
        '<button type="button" data-action="off" class="nudge-quiet"></button></div>';
      dialog.querySelector("h2").textContent = cfg.title;
      dialog.querySelector("p").textContent = lines[line];
      const labels = {
        road: cfg.roadLabel || "Back to the road",
        snooze: cfg.snoozeLabel,
        off: cfg.offLabel || "Don't nudge me on this device",
      };
      dialog.querySelectorAll("button").forEach((b) => {
        b.textContent = labels[b.dataset.action];
        b.addEventListener("click", () => answer(b.dataset.action, line, lines[line], preview));
      });
      // Escape closes it, like "Back to the road": no more nudges this visit.
      dialog.addEventListener("cancel", (event) => {
        event.preventDefault();
        answer("road", line, lines[line], preview);
      });
      // Inside the page's own tree, where the app's styles reach (showModal lifts it to the top anyway).
      const host = document.getElementById("nudge-config");
      (host ? host.parentElement : document.body).appendChild(dialog);
      dialog.showModal();
      if (!preview) tell("shown", line, lines[line]);
    }
    root.motorjoyPreviewNudge = (lines) => dialog || show({ lines: lines });

    setInterval(() => {
      const now = Date.now();
      const active = isActive(now, lastInteraction, document.visibilityState === "visible", cfg.idleMs);
      visit = Object.assign({}, visit, { activeMs: addActive(visit.activeMs, now - lastTick, active, TICK_MS) });
      lastTick = now;
      write(sessionStorage, VISIT_KEY, visit);
      if (!dialog && isDue(visit, device, cfg, now) && !isBusy(document)) show();
    }, TICK_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // The page is a single-page app: the config element may arrive after this script.
  new MutationObserver(start).observe(document.documentElement, { childList: true, subtree: true });
})(typeof window !== "undefined" ? window : globalThis);
