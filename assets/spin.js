// The car's spin: drag or swipe the picture, use the arrow keys when it has focus, or the turn buttons.
// Turning happens here in the browser (no server round trip a frame): every angle of the build on screen
// is preloaded and decoded after the one being looked at, and the picture only ever swaps to a decoded
// frame, so turning never shows a blank. Nothing ever moves by itself (kind to reduced-motion users too).
// The server hears the angle once the turning stops, so a shared link opens at it.
(function (root) {
  "use strict";

  // ---- the rules, as plain functions (unit-tested with `bun test tests/js`)
  function wrap(index, count) {
    return ((index % count) + count) % count;
  }

  // The frame a key press turns to, or null for a key the spin doesn't use.
  function keyTarget(key, index, count) {
    switch (key) {
      case "ArrowRight":
      case "ArrowUp":
        return wrap(index + 1, count);
      case "ArrowLeft":
      case "ArrowDown":
        return wrap(index - 1, count);
      case "PageUp":
        return wrap(index + 2, count);
      case "PageDown":
        return wrap(index - 2, count);
      case "Home":
        return 0;
      case "End":
        return count - 1;
      default:
        return null;
    }
  }

  // Pixels of drag per frame: a drag across the whole picture turns the car a little more than once round.
  function stepPixels(width, count) {
    return Math.max(16, width / (count * 1.25));
  }

  // The frame a drag of dx pixels reaches from where it started. The angles are listed with the camera
  // walking round the car so that the side nearest it moves right: dragging right turns to the next
  // angle (the car's near side follows the finger), as the right arrow key and "Turn right" do.
  function dragTarget(startIndex, dx, width, count) {
    return wrap(startIndex + Math.trunc(dx / stepPixels(width, count)), count);
  }

  // The order to preload the other angles in: nearest to the one on screen first, both ways round.
  function preloadOrder(index, count) {
    const order = [];
    for (let d = 1; order.length < count - 1; d++) {
      for (const i of [wrap(index + d, count), wrap(index - d, count)]) {
        if (i !== index && !order.includes(i)) order.push(i);
      }
    }
    return order;
  }

  // Frames as the server lists them (view, label, paths per width, alt) with a srcset for this origin.
  function parseFrames(text, widths, origin) {
    let frames;
    try {
      frames = JSON.parse(text || "[]");
    } catch (_error) {
      return [];
    }
    return frames.map((f) => ({
      view: f.view,
      label: f.label,
      alt: f.alt,
      src: origin + f.paths[0],
      srcset: f.paths.map((p, i) => origin + p + " " + widths[i] + "w").join(", "),
    }));
  }

  // A callback handed out for one build can outlive it (a load listener on the picture fires after a newer
  // build arrived): `latest(fn)` wraps fn so that it does nothing once a newer callback has been handed out.
  function latestOnly() {
    let handedOut = 0;
    return (fn) => {
      const mine = ++handedOut;
      return (...args) => (mine === handedOut ? fn(...args) : undefined);
    };
  }

  const rules = { wrap, keyTarget, stepPixels, dragTarget, preloadOrder, parseFrames, latestOnly };
  if (typeof module !== "undefined" && module.exports) module.exports = rules;
  if (typeof document === "undefined") return;

  // ---- the page
  const SYNC_AFTER_MS = 600;
  // The other angles of a new build wait until the visitor pauses (or reaches for the spin): while they
  // click through options, each angle fetched would compete with the next picked picture for the server.
  const OTHERS_AFTER_MS = 1000;
  const decoded = new Map(); // srcset -> Promise of a decoded Image (null if it failed)

  function decodeFrame(frame, sizes) {
    if (!decoded.has(frame.srcset)) {
      const img = new Image();
      img.sizes = sizes;
      img.srcset = frame.srcset;
      img.src = frame.src;
      decoded.set(
        frame.srcset,
        img.decode().then(
          () => img,
          () => {
            decoded.delete(frame.srcset); // try again on the next turn
            return null;
          }
        )
      );
    }
    return decoded.get(frame.srcset);
  }

  // After the picture's load (or failure: the other angles may still come), whichever is first.
  function onceLoaded(pic, then) {
    let done = false;
    const go = () => {
      if (!done) then();
      done = true;
    };
    pic.addEventListener("load", go, { once: true });
    pic.addEventListener("error", go, { once: true });
  }

  function bind(spin) {
    const stage = spin.querySelector("[role=slider]");
    const pic = spin.querySelector("img");
    const label = spin.querySelector("[data-spin-label]");
    const sync = spin.querySelector("[data-spin-sync]");
    if (!stage || !pic) return;
    spin.dataset.spinBound = "true";
    const widths = JSON.parse(spin.dataset.widths || "[]");
    let frames = [];
    let index = 0;
    let syncTimer = 0;
    let drag = null;

    function origin() {
      try {
        return new URL(pic.currentSrc || pic.src).origin;
      } catch (_error) {
        return "";
      }
    }

    function announce(i) {
      stage.setAttribute("aria-valuenow", String(i + 1));
      stage.setAttribute("aria-valuetext", frames[i].label);
      if (label) label.dataset.spinLabel = frames[i].label; // an attribute: React owns the span's children
      spin.dataset.view = frames[i].view;
    }

    function point(frame) {
      if (pic.getAttribute("srcset") !== frame.srcset) {
        pic.srcset = frame.srcset;
        pic.src = frame.src;
      }
      pic.alt = frame.alt;
    }

    // Swap the picture only to a decoded frame, and only if it is still the one wanted.
    function show(i) {
      const frame = frames[i];
      return decodeFrame(frame, pic.sizes).then((img) => {
        if (img && frames[index] === frame) point(frame);
      });
    }

    let othersTimer = 0;
    const forLatestBuild = latestOnly();
    let othersFor = null; // the frames whose other angles are loading or loaded

    function preloadOthers() {
      const wanted = frames;
      clearTimeout(othersTimer);
      if (othersFor === wanted) return;
      othersFor = wanted;
      let chain = show(index);
      for (const i of preloadOrder(index, frames.length)) {
        // One at a time, so the angle on screen and its neighbours are never queued behind the far side.
        chain = chain.then(() => (frames === wanted ? decodeFrame(frames[i], pic.sizes) : null));
      }
      // For tests and the benchmark: every angle of this build is decoded and ready to turn to.
      chain.then(() => {
        if (frames === wanted) spin.dataset.preloaded = "true";
      });
    }

    function turnTo(i) {
      if (!frames.length || i === index) return;
      index = i;
      announce(i);
      show(i);
      if (sync) {
        clearTimeout(syncTimer);
        syncTimer = setTimeout(() => sync.click(), SYNC_AFTER_MS);
      }
    }

    function refresh() {
      const text = spin.dataset.frames;
      if (!text || text === refresh.last) return;
      refresh.last = text;
      const previous = frames[index] && frames[index].view;
      frames = parseFrames(text, widths, origin());
      if (!frames.length) return;
      // Keep the angle the visitor turned to; a new build (or first load) otherwise opens at the server's.
      const keep = frames.findIndex((f) => f.view === previous);
      const fromServer = frames.findIndex((f) => f.view === spin.dataset.serverView);
      index = keep >= 0 ? keep : Math.max(0, fromServer);
      stage.setAttribute("aria-valuemax", String(frames.length));
      announce(index);
      for (const key of Array.from(decoded.keys())) {
        if (!frames.some((f) => f.srcset === key)) decoded.delete(key);
      }
      // The angle on screen now; the rest once the visitor pauses, or as soon as they reach for the spin.
      delete spin.dataset.preloaded;
      // A new build (a pick) goes straight to the picture, as a plain <img> would: the browser keeps the old
      // one on screen until the new one has loaded, and waiting for a decoded copy first only adds main-thread
      // hops (behind the render of the server's answer) before the swap. Turning keeps to decoded frames.
      point(frames[index]);
      clearTimeout(othersTimer);
      // Only the newest build may start the other angles: an older build's load listener would otherwise
      // set a timer no later pick clears, and fetch a build long gone in the middle of the next picks.
      const later = forLatestBuild(() => {
        clearTimeout(othersTimer);
        othersTimer = setTimeout(preloadOthers, OTHERS_AFTER_MS);
      });
      if (pic.complete) later();
      else onceLoaded(pic, later);
    }

    stage.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = keyTarget(event.key, index, frames.length);
      if (target === null || !frames.length) return;
      event.preventDefault();
      turnTo(target);
    });
    spin.querySelectorAll("[data-turn]").forEach((button) =>
      button.addEventListener("click", () => turnTo(wrap(index + Number(button.dataset.turn), frames.length)))
    );
    stage.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || !frames.length) return;
      drag = { x: event.clientX, start: index, id: event.pointerId };
      stage.setPointerCapture(event.pointerId);
      stage.dataset.dragging = "true";
    });
    stage.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      turnTo(dragTarget(drag.start, event.clientX - drag.x, stage.clientWidth, frames.length));
    });
    const endDrag = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      drag = null;
      delete stage.dataset.dragging;
    };
    stage.addEventListener("pointerup", endDrag);
    stage.addEventListener("pointercancel", endDrag);
    stage.addEventListener("dragstart", (event) => event.preventDefault());

    for (const type of ["pointerenter", "focusin", "pointerdown"]) {
      spin.addEventListener(type, () => frames.length && preloadOthers());
    }
    // React (or assets/predict.js) updates data-frames when the build changes; follow it.
    new MutationObserver(refresh).observe(spin, { attributes: true, attributeFilter: ["data-frames"] });
    refresh();
  }

  function start() {
    document.querySelectorAll("[data-spin]:not([data-spin-bound])").forEach(bind);
  }

  // predict.js preloads a picked option's picture into the same store the spin swaps from.
  root.motorjoySpin = { rules, start, preload: decodeFrame };
  new MutationObserver(start).observe(document.documentElement, { childList: true, subtree: true });
  start();
})(typeof window !== "undefined" ? window : globalThis);
