// The picture moves with the finger: when a visitor picks an option on /build, this works out the build
// the server will answer with (the catalogue's rules, as app.catalog.rules applies them) and that build's
// picture URLs (as app.render.key names them), and hands them to the spin (assets/spin.js) in the same
// frame, so the new picture loads during the round trip instead of after it. Pointer-down, hover and
// focus only preload; the picture changes on the click (mouse, touch, or Radix's click on a keyboard
// selection). The server still decides: its answer (the build in data-model/-choices/-hex) settles the
// picture, which only ever swaps to a decoded frame, so an agreeing answer changes nothing and a
// disagreeing one (a rule, a changed catalogue) swaps once, without a blank.
// The picture first: a pick whose picture is still on its way reaches the server once that picture has been
// decoded, and never more than HOLD_AT_MOST_MS after the click. Sent at once, the pick's answer (the server's
// work, then React re-rendering the panel) came back while the picture was being drawn and decoded, and took
// the CPU from both: the picture came 5-25 ms later, and the whole page settled later. Held picks go on in the
// order they were made, and any click in the page's content while one is held waits its turn behind it.
// The page's address follows the server's answer here too (as app.configurator.builds.address_of writes it),
// so a pick's answer carries the build and not a script to rewrite the URL with.
(function (root) {
  "use strict";

  // ---- the rules, as plain functions (unit-tested with `bun test tests/js`; the Python side is the
  // reference: tests/unit/configurator/test_prediction.py compares the two on many builds)

  // The catalogue as shipped (app/configurator/prediction.py), indexed once.
  function indexCatalogue(data) {
    const byId = new Map();
    data.options.forEach((option, order) => byId.set(option.id, { ...option, order }));
    return { ...data, byId, groups: ruleGroups(data, byId) };
  }

  function availableOn(option, model) {
    return !option.models || option.models.includes(model);
  }

  function optionsFor(cat, model, slot) {
    return cat.options.filter((o) => o.slot === slot && availableOn(o, model)).map((o) => cat.byId.get(o.id));
  }

  function inOrder(cat, choices) {
    return cat.slots.filter((s) => s in choices).map((s) => choices[s]);
  }

  // ["requires", a, missing] and ["excludes", a, b] for each broken rule (rules._violations).
  function violations(cat, ids) {
    const chosen = new Set(ids);
    const found = [];
    const pairs = new Set();
    for (const id of ids) {
      const option = cat.byId.get(id);
      if (!option) continue;
      for (const r of option.requires || []) if (!chosen.has(r)) found.push(["requires", id, r]);
      for (const other of option.excludes || []) {
        const pair = [id, other].sort().join("\n");
        if (chosen.has(other) && !pairs.has(pair)) {
          pairs.add(pair);
          found.push(["excludes", id, other]);
        }
      }
    }
    return found;
  }

  // Choice slots joined by any rule (rules.rule_groups), as a list of slot sets.
  function ruleGroups(data, byId) {
    const parent = Object.fromEntries(data.slots.map((s) => [s, s]));
    const rootOf = (s) => {
      while (parent[s] !== s) s = parent[s];
      return s;
    };
    const touched = new Set();
    for (const option of data.options) {
      for (const otherId of [...(option.requires || []), ...(option.excludes || [])]) {
        const other = byId.get(otherId);
        if (!other || !(option.slot in parent) || !(other.slot in parent)) continue;
        touched.add(option.slot).add(other.slot);
        parent[rootOf(option.slot)] = rootOf(other.slot);
      }
    }
    const groups = new Map();
    for (const slot of data.slots) {
      if (!touched.has(slot)) continue;
      if (!groups.has(rootOf(slot))) groups.set(rootOf(slot), new Set());
      groups.get(rootOf(slot)).add(slot);
    }
    return [...groups.values()];
  }

  function groupsOf(cat, slots) {
    const found = new Set(slots);
    for (const group of cat.groups) {
      if ([...group].some((s) => found.has(s))) group.forEach((s) => found.add(s));
    }
    return found;
  }

  function slotsOf(cat, broken) {
    const slots = new Set();
    for (const v of broken) for (const id of v.slice(1)) if (cat.byId.has(id)) slots.add(cat.byId.get(id).slot);
    return slots;
  }

  function lessThan(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const [x, y] = [a[i], b[i]];
      if (Array.isArray(x)) {
        if (lessThan(x, y)) return true;
        if (lessThan(y, x)) return false;
      } else if (x !== y) return x < y;
    }
    return a.length < b.length;
  }

  // The valid choices with fewest changes outside `fixed`, then least price change, then manifest order
  // (rules._smallest, enumerating combinations in the same order as itertools.product).
  function smallest(cat, model, current, fixed, slots) {
    const free = cat.slots.filter((s) => slots.has(s) && !(s in fixed));
    const menus = free.map((s) =>
      optionsFor(cat, model, s)
        .filter((o) => !o.custom || o.id === current[s])
        .map((o) => o.id)
    );
    const priceOf = (ids) => ids.reduce((sum, id) => sum + cat.byId.get(id).price, 0);
    const oldPrice = priceOf(Object.values(current));
    let best = null;
    let bestKey = null;
    const combo = new Array(free.length);
    const visit = (depth) => {
      if (depth === free.length) {
        const choices = { ...current, ...fixed };
        free.forEach((s, i) => (choices[s] = combo[i]));
        const ids = inOrder(cat, choices);
        if (violations(cat, ids).length) return;
        const changed = free.filter((s) => choices[s] !== current[s]).length;
        const key = [changed, Math.abs(priceOf(ids) - oldPrice), ids.map((id) => cat.byId.get(id).order)];
        if (bestKey === null || lessThan(key, bestKey)) [best, bestKey] = [choices, key];
        return;
      }
      for (const id of menus[depth]) {
        combo[depth] = id;
        visit(depth + 1);
      }
    };
    visit(0);
    return best;
  }

  function paintHex(cat, choices, hex) {
    const colour = cat.byId.get(choices.colour);
    return colour.custom ? hex : colour.hex || "";
  }

  // The build the server's `choose` gives for picking `optionId`, or null where it would refuse.
  // A build is {model, choices: {slot: option id}, hex}, hex upper-case "#RRGGBB" as the server sends it.
  function choose(cat, build, optionId) {
    const option = cat.byId.get(optionId);
    if (!option || !cat.slots.includes(option.slot) || !availableOn(option, build.model)) return null;
    const wanted = { ...build.choices, [option.slot]: option.id };
    const broken = violations(cat, inOrder(cat, wanted));
    let choices = wanted;
    if (broken.length) {
      const slots = groupsOf(cat, new Set([option.slot, ...slotsOf(cat, broken)]));
      choices = smallest(cat, build.model, build.choices, { [option.slot]: option.id }, slots);
      if (!choices) return null;
    }
    const ordered = Object.fromEntries(cat.slots.map((s) => [s, choices[s]]));
    return { model: build.model, choices: ordered, hex: paintHex(cat, ordered, build.hex) };
  }

  // RenderKey.url(): /car/{version}/{model}/{view}/{width}/{HEX}/{option}+{option}+....{format}
  function pictureUrl(cat, build, view, width) {
    const ids = cat.slots.map((s) => build.choices[s]).join("+");
    return `/car/${cat.version}/${build.model}/${view}/${width}/${build.hex.slice(1)}/${ids}.${cat.format}`;
  }

  // render.key.stack_keys: the base painted the build's hex, then a piece for every slot above the body in
  // paint order whose option draws something (a slot without options is named after itself: the glass).
  function stackPaths(cat, build, view) {
    const layers = [["body", build.hex.slice(1).toUpperCase()]];
    for (const slot of cat.pieces) {
      if (!cat.slots.includes(slot)) layers.push([slot, slot]);
      else if ((cat.byId.get(build.choices[slot]) || {}).draws !== false) layers.push([slot, build.choices[slot]]);
    }
    return layers.map(([slot, name]) =>
      cat.widths.map((w) => `/car/${cat.version}/${build.model}/${view}/${w}/stack/${slot}/${name}.webp`)
    );
  }

  // render.alt's build_description: "Hatch in Chili Red with a black roof and 17-inch dish wheels".
  // `paintWord` names the build's paint code ("dark grey"), for the customer's own paint: the server sends it.
  function describe(cat, build, paintWord) {
    const options = cat.slots.map((s) => cat.byId.get(build.choices[s])).filter(Boolean);
    const colour = options.find((o) => o.slot === "colour");
    const paint = colour && colour.custom ? `a custom ${paintWord}` : (colour && colour.alt) || "";
    const extras = options.filter((o) => o.slot !== "colour" && o.alt).map((o) => o.alt);
    let text = `${cat.names[build.model]} in ${paint}`;
    if (extras.length === 1) text += ` with ${extras[0]}`;
    if (extras.length > 1) text += ` with ${extras.slice(0, -1).join(", ")} and ${extras[extras.length - 1]}`;
    return text.replace(/,+$/, "");
  }

  // CarPictures.spin_frames(), with each angle's alt text (render.alt.with_angle).
  function frames(cat, build, paintWord) {
    const description = describe(cat, build, paintWord);
    return (cat.models[build.model] || []).map((view) => ({
      view,
      label: cat.views[view],
      paths: cat.widths.map((w) => pictureUrl(cat, build, view, w)),
      alt: `${description}, seen from the ${cat.views[view]}`,
      stack: stackPaths(cat, build, view),
    }));
  }

  function sameBuild(a, b) {
    return !!a && !!b && a.model === b.model && a.hex === b.hex && JSON.stringify(a.choices) === JSON.stringify(b.choices);
  }

  // One value as Python's urlencode writes it (quote_plus): only letters, digits and "_.-~" stay as they are.
  function formEncode(text) {
    return encodeURIComponent(String(text))
      .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
      .replace(/%20/g, "+");
  }

  // builds.query_of: model, one option per slot in slot order, the view, and the custom paint's hex.
  function queryOf(cat, build, view) {
    const params = [["model", build.model]];
    for (const slot of cat.slots) if (slot in build.choices) params.push([slot, build.choices[slot]]);
    params.push(["view", view]);
    const colour = cat.byId.get(build.choices.colour);
    if (colour && colour.custom) params.push(["hex", build.hex.replace(/^#+/, "")]);
    return params.map(([key, value]) => formEncode(key) + "=" + formEncode(value)).join("&");
  }

  // The page's address for a build: its code once it is saved (and not changed since), else its choices.
  function addressOf(cat, build, view, code) {
    return code ? `/build/${code}` : `/build?${queryOf(cat, build, view)}`;
  }

  // Held clicks go on one after another in the order they came, each once its own wait is over (or has
  // failed): `hold(wait, run)`. `holding()` says whether any is still waiting, so that a later click that
  // needn't wait itself still queues behind them instead of overtaking.
  function inTurn() {
    let last = Promise.resolve();
    let waiting = 0;
    function hold(wait, run) {
      waiting += 1;
      last = last
        .then(() => wait)
        .catch(() => null)
        .then(() => {
          waiting -= 1;
          run();
        })
        .catch(() => null); // a click that throws must not stop the ones behind it
      return last;
    }
    return { hold, holding: () => waiting > 0 };
  }

  const rules = { indexCatalogue, violations, choose, pictureUrl, stackPaths, describe, frames, sameBuild, formEncode, queryOf, addressOf, inTurn };
  if (typeof module !== "undefined" && module.exports) module.exports = rules;
  if (typeof document === "undefined") return;

  // ---- the page
  // No answer this long after a pick (the server refused it, or the answer changed nothing): show the server's.
  const SETTLE_AFTER_MS = 3000;
  // The longest a pick waits for its picture before going to the server anyway (a slow or failed picture).
  const HOLD_AT_MOST_MS = 100;
  const whenIdle = root.requestIdleCallback ? (fn) => root.requestIdleCallback(fn, { timeout: 300 }) : (fn) => setTimeout(fn, 50);
  const cancelIdle = root.cancelIdleCallback ? (id) => root.cancelIdleCallback(id) : clearTimeout;

  // `early`: the spin was on the page before this script ran. One that appears later may belong to a page
  // just navigated to in the browser, still holding the build the tab had before: see follow().
  function bind(spin, early) {
    spin.dataset.predictBound = "true";
    const pic = spin.querySelector("img");
    let catText = null;
    let cat = null;
    let server = null; // the build the server last sent
    let pending = []; // builds predicted for picks the server hasn't answered yet, oldest first
    let settleTimer = 0;

    function readServer() {
      try {
        const choices = JSON.parse(spin.dataset.choices || "{}");
        return spin.dataset.model ? { model: spin.dataset.model, choices, hex: spin.dataset.hex || "" } : null;
      } catch (_error) {
        return null;
      }
    }

    function origin() {
      try {
        return new URL(pic.currentSrc || pic.src).origin;
      } catch (_error) {
        return "";
      }
    }

    // The spin follows data-frames (keeping the angle on screen) and swaps only to decoded pictures.
    function show(build) {
      const text = JSON.stringify(frames(cat, build, spin.dataset.paintWord || ""));
      if (spin.dataset.frames !== text) spin.dataset.frames = text;
    }

    // The address shows the build the server last answered with (replaced, not pushed: a click must not add
    // a history entry to wade back through), once the page's own on_load has answered (data-hydrated):
    // until then the build may be the one the tab had on another page, and the on_load handler reads its
    // query from the address. A spin that appears with the page in the browser follows only from the next
    // change on, as the state's flag may still be that of the page before. The studio's preview keeps its own.
    // Rewriting the address takes the main thread for a few milliseconds, and the answer it follows arrives
    // while the new picture is loading: it waits until the page is idle (the newest answer's address only),
    // and is dropped if the visitor has left the page by then.
    let addressLater = 0;
    function follow(answer, changed) {
      if (!(changed || early) || spin.dataset.hydrated !== "true" || spin.dataset.previewing === "true") return;
      const view = spin.dataset.serverView;
      if (!view) return;
      const address = addressOf(cat, answer, view, spin.dataset.code || "");
      cancelIdle(addressLater);
      addressLater = whenIdle(() => {
        const stillHere = spin.isConnected && location.pathname.startsWith("/build");
        if (stillHere && location.pathname + location.search !== address) history.replaceState(history.state, "", address);
      });
    }

    function sync(mutations) {
      if (spin.dataset.catalogue !== catText) {
        catText = spin.dataset.catalogue || null;
        try {
          cat = catText ? indexCatalogue(JSON.parse(catText)) : null;
        } catch (_error) {
          cat = null;
        }
      }
      const answer = readServer();
      if (!cat || !answer || !cat.models[answer.model]) return;
      if (!sameBuild(answer, server)) {
        server = answer;
        // Answers come in the order the picks went; one that differs from its prediction wins and ends the rest.
        const expected = pending.shift();
        if (expected && !sameBuild(expected, answer)) pending = [];
      }
      if (!pending.length) {
        clearTimeout(settleTimer);
        show(server);
      } else {
        show(pending[pending.length - 1]);
      }
      follow(answer, !!mutations);
    }

    function predicted(target) {
      const optionId = target && target.dataset.predictOption;
      if (!optionId || !cat || !server || target.disabled || target.getAttribute("aria-checked") === "true") return null;
      const base = pending.length ? pending[pending.length - 1] : server;
      const next = choose(cat, base, optionId);
      return next && !sameBuild(next, base) ? next : null;
    }

    // Starts loading and decoding a predicted build's picture; a promise of it decoded, or undefined.
    function preloadBuild(next) {
      if (!next || !root.motorjoySpin) return;
      const view = spin.dataset.view || cat.models[next.model][0];
      if (!cat.models[next.model].includes(view)) return;
      const image = (paths) => root.motorjoySpin.rules.image(paths, cat.widths, origin());
      const frame = image(cat.widths.map((w) => pictureUrl(cat, next, view, w)));
      frame.layers = stackPaths(cat, next, view).map(image);
      return root.motorjoySpin.preload(frame, pic.sizes);
    }

    function preload(target) {
      preloadBuild(predicted(target));
    }

    // Shows the pick's picture; a promise of it decoded, or null when there is nothing to predict.
    function commit(target) {
      const next = predicted(target);
      if (!next) return null;
      const picture = preloadBuild(next) || null;
      pending.push(next);
      show(next);
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => {
        pending = [];
        if (server) show(server);
      }, SETTLE_AFTER_MS);
      return picture;
    }

    spin.predict = { preload, commit };
    new MutationObserver(sync).observe(spin, {
      attributes: true,
      attributeFilter: [
        "data-catalogue",
        "data-model",
        "data-choices",
        "data-hex",
        "data-paint-word",
        "data-server-view",
        "data-code",
        "data-hydrated",
        "data-previewing",
      ],
    });
    sync();
  }

  function start(early) {
    document
      .querySelectorAll("[data-spin][data-catalogue]:not([data-predict-bound])")
      .forEach((spin) => bind(spin, early === true));
  }

  // The option an event is on, and the predicting picture it belongs with (either may be null).
  function optionOf(event) {
    const target = event.target instanceof Element ? event.target.closest("[data-predict-option]") : null;
    const spin = target && document.querySelector("[data-spin][data-predict-bound]");
    return { target, predict: (spin && spin.predict) || null };
  }

  // One set of listeners for the page, handing each option to the picture it belongs with.
  function on(type, act, when = () => true) {
    document.addEventListener(
      type,
      (event) => {
        const { target, predict } = optionOf(event);
        if (predict && when(event)) predict[act](target);
      },
      // Capture: this runs before the click reaches Radix, which sends the pick to the server.
      { capture: true }
    );
  }
  // Clicks: the picture first (see the top). A held click is stopped before React sees it and clicked again
  // on the same element (or, if React has replaced it, the one for the same option) when its turn comes.
  const turns = rules.inTurn();
  let replaying = false;
  function replay(target) {
    const option = target.dataset && target.dataset.predictOption;
    const now = target.isConnected ? target : option && document.querySelector(`[data-predict-option="${CSS.escape(option)}"]`);
    if (!now) return;
    replaying = true;
    try {
      now.click();
    } finally {
      replaying = false;
    }
  }
  document.addEventListener(
    "click",
    (event) => {
      if (replaying || !(event.target instanceof Element)) return;
      const { target, predict } = optionOf(event);
      const picture = predict ? predict.commit(target) : null;
      // Clicks in the page's content may wait their turn; the header's (another page, the theme) never do.
      const holdable = event.target.closest("main") || target;
      if (!holdable || !(picture || turns.holding())) return;
      event.stopImmediatePropagation();
      event.preventDefault();
      const wait = picture && Promise.race([picture, new Promise((done) => setTimeout(done, HOLD_AT_MOST_MS))]);
      turns.hold(wait, () => replay(target || event.target));
    },
    // Capture: this runs before the click reaches Radix, which sends the pick to the server.
    { capture: true }
  );
  on("pointerdown", "preload", (event) => event.button === 0);
  on("pointerover", "preload");
  on("focusin", "preload");

  root.motorjoyPredict = { rules, start };
  new MutationObserver(() => start(false)).observe(document.documentElement, { childList: true, subtree: true });
  start(true);
})(typeof window !== "undefined" ? window : globalThis);
