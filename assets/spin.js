// The car's spin: drag or swipe the picture, use the arrow keys when it has focus, or the turn buttons.
// Turning happens here in the browser (no server round trip a frame): every angle of the build on screen
// is preloaded and decoded after the one being looked at, and the picture only ever swaps to a decoded
// frame, so turning never shows a blank. Nothing ever moves by itself (kind to reduced-motion users too).
// The server hears the angle once the turning stops, so a shared link opens at it.
// A frame is shown as its stack (app/render/stack.py): the base in the <img> that carries the alt text, the
// pieces laid over it, all decoded before any of them swaps. The page opens on the build's one composite
// picture (it comes with the HTML); from the first pick or turn on, a new build only needs the pictures that
// changed, which every build shares, so the server has next to nothing to draw.
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

  // A picture's paths per width as an image's src and srcset on this origin.
  function image(paths, widths, origin) {
    return { src: origin + paths[0], srcset: paths.map((p, i) => origin + p + " " + widths[i] + "w").join(", ") };
  }

  // Frames as the server lists them (view, label, paths per width, alt, and the same picture as a stack of
  // paths per width, base first) with a src and srcset for this origin; `layers` is the stack, if it has one.
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
      ...image(f.paths, widths, origin),
      layers: Array.isArray(f.stack) && f.stack.length ? f.stack.map((paths) => image(paths, widths, origin)) : null,
    }));
  }

  // What a frame shows: its stack when it has one, else its one picture.
  function shownAs(frame) {
    return frame.layers || [frame];
  }

  // One key for a frame's pictures, to remember it decoded by.
  function frameKey(frame) {
    return shownAs(frame).map((picture) => picture.srcset).join("\n");
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

  // How long to wait before asking again for a frame whose pictures failed to come (a server too busy to
  // draw, a dropped connection): a second, then twice as long each time; null once it has failed six times.
  function retryDelay(failures) {
    return failures >= 1 && failures <= 5 ? 1000 * 2 ** (failures - 1) : null;
  }

  const rules = {
    wrap,
    keyTarget,
    stepPixels,
    dragTarget,
    preloadOrder,
    image,
    parseFrames,
    shownAs,
    frameKey,
    latestOnly,
    retryDelay,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = rules;
  if (typeof document === "undefined") return;

  // ---- the page
  const SYNC_AFTER_MS = 600;
  // The other angles of a new build wait until the visitor pauses (or reaches for the spin): while they
  // click through options, each angle fetched would compete with the next picked picture for the server.
  const OTHERS_AFTER_MS = 1000;
  const decoded = new Map(); // frameKey -> Promise of true once every picture of the frame is decoded (null if one failed)

  function decodePicture(picture, sizes) {
    const img = new Image();
    img.sizes = sizes;
    img.srcset = picture.srcset;
    img.src = picture.src;
    return img.decode();
  }

  function decodeFrame(frame, sizes) {
    const key = frameKey(frame);
    if (!decoded.has(key)) {
      decoded.set(
        key,
        Promise.all(shownAs(frame).map((picture) => decodePicture(picture, sizes))).then(
          () => true,
          () => {
            decoded.delete(key); // try again on the next turn
            return null;
          }
        )
      );
    }
    return decoded.get(key);
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
    const pieces = spin.querySelector("[data-spin-pieces]");
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

    function setPicture(img, picture) {
      if (img.getAttribute("srcset") !== picture.srcset) {
        img.srcset = picture.srcset;
        img.src = picture.src;
      }
    }

    // Shows the frame: its stack's base in the picture (or its one picture), its pieces laid over it.
    function point(frame) {
      const [base, ...over] = pieces ? shownAs(frame) : [frame];
      setPicture(pic, base);
      pic.alt = frame.alt;
      if (pieces) {
        while (pieces.children.length > over.length) pieces.lastElementChild.remove();
        while (pieces.children.length < over.length) {
          const piece = document.createElement("img");
          piece.alt = ""; // the picture's alt text describes the whole car
          piece.sizes = pic.sizes;
          piece.draggable = false;
          pieces.append(piece);
        }
        over.forEach((picture, i) => setPicture(pieces.children[i], picture));
      }
      spin.dataset.shown = frame.srcset; // which build and angle is on screen (its composite), for tests and benchmarks
    }

    // Swap the picture only to a decoded frame, and only if it is still the one wanted. A frame one of
    // whose pictures failed is asked for again a little later while it is still wanted: the page must
    // not stay on the old car for good because one piece didn't come the first time.
    function show(i, failures = 0) {
      const frame = frames[i];
      return decodeFrame(frame, pic.sizes).then((ok) => {
        if (frames[index] !== frame) return;
        if (ok) return point(frame);
        const wait = retryDelay(failures + 1);
        if (wait !== null) setTimeout(() => frames[index] === frame && show(i, failures + 1), wait);
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
        if (!frames.some((f) => frameKey(f) === key)) decoded.delete(key);
      }
      // The angle on screen now; the rest once the visitor pauses, or as soon as they reach for the spin.
      delete spin.dataset.preloaded;
      // The page opens on the picture that came with the HTML; a new build (a pick) swaps once all its
      // pictures are decoded, so a stack never shows one piece of the new car over another of the old.
      const opening = pic.getAttribute("srcset") === frames[index].srcset;
      const shown = opening ? Promise.resolve() : show(index);
      if (opening) spin.dataset.shown = frames[index].srcset;
      clearTimeout(othersTimer);
      // Only the newest build may start the other angles: an older build's load listener would otherwise
      // set a timer no later pick clears, and fetch a build long gone in the middle of the next picks.
      const later = forLatestBuild(() => {
        clearTimeout(othersTimer);
        othersTimer = setTimeout(preloadOthers, OTHERS_AFTER_MS);
      });
      if (!opening) shown.then(later);
      else if (pic.complete) later();
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
