"""Generate the Motorjoy layer SVG sources into layers/src/.

The car is drawn from a handful of shared shape definitions so that every
option layer lines up with the body. Run this, then build_layers.py:

    .venv/bin/python layers/generate_svgs.py
    .venv/bin/python layers/build_layers.py

The generated SVGs are committed; hand-editing them is fine for one-off
tweaks, but re-running this script overwrites them.
"""

from __future__ import annotations

import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
W, H = 1600, 900

MODELS = ("hatch", "convertible")
VIEWS = ("side", "front")


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------
def svg(body: str, defs: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}">\n<defs>{defs}</defs>\n{body}\n</svg>\n'
    )


def grey(v: float) -> str:
    v = max(0, min(255, round(v)))
    return f"#{v:02x}{v:02x}{v:02x}"


def lin(id_, x1, y1, x2, y2, stops, extra=""):
    s = "".join(f'<stop offset="{o:.4f}" stop-color="{c}" stop-opacity="{a}"/>' for o, c, a in _stops(stops))
    return (
        f'<linearGradient id="{id_}" gradientUnits="userSpaceOnUse" '
        f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" {extra}>{s}</linearGradient>'
    )


def rad(id_, cx, cy, r, stops, fx=None, fy=None, extra=""):
    fx = cx if fx is None else fx
    fy = cy if fy is None else fy
    s = "".join(f'<stop offset="{o:.4f}" stop-color="{c}" stop-opacity="{a}"/>' for o, c, a in _stops(stops))
    return (
        f'<radialGradient id="{id_}" gradientUnits="userSpaceOnUse" cx="{cx}" '
        f'cy="{cy}" r="{r}" fx="{fx}" fy="{fy}" {extra}>{s}</radialGradient>'
    )


def _stops(stops):
    out = []
    for st in stops:
        if len(st) == 2:
            o, c = st
            a = 1
        else:
            o, c, a = st
        if isinstance(c, (int, float)):
            c = grey(c)
        out.append((o, c, a))
    return out


def gstops(y0, y1, pairs):
    """Stops given as absolute coordinates -> offsets."""
    return [((y - y0) / (y1 - y0), *tuple(rest)) for y, *rest in pairs]


def blur(id_, sd):
    return (
        f'<filter id="{id_}" x="-50%" y="-50%" width="200%" height="200%">'
        f'<feGaussianBlur stdDeviation="{sd}"/></filter>'
    )


def clip(id_, content):
    return f'<clipPath id="{id_}">{content}</clipPath>'


def circle_path(cx, cy, r):
    return f"M {cx - r:.2f},{cy:.2f} A {r},{r} 0 1 0 {cx + r:.2f},{cy:.2f} A {r},{r} 0 1 0 {cx - r:.2f},{cy:.2f} Z"


def mirror_path(d: str) -> str:
    """Mirror an absolute path (M/L/C/Q/Z, and A with flags) about x=800."""
    toks = d.replace(",", " ").split()
    out = []
    i = 0
    cmd = None
    while i < len(toks):
        t = toks[i]
        if t.isalpha():
            cmd = t
            out.append(t)
            i += 1
            continue
        if cmd == "A":
            rx, ry, rot, la, sw, x, y = toks[i : i + 7]
            out += [rx, ry, rot, la, str(1 - int(sw)), f"{W - float(x):.2f}", y]
            i += 7
        else:
            x, y = toks[i : i + 2]
            out += [f"{W - float(x):.2f}", y]
            i += 2
    return " ".join(out)


def sym(left: list[tuple]) -> str:
    """Symmetric closed path from a left half described bottom-centre -> top-centre.

    left = [("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Q", x1, y1, x, y) ...]
    """
    pts = []  # (cmd, controls, end)
    cur = None
    for seg in left:
        c = seg[0]
        nums = list(seg[1:])
        end = (nums[-2], nums[-1])
        ctrl = [(nums[k], nums[k + 1]) for k in range(0, len(nums) - 2, 2)]
        pts.append((c, cur, ctrl, end))
        cur = end
    d = []
    for c, _start, ctrl, end in pts:
        d.append(c + " " + " ".join(f"{x},{y}" for x, y in [*ctrl, end]))
    # right half: reverse order, mirrored
    for c, start, ctrl, _end in reversed(pts):
        if c == "M":
            continue
        rctrl = [(W - x, y) for x, y in reversed(ctrl)]
        sx, sy = start
        d.append(c + " " + " ".join(f"{x},{y}" for x, y in [*rctrl, (W - sx, sy)]))
    return " ".join(d) + " Z"


def checks_pattern(id_, size, dark="#151517", light="#f3f2ee", transform=""):
    return (
        f'<pattern id="{id_}" patternUnits="userSpaceOnUse" width="{2 * size}" '
        f'height="{2 * size}" {transform}>'
        f'<rect width="{2 * size}" height="{2 * size}" fill="{light}"/>'
        f'<rect width="{size}" height="{size}" fill="{dark}"/>'
        f'<rect x="{size}" y="{size}" width="{size}" height="{size}" fill="{dark}"/>'
        f"</pattern>"
    )


# ==========================================================================
# SIDE VIEW geometry (car faces right).  Everything is drawn inside a group
# shifted by SIDE_DX so the car is centred on the canvas.
# ==========================================================================
SIDE_DX = -17
GROUND = 760
RW = (470, 650)  # rear wheel centre
FW = (1135, 650)  # front wheel centre
TYRE_R = 110
ARCH_R = 128
RIM_R = {"wheels-spoke": 66, "wheels-minilite": 72, "wheels-dish": 78}


def _arch_x(cx):
    dx = math.sqrt(ARCH_R**2 - (700 - RW[1]) ** 2)
    return cx - dx, cx + dx


RA0, RA1 = _arch_x(RW[0])
FA0, FA1 = _arch_x(FW[0])

SIDE_LOWER = (
    f"M 300,700 L {RA0:.1f},700 A {ARCH_R},{ARCH_R} 0 1 1 {RA1:.1f},700 "
    f"L {FA0:.1f},700 A {ARCH_R},{ARCH_R} 0 1 1 {FA1:.1f},700 "
    "L 1320,700 C 1340,700 1351,690 1353,668 L 1357,600 "
    "C 1360,560 1358,528 1345,515 C 1337,507 1330,505 1322,505 "
    "Q 1180,478 1005,470 L 365,470 Q 312,472 294,500 "
    "C 282,520 278,580 280,640 C 281,680 288,700 300,700 Z"
)
# top surface sliver of the bonnet (seen from a slightly raised camera)
SIDE_BONNET_TOP = "M 1005,470 Q 1180,478 1322,505 C 1330,505 1337,507 1343,513 Q 1180,505 1005,498 Z"
SIDE_BONNET_MID = "M 1005,481 Q 1180,488 1334,509"  # bonnet centre line
SIDE_REAR_TOP = "M 365,470 Q 312,472 294,500 Q 320,492 365,490 Z"
SIDE_SHOULDER = "M 296,496 Q 322,490 365,490 L 1005,497 Q 1180,505 1340,514"

# hatch glasshouse
SIDE_GH_HATCH = "M 1005,472 L 944,298 C 938,282 930,273 912,272 Q 668,258 424,272 C 406,274 398,282 395,296 L 363,472 Z"
SIDE_ROOF_HATCH = (  # roof panel (top sliver + gutter band) for roof options
    "M 946,302 L 944,298 C 938,282 930,273 912,272 Q 668,258 424,272 "
    "C 406,274 398,282 395,296 L 394,302 Q 668,296 946,302 Z"
)
SIDE_ROOF_TOP_HATCH = (
    "M 938,284 C 932,276 926,273 912,272 Q 668,258 424,272 C 414,273 406,277 402,283 Q 668,276 938,284 Z"
)
SIDE_WIN_FRONT = "M 672,474 L 672,309 Q 672,304 677,304 L 916,304 Q 921,304 922,309 L 930,340 L 930,474 Z"
SIDE_SAIL = "M 930,340 L 930,474 L 977,474 L 924,320 Z"
SIDE_WIN_REAR_HATCH = "M 648,474 L 648,309 Q 648,304 643,304 L 428,304 Q 422,304 421,310 L 394,474 Z"

# convertible
SIDE_APILLAR_CONV = "M 1005,472 L 946,300 C 942,289 936,285 926,285 L 918,285 L 922,309 L 930,340 L 930,474 L 978,474 Z"
SIDE_TOP_CONV = (  # outline of the soft top (down to the belt line)
    "M 946,302 C 942,290 934,284 920,283 Q 760,273 600,279 "
    "C 505,283 440,312 402,360 C 380,390 362,430 350,472 L 946,472 Z"
)
SIDE_WIN_REAR_CONV = "M 650,474 L 650,309 Q 650,304 645,304 L 566,304 C 528,308 494,336 474,380 L 448,474 Z"

SIDE_MIRROR_CAP = (
    "M 934,452 L 934,422 C 934,415 938,412 945,412 L 968,412 "
    "C 985,412 996,423 996,434 C 996,446 985,453 970,453 L 940,453 "
    "C 936,453 934,452 934,452 Z"
)
SIDE_MIRROR_STALK = "M 948,452 L 972,452 L 976,474 L 956,474 Z"

SIDE_DOOR = "M 660,477 L 660,668 Q 660,693 685,693 L 962,693 Q 988,693 988,668 L 988,477"


# ==========================================================================
# FRONT VIEW geometry (symmetric about x=800)
# ==========================================================================
F_LOWER = sym(
    [
        ("M", 800, 702),
        ("L", 452, 702),
        ("C", 422, 702, 405, 690, 403, 664),
        ("L", 397, 560),
        ("C", 394, 500, 398, 462, 420, 446),
        ("C", 440, 432, 472, 424, 506, 418),
        ("L", 800, 412),
    ]
)
F_TOPZONE = (  # everything above the front-face break line
    "M 380,400 L 1220,400 L 1220,482 Q 1180,466 1130,466 L 1038,470 Q 800,487 562,470 L 470,466 Q 420,466 380,482 Z"
)
F_BONNET = "M 562,470 L 590,415 L 1010,415 L 1038,470 Q 800,487 562,470 Z"
F_EDGE = "M 470,467 L 562,470 Q 800,487 1038,470 L 1130,467"
F_GH = sym(
    [
        ("M", 800, 414),
        ("L", 516, 414),
        ("L", 568, 258),
        ("C", 574, 240, 588, 226, 612, 221),
        ("Q", 706, 208, 800, 207),
    ]
)
F_ROOF_CLIP_Y = 254
F_ROOF_TOP = "M 588,236 C 594,228 600,224 612,221 Q 800,200 988,221 C 1000,224 1006,228 1012,236 Q 800,226 588,236 Z"
F_DLO = (
    "M 548,404 L 590,273 Q 594,263 606,263 L 994,263 Q 1006,263 1010,273 "
    "L 1052,404 Q 1054,410 1046,410 L 554,410 Q 546,410 548,404 Z"
)
F_GRILLE = (
    "M 660,500 L 940,500 C 975,500 990,520 990,552 C 990,584 975,604 940,604 "
    "L 660,604 C 625,604 610,584 610,552 C 610,520 625,500 660,500 Z"
)
F_BUMPER = (
    "M 430,620 L 1170,620 C 1188,620 1200,626 1203,636 C 1200,646 1188,651 1170,651 "
    "L 430,651 C 412,651 400,646 397,636 C 400,626 412,620 430,620 Z"
)
F_INTAKE = "M 712,664 L 888,664 Q 904,664 904,676 Q 904,690 888,690 L 712,690 Q 696,690 696,676 Q 696,664 712,664 Z"
F_HL = [(492, 530), (1108, 530)]
F_HL_R = 54
F_MIRROR_CAP_L = (
    "M 334,398 C 334,377 344,367 364,367 L 420,371 C 433,372 442,381 442,393 "
    "L 442,404 C 442,415 434,423 421,423 L 360,423 C 344,423 334,414 334,398 Z"
)
F_MIRROR_CAP_R = mirror_path(F_MIRROR_CAP_L)
F_MIRROR_STALK_L = "M 440,395 L 512,410 L 514,424 L 440,412 Z"
F_MIRROR_STALK_R = mirror_path(F_MIRROR_STALK_L)
F_TYRES = [(408, 522), (1078, 1192)]  # x ranges of the tyre tread faces


# ==========================================================================
# BACKDROP
# ==========================================================================
def backdrop(view):
    defs = [
        lin(
            "wall",
            0,
            0,
            0,
            900,
            gstops(
                0,
                900,
                [
                    (0, "#e9e5df"),
                    (430, "#e1ddd6"),
                    (560, "#d7d2cb"),
                    (590, "#cec8c0"),
                    (640, "#cbc5bd"),
                    (900, "#b5afa6"),
                ],
            ),
        ),
        rad(
            "glow",
            800,
            470,
            760,
            [(0, "#ffffff", 0.55), (0.55, "#ffffff", 0.18), (1, "#ffffff", 0)],
            extra='gradientTransform="translate(800 470) scale(1 0.6) translate(-800 -470)"',
        ),
        rad(
            "vig",
            800,
            450,
            1000,
            [(0.55, "#3a332b", 0), (1, "#3a332b", 0.22)],
            extra='gradientTransform="translate(800 450) scale(1 0.75) translate(-800 -450)"',
        ),
        blur("b30", 30),
        blur("b12", 12),
        blur("b5", 5),
        blur("b2", 2.2),
    ]
    body = [
        '<rect width="1600" height="900" fill="url(#wall)"/>',
        '<rect width="1600" height="900" fill="url(#glow)"/>',
        # soft horizon hint
        '<rect x="0" y="586" width="1600" height="3" fill="#ffffff" opacity="0.25" filter="url(#b2)"/>',
    ]
    g = []
    if view == "side":
        cx0, cx1 = RW[0], FW[0]
        g.append(
            f'<ellipse cx="{(290 + 1355) / 2}" cy="{GROUND + 4}" rx="600" ry="40" '
            f'fill="#2a241e" opacity="0.22" filter="url(#b30)"/>'
        )
        g.append(
            f'<ellipse cx="{(290 + 1355) / 2}" cy="{GROUND}" rx="540" ry="16" '
            f'fill="#1e1a16" opacity="0.45" filter="url(#b12)"/>'
        )
        for cx in (cx0, cx1):
            g.append(
                f'<ellipse cx="{cx}" cy="{GROUND}" rx="110" ry="9" fill="#0e0c0a" opacity="0.6" filter="url(#b5)"/>'
            )
            g.append(
                f'<ellipse cx="{cx}" cy="{GROUND - 1}" rx="62" ry="4" fill="#050505" opacity="0.85" filter="url(#b2)"/>'
            )
        body.append(f'<g transform="translate({SIDE_DX} 0)">' + "".join(g) + "</g>")
    else:
        body.append('<ellipse cx="800" cy="764" rx="480" ry="44" fill="#2a241e" opacity="0.25" filter="url(#b30)"/>')
        body.append('<ellipse cx="800" cy="758" rx="420" ry="20" fill="#1e1a16" opacity="0.5" filter="url(#b12)"/>')
        body.append('<rect x="440" y="716" width="720" height="40" fill="#161310" opacity="0.45" filter="url(#b12)"/>')
        for x0, x1 in F_TYRES:
            cx = (x0 + x1) / 2
            body.append(
                f'<ellipse cx="{cx}" cy="{GROUND}" rx="72" ry="8" fill="#080706" opacity="0.75" filter="url(#b5)"/>'
            )
    body.append('<rect width="1600" height="900" fill="url(#vig)"/>')
    return svg("\n".join(body), "".join(defs))


# ==========================================================================
# SIDE VIEW: body shade + mask
# ==========================================================================
def side_body(model, mask=False):
    defs = [
        clip("cLower", f'<path d="{SIDE_LOWER}"/>'),
        clip("cAbove700", '<rect x="0" y="0" width="1600" height="701"/>'),
        blur("b6", 6),
        blur("b3", 3),
        blur("b1", 1.2),
        blur("b14", 14),
    ]
    P = "#ffffff" if mask else None  # paint colour for mask
    K = "#000000"

    def fill(v):
        return P if mask else grey(v)

    parts = []
    if not mask:
        defs += [
            lin(
                "gSide",
                0,
                470,
                0,
                705,
                gstops(
                    470,
                    705,
                    [
                        (470, 140),
                        (496, 148),
                        (540, 138),
                        (578, 126),
                        (584, 98),
                        (630, 100),
                        (675, 80),
                        (694, 56),
                        (705, 40),
                    ],
                ),
            ),
            lin(
                "gBonnet",
                0,
                470,
                0,
                512,
                gstops(470, 512, [(470, 176), (484, 196), (498, 184), (512, 168)]),
            ),
            lin(
                "gGH",
                0,
                262,
                0,
                474,
                gstops(262, 474, [(262, 204), (284, 194), (300, 160), (474, 130)]),
            ),
            lin(
                "gNose",
                1262,
                0,
                1360,
                0,
                [(0, "#000", 0), (0.6, "#000", 0.22), (1, "#000", 0.55)],
            ),
            lin(
                "gTail",
                278,
                0,
                345,
                0,
                [(0, "#000", 0.5), (0.5, "#000", 0.2), (1, "#000", 0)],
            ),
            lin(
                "gChrome",
                0,
                618,
                0,
                650,
                gstops(
                    618,
                    650,
                    [(618, 250), (626, 222), (633, 120), (637, 78), (642, 150), (650, 215)],
                ),
            ),
            lin(
                "gFlare",
                0,
                510,
                0,
                700,
                gstops(510, 700, [(510, 70), (560, 44), (700, 30)]),
            ),
            rad(
                "gMir",
                960,
                420,
                55,
                [(0, 215), (0.45, 160), (1, 100)],
            ),
        ]
    # --- lower body
    parts.append(f'<path d="{SIDE_LOWER}" fill="{fill(0) if mask else "url(#gSide)"}"/>')
    # --- glasshouse
    if model == "hatch":
        parts.append(f'<path d="{SIDE_GH_HATCH}" fill="{fill(0) if mask else "url(#gGH)"}"/>')
    else:
        # interior (dark) fills the soft top area, pillars are painted
        parts.append(f'<path d="{SIDE_TOP_CONV}" fill="{K if mask else grey(34)}"/>')
        parts.append(f'<path d="{SIDE_APILLAR_CONV}" fill="{fill(0) if mask else "url(#gGH)"}"/>')
    if not mask:
        # top surfaces
        parts.append(f'<path d="{SIDE_BONNET_TOP}" fill="url(#gBonnet)"/>')
        parts.append(f'<path d="{SIDE_REAR_TOP}" fill="{grey(196)}"/>')
        if model == "hatch":
            parts.append(f'<path d="{SIDE_ROOF_TOP_HATCH}" fill="{grey(206)}"/>')
            parts.append(f'<path d="M 946,302 Q 668,296 394,302" fill="none" stroke="{grey(90)}" stroke-width="2"/>')
        # nose / tail roll-off
        parts.append('<g clip-path="url(#cLower)">')
        parts.append('<rect x="1262" y="470" width="100" height="240" fill="url(#gNose)"/>')
        parts.append('<rect x="276" y="470" width="70" height="240" fill="url(#gTail)"/>')
        # soft studio reflections on the flanks
        parts.append('<ellipse cx="800" cy="530" rx="300" ry="12" fill="#fff" opacity="0.22" filter="url(#b6)"/>')
        parts.append('<ellipse cx="1180" cy="540" rx="120" ry="10" fill="#fff" opacity="0.22" filter="url(#b6)"/>')
        parts.append('<ellipse cx="420" cy="535" rx="90" ry="10" fill="#fff" opacity="0.2" filter="url(#b6)"/>')
        # waist crease between the arches
        parts.append(
            f'<path d="M {RA1 - 10:.0f},612 L {FA0 + 8:.0f},612" stroke="{grey(190)}" '
            'stroke-width="2" opacity="0.55" filter="url(#b1)"/>'
        )
        parts.append(
            f'<path d="M {RA1 - 10:.0f},615 L {FA0 + 8:.0f},615" stroke="{grey(60)}" '
            'stroke-width="2" opacity="0.35" filter="url(#b1)"/>'
        )
        # crisp shoulder highlight
        parts.append(
            f'<path d="{SIDE_SHOULDER}" fill="none" stroke="{grey(252)}" stroke-width="3" stroke-linecap="round"/>'
        )
        parts.append(
            f'<path d="{SIDE_SHOULDER}" fill="none" stroke="#fff" stroke-width="9" opacity="0.25" '
            'filter="url(#b3)" transform="translate(0 3)"/>'
        )
        parts.append("</g>")
        # door shut lines + bevel
        parts.append(f'<path d="{SIDE_DOOR}" fill="none" stroke="{grey(40)}" stroke-width="2.2"/>')
        parts.append(
            f'<path d="{SIDE_DOOR}" fill="none" stroke="{grey(200)}" stroke-width="1.2" '
            'transform="translate(2 1)" opacity="0.6"/>'
        )
        # bonnet shut line (visible where bonnet meets front wing)
        parts.append(
            f'<path d="M 1012,501 Q 1180,508 1332,522" fill="none" stroke="{grey(70)}" '
            'stroke-width="1.6" opacity="0.7"/>'
        )
        if model == "hatch":
            # tailgate shut line
            parts.append(
                f'<path d="M 372,474 L 366,484 Q 320,488 298,510" fill="none" stroke="{grey(60)}" stroke-width="1.8"/>'
            )
        else:
            parts.append(f'<path d="M 352,478 Q 320,482 298,508" fill="none" stroke="{grey(60)}" stroke-width="1.8"/>')
    # --- wheel wells and arch flares (trim)
    for cx, cy in (RW, FW):
        well = circle_path(cx, cy, ARCH_R + 1) + " " + circle_path(cx, cy, TYRE_R - 1)
        parts.append(
            f'<path d="{well}" fill-rule="evenodd" fill="{K if mask else grey(24)}" clip-path="url(#cAbove700)"/>'
        )
        flare = circle_path(cx, cy, ARCH_R + 11) + " " + circle_path(cx, cy, ARCH_R - 1)
        parts.append(
            f'<path d="{flare}" fill-rule="evenodd" fill="{K if mask else "url(#gFlare)"}" '
            'clip-path="url(#cAbove700)"/>'
        )
        if not mask:
            parts.append(
                f'<path d="M {cx - ARCH_R - 8},{cy - 4} A {ARCH_R + 8} {ARCH_R + 8} 0 0 1 '
                f'{cx + ARCH_R + 8},{cy - 4}" fill="none" stroke="{grey(120)}" stroke-width="1.5" '
                'opacity="0.8"/>'
            )
    # --- bumpers (chrome, drawn in greys, not paint)
    bumpers = [
        "M 1290,620 L 1352,620 C 1364,620 1370,626 1370,634 C 1370,643 1364,649 1352,649 L 1290,649 Z",
        "M 330,620 L 290,620 C 274,620 266,626 266,634 C 266,643 274,649 290,649 L 330,649 Z",
    ]
    for b in bumpers:
        parts.append(f'<path d="{b}" fill="{K if mask else "url(#gChrome)"}"/>')
    if not mask:
        parts.append(
            '<path d="M 1292,621 L 1352,621 C 1362,621 1367,625 1368,630" fill="none" '
            'stroke="#fff" stroke-width="1.5" opacity="0.9"/>'
        )
    # --- windows: interior seen through the glass
    wins = [SIDE_WIN_FRONT, SIDE_WIN_REAR_HATCH] if model == "hatch" else [SIDE_WIN_FRONT, SIDE_WIN_REAR_CONV]
    for w in wins:
        parts.append(f'<path d="{w}" fill="{K if mask else grey(30)}"/>')
    if not mask:
        # seats, steering wheel, dash
        parts.append(
            f'<path d="M 700,474 L 706,384 C 708,362 722,350 744,352 C 764,354 770,366 768,384 '
            f'L 752,474 Z" fill="{grey(52)}"/>'
        )
        parts.append(f'<path d="M 712,350 C 712,330 722,322 738,322 C 754,322 762,332 760,350 Z" fill="{grey(58)}"/>')
        parts.append(
            f'<path d="M 470,474 L 478,392 C 480,374 494,366 512,368 C 530,370 536,380 534,396 '
            f'L 526,474 Z" fill="{grey(46)}"/>'
        )
        parts.append(
            f'<ellipse cx="880" cy="405" rx="10" ry="34" transform="rotate(-22 880 405)" '
            f'fill="none" stroke="{grey(62)}" stroke-width="6"/>'
        )
        parts.append(f'<path d="M 890,440 L 930,428 L 930,474 L 880,474 Z" fill="{grey(40)}"/>')
    parts.append(f'<path d="{SIDE_SAIL}" fill="{K if mask else grey(22)}"/>')
    # --- door handle
    parts.append(f'<rect x="684" y="503" width="46" height="9" rx="4.5" fill="{K if mask else grey(200)}"/>')
    if not mask:
        parts.append(f'<rect x="684" y="510" width="46" height="3" rx="1.5" fill="{grey(70)}"/>')
        parts.append('<rect x="686" y="503" width="40" height="2" rx="1" fill="#fff"/>')
    # --- mirror (body coloured cap + black stalk)
    parts.append(f'<path d="{SIDE_MIRROR_STALK}" fill="{K if mask else grey(26)}"/>')
    parts.append(f'<path d="{SIDE_MIRROR_CAP}" fill="{fill(0) if mask else "url(#gMir)"}"/>')
    if not mask:
        parts.append(
            '<path d="M 940,417 C 950,414 975,414 988,424" fill="none" stroke="#fff" '
            'stroke-width="2" opacity="0.8" stroke-linecap="round"/>'
        )
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(parts) + "</g>"
    if mask:
        content = '<rect width="1600" height="900" fill="#000"/>' + content
    return svg(content, "".join(defs))


# ==========================================================================
# FRONT VIEW: body shade + mask
# ==========================================================================
def front_body(model, mask=False):
    P = "#ffffff"
    K = "#000000"
    defs = [
        clip("cLower", f'<path d="{F_LOWER}"/>'),
        clip("cGH", f'<path d="{F_GH}"/>'),
        blur("b6", 6),
        blur("b3", 3),
        blur("b1", 1.2),
    ]
    parts = []
    if not mask:
        defs += [
            lin(
                "gFace",
                0,
                412,
                0,
                704,
                gstops(
                    412,
                    704,
                    [
                        (412, 176),
                        (466, 186),
                        (482, 134),
                        (560, 124),
                        (615, 108),
                        (650, 96),
                        (690, 72),
                        (704, 52),
                    ],
                ),
            ),
            lin(
                "gBonnet",
                0,
                415,
                0,
                486,
                gstops(415, 486, [(415, 150), (432, 174), (456, 190), (486, 174)]),
            ),
            lin(
                "gSides",
                390,
                0,
                1210,
                0,
                [
                    (0, "#000", 0.6),
                    (0.05, "#000", 0.28),
                    (0.12, "#000", 0),
                    (0.88, "#000", 0),
                    (0.95, "#000", 0.28),
                    (1, "#000", 0.6),
                ],
            ),
            lin(
                "gGH",
                0,
                205,
                0,
                414,
                gstops(205, 414, [(205, 206), (236, 192), (250, 146), (262, 130), (414, 120)]),
            ),
            lin(
                "gChrome",
                0,
                619,
                0,
                652,
                gstops(
                    619,
                    652,
                    [(619, 252), (627, 226), (634, 120), (638, 76), (643, 150), (652, 212)],
                ),
            ),
            lin(
                "gGrilleRim",
                0,
                496,
                0,
                608,
                gstops(496, 608, [(496, 250), (520, 170), (552, 110), (580, 190), (608, 235)]),
            ),
            lin(
                "gMirF",
                0,
                366,
                0,
                424,
                gstops(366, 424, [(366, 190), (380, 160), (404, 128), (424, 92)]),
            ),
            '<pattern id="mesh" patternUnits="userSpaceOnUse" width="14" height="10">'
            f'<rect width="14" height="10" fill="{grey(22)}"/>'
            f'<path d="M0,5 L7,0 L14,5 L7,10 Z" fill="none" stroke="{grey(78)}" stroke-width="1.6"/>'
            "</pattern>",
        ]
    # lower body
    parts.append(f'<path d="{F_LOWER}" fill="{P if mask else "url(#gFace)"}"/>')
    # glasshouse
    if model == "hatch":
        parts.append(f'<path d="{F_GH}" fill="{P if mask else "url(#gGH)"}"/>')
    else:
        # pillars + header painted, roof area left dark (soft top always covers it)
        parts.append(f'<path d="{F_GH}" fill="{P if mask else "url(#gGH)"}"/>')
        parts.append(
            f'<rect x="560" y="190" width="480" height="{F_ROOF_CLIP_Y - 190 - 2}" fill="{K if mask else grey(30)}" clip-path="url(#cGH)"/>'
        )
    if not mask:
        if model == "hatch":
            parts.append(f'<path d="{F_ROOF_TOP}" fill="{grey(208)}"/>')
            parts.append(
                f'<path d="M 574,{F_ROOF_CLIP_Y - 2} Q 800,{F_ROOF_CLIP_Y - 8} 1026,{F_ROOF_CLIP_Y - 2}" '
                f'fill="none" stroke="{grey(95)}" stroke-width="2" clip-path="url(#cGH)"/>'
            )
        parts.append('<g clip-path="url(#cLower)">')
        parts.append(f'<path d="{F_TOPZONE}" fill="{grey(166)}"/>')
        parts.append(f'<path d="{F_BONNET}" fill="url(#gBonnet)"/>')
        # windscreen reflection on bonnet rear
        parts.append(
            '<path d="M 600,422 L 1000,422 L 1010,438 L 590,438 Z" fill="#fff" opacity="0.18" filter="url(#b6)"/>'
        )
        # bonnet shut lines
        for d in ("M 562,470 L 590,416", "M 1038,470 L 1010,416"):
            parts.append(f'<path d="{d}" stroke="{grey(50)}" stroke-width="2" fill="none"/>')
            parts.append(
                f'<path d="{d}" stroke="{grey(230)}" stroke-width="1" fill="none" transform="translate(2 0)" opacity="0.7"/>'
            )
        # crisp front-edge highlight
        parts.append(f'<path d="{F_EDGE}" fill="none" stroke="{grey(250)}" stroke-width="3" stroke-linecap="round"/>')
        parts.append(
            f'<path d="{F_EDGE}" fill="none" stroke="#000" stroke-width="6" opacity="0.12" '
            'filter="url(#b3)" transform="translate(0 8)"/>'
        )
        parts.append('<rect x="380" y="400" width="840" height="320" fill="url(#gSides)"/>')
        # headlamp pods shading on the wings
        for cx, cy in F_HL:
            parts.append(
                f'<circle cx="{cx}" cy="{cy + 4}" r="{F_HL_R + 10}" fill="#000" opacity="0.35" filter="url(#b6)"/>'
            )
            parts.append(
                f'<path d="M {cx - 50},{cy - 48} Q {cx},{cy - 78} {cx + 50},{cy - 48}" fill="none" '
                'stroke="#fff" stroke-width="3" opacity="0.45" filter="url(#b1)"/>'
            )
        # soft reflection on the valance
        parts.append('<ellipse cx="800" cy="662" rx="300" ry="6" fill="#fff" opacity="0.18" filter="url(#b3)"/>')
        parts.append("</g>")
    # windscreen opening: interior
    parts.append(f'<path d="{F_DLO}" fill="{K if mask else grey(30)}"/>')
    if not mask:
        parts.append('<g clip-path="url(#cGH)">')
        # rear window glow through the cabin
        parts.append(f'<rect x="660" y="282" width="280" height="58" rx="14" fill="{grey(92)}" filter="url(#b3)"/>')
        # seats
        for sx in (670, 930):
            parts.append(
                f'<path d="M {sx - 58},404 L {sx - 52},330 C {sx - 50},312 {sx - 36},304 {sx},304 '
                f'C {sx + 36},304 {sx + 50},312 {sx + 52},330 L {sx + 58},404 Z" fill="{grey(48)}"/>'
            )
            parts.append(f'<rect x="{sx - 30}" y="288" width="60" height="30" rx="12" fill="{grey(56)}"/>')
        # dashboard + steering wheel (right-hand drive: viewer's left)
        parts.append(f'<path d="M 550,410 L 560,380 Q 800,368 1040,380 L 1050,410 Z" fill="{grey(36)}"/>')
        parts.append(f'<ellipse cx="670" cy="372" rx="62" ry="20" fill="none" stroke="{grey(20)}" stroke-width="7"/>')
        parts.append("</g>")
    # grille
    parts.append(f'<path d="{F_GRILLE}" fill="{K if mask else "url(#mesh)"}"/>')
    if not mask:
        parts.append(f'<path d="{F_GRILLE}" fill="none" stroke="url(#gGrilleRim)" stroke-width="8"/>')
        parts.append(
            f'<path d="{F_GRILLE}" fill="none" stroke="#000" stroke-width="14" opacity="0.35" '
            'filter="url(#b3)" transform="translate(0 -4) scale(1 1)" clip-path="url(#cGr)"/>'
        )
        defs.append(clip("cGr", f'<path d="{F_GRILLE}"/>'))
        # horizontal chrome slats
        for y in (526, 552, 578):
            parts.append(
                f'<rect x="{620}" y="{y - 2}" width="360" height="4" rx="2" fill="{grey(150)}" clip-path="url(#cGr)"/>'
            )
            parts.append(
                f'<rect x="{620}" y="{y - 2}" width="360" height="1.4" fill="{grey(235)}" clip-path="url(#cGr)"/>'
            )
    else:
        # the grille surround is chrome, not paint
        parts.append(f'<path d="{F_GRILLE}" fill="none" stroke="{K}" stroke-width="8"/>')
    # bumper
    parts.append(f'<path d="{F_BUMPER}" fill="{K if mask else "url(#gChrome)"}"/>')
    if not mask:
        parts.append('<path d="M 440,621.5 L 1160,621.5" stroke="#fff" stroke-width="1.6" opacity="0.9"/>')
        for ox in (640, 960):  # overriders
            parts.append(
                f'<rect x="{ox - 9}" y="612" width="18" height="44" rx="9" fill="url(#gChrome)" '
                f'stroke="{grey(80)}" stroke-width="1"/>'
            )
            parts.append(f'<rect x="{ox - 5}" y="615" width="4" height="30" rx="2" fill="#fff" opacity="0.8"/>')
    else:
        for ox in (640, 960):
            parts.append(f'<rect x="{ox - 9}" y="612" width="18" height="44" rx="9" fill="{K}"/>')
    # lower intake
    parts.append(f'<path d="{F_INTAKE}" fill="{K if mask else "url(#mesh)"}"/>')
    if not mask:
        parts.append(f'<path d="{F_INTAKE}" fill="none" stroke="{grey(16)}" stroke-width="3"/>')
    # mirrors
    for stalk, cap in ((F_MIRROR_STALK_L, F_MIRROR_CAP_L), (F_MIRROR_STALK_R, F_MIRROR_CAP_R)):
        parts.append(f'<path d="{stalk}" fill="{K if mask else grey(26)}"/>')
        parts.append(f'<path d="{cap}" fill="{P if mask else "url(#gMirF)"}"/>')
    if not mask:
        for x0, x1 in ((342, 430), (W - 430, W - 342)):
            parts.append(
                f'<path d="M {x0 + 6},377 Q {(x0 + x1) / 2},368 {x1 - 4},380" fill="none" stroke="#fff" '
                'stroke-width="2.4" opacity="0.85" stroke-linecap="round"/>'
            )
    content = "\n".join(parts)
    if mask:
        content = '<rect width="1600" height="900" fill="#000"/>' + content
    return svg(content, "".join(defs))


# ==========================================================================
# GLASS (windows, lamps, chrome) -- drawn on top of everything
# ==========================================================================
def side_glass(model):
    defs = [
        lin(
            "gGlass",
            0,
            300,
            0,
            476,
            [(0, "#2b3a4a", 0.78), (0.5, "#1b2631", 0.66), (1, "#10161c", 0.7)],
        ),
        lin(
            "gRefl",
            640,
            300,
            920,
            476,
            [
                (0, "#ffffff", 0.0),
                (0.35, "#ffffff", 0.0),
                (0.36, "#ffffff", 0.32),
                (0.55, "#ffffff", 0.10),
                (0.56, "#ffffff", 0.0),
                (1, "#ffffff", 0),
            ],
        ),
        lin(
            "gSky",
            0,
            300,
            0,
            400,
            [(0, "#ffffff", 0.35), (1, "#ffffff", 0.0)],
        ),
        lin(
            "gCh",
            0,
            468,
            0,
            478,
            [(0, "#ffffff"), (0.5, "#a9adb2"), (1, "#5b5f63")],
        ),
        lin("gHL", 0, 515, 0, 565, [(0, "#ffffff"), (0.4, "#e6eef3"), (1, "#8696a1")]),
        lin(
            "gBucket",
            0,
            510,
            0,
            570,
            [(0, "#f4f6f7"), (0.3, "#c3c8cc"), (0.55, "#6e7478"), (0.8, "#aab0b4"), (1, "#50555a")],
        ),
        lin("gBezel", 0, 510, 0, 570, [(0, "#ffffff"), (0.5, "#9aa0a5"), (1, "#e4e7e9")]),
        lin("gTail", 280, 505, 300, 565, [(0, "#ff6b5a"), (0.5, "#c0201a"), (1, "#6e0d0a")]),
        rad("gFuel", 414, 522, 16, [(0, "#ffffff"), (0.6, "#b8bcc0"), (1, "#5d6165")]),
        blur("b2", 2),
    ]
    wins = [SIDE_WIN_FRONT, SIDE_WIN_REAR_HATCH] if model == "hatch" else [SIDE_WIN_FRONT, SIDE_WIN_REAR_CONV]
    p = []
    for i, w in enumerate(wins):
        defs.append(clip(f"cw{i}", f'<path d="{w}"/>'))
        p.append(f'<path d="{w}" fill="url(#gGlass)"/>')
        p.append(f'<g clip-path="url(#cw{i})">')
        p.append('<rect x="380" y="300" width="560" height="180" fill="url(#gSky)"/>')
        p.append('<rect x="380" y="300" width="560" height="180" fill="url(#gRefl)"/>')
        p.append('<path d="M 380,430 L 940,418 L 940,480 L 380,480 Z" fill="#ffffff" opacity="0.07"/>')
        p.append("</g>")
        # chrome window surround
        p.append(f'<path d="{w}" fill="none" stroke="#d9dde0" stroke-width="2.5" opacity="0.9"/>')
    # rubber seal / B-post
    if model == "convertible":
        p.append('<rect x="649" y="304" width="24" height="172" rx="3" fill="#141516"/>')
        p.append('<rect x="651" y="306" width="3" height="168" fill="#3a3d40"/>')
    # belt-line chrome strip
    x0 = 394 if model == "hatch" else 450
    p.append(f'<rect x="{x0}" y="469" width="{978 - x0}" height="8" rx="3" fill="url(#gCh)"/>')
    # front quarter: windscreen edge glint along the A pillar
    p.append('<path d="M 1000,468 L 942,302" stroke="#ffffff" stroke-width="2" opacity="0.55"/>')
    if model == "hatch":
        # tailgate glass seen edge-on
        p.append('<path d="M 392,300 L 365,468" stroke="#1d2833" stroke-width="7" opacity="0.75"/>')
        p.append('<path d="M 394,302 L 367,466" stroke="#ffffff" stroke-width="1.5" opacity="0.6"/>')
    # headlamp in profile: chrome bucket + bezel + lens sliver
    p.append(
        '<path d="M 1336,513 L 1354,510 C 1361,515 1365,527 1365,540 C 1365,553 1361,565 1354,570 '
        'L 1336,567 Z" fill="url(#gBucket)"/>'
    )
    p.append('<ellipse cx="1359" cy="540" rx="6" ry="30" fill="url(#gBezel)" stroke="#6b7074" stroke-width="1"/>')
    p.append('<ellipse cx="1362" cy="540" rx="3.2" ry="25" fill="url(#gHL)"/>')
    p.append('<path d="M 1338,515 L 1354,512" stroke="#fff" stroke-width="2" stroke-linecap="round"/>')
    p.append('<path d="M 1338,565 L 1354,568" stroke="#4b4f53" stroke-width="1.5"/>')
    # front indicator
    p.append('<path d="M 1344,590 L 1358,590 L 1357,606 L 1343,606 Z" fill="#f29a1f"/>')
    p.append('<path d="M 1346,592 L 1356,592" stroke="#ffe2a8" stroke-width="2"/>')
    # side repeater
    p.append('<ellipse cx="1016" cy="566" rx="9" ry="4.5" fill="#f0a12a" stroke="#9a9ea2" stroke-width="1.5"/>')
    # tail lamp
    p.append('<path d="M 284,506 L 298,506 L 298,566 L 282,566 C 280,546 280,526 284,506 Z" fill="url(#gTail)"/>')
    p.append('<path d="M 284,568 L 298,568 L 298,584 L 282,584 Z" fill="#f0a12a"/>')
    p.append('<path d="M 285,510 L 285,560" stroke="#ffb3a8" stroke-width="1.5" opacity="0.8"/>')
    # fuel filler
    p.append('<circle cx="414" cy="522" r="13" fill="url(#gFuel)" stroke="#55595d" stroke-width="1"/>')
    p.append('<circle cx="414" cy="522" r="6" fill="none" stroke="#ffffff" stroke-width="1.2" opacity="0.7"/>')
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


def front_glass(model):
    defs = [
        clip("cDLO", f'<path d="{F_DLO}"/>'),
        lin("gWs", 0, 262, 0, 410, [(0, "#3a4b5c", 0.7), (0.55, "#1d2935", 0.6), (1, "#121a22", 0.72)]),
        lin(
            "gWsRefl",
            560,
            262,
            1040,
            410,
            [
                (0, "#fff", 0.0),
                (0.18, "#fff", 0.0),
                (0.19, "#fff", 0.28),
                (0.42, "#fff", 0.1),
                (0.43, "#fff", 0),
                (0.6, "#fff", 0),
                (0.61, "#fff", 0.14),
                (0.7, "#fff", 0.04),
                (0.71, "#fff", 0),
                (1, "#fff", 0),
            ],
        ),
        lin("gSkyF", 0, 262, 0, 330, [(0, "#ffffff", 0.45), (1, "#ffffff", 0)]),
        rad("gBezel", 0, 0, 1, [(0.80, "#5e6468"), (0.86, "#f4f6f7"), (0.92, "#9ca2a6"), (1, "#404448")]),
        blur("b2", 2),
        blur("b4", 4),
    ]
    p = [
        f'<path d="{F_DLO}" fill="url(#gWs)"/>',
        '<g clip-path="url(#cDLO)">',
        '<rect x="540" y="260" width="520" height="160" fill="url(#gSkyF)"/>',
        '<rect x="540" y="260" width="520" height="160" fill="url(#gWsRefl)"/>',
        '<ellipse cx="800" cy="264" rx="230" ry="10" fill="#fff" opacity="0.35" filter="url(#b4)"/>',
        "</g>",
        f'<path d="{F_DLO}" fill="none" stroke="#0d0f11" stroke-width="4"/>',
        f'<path d="{F_DLO}" fill="none" stroke="#d6dadd" stroke-width="1.6" opacity="0.85"/>',
        # wipers (parked)
        '<path d="M 600,402 L 770,394" stroke="#101112" stroke-width="4" stroke-linecap="round"/>',
        '<path d="M 830,402 L 1000,394" stroke="#101112" stroke-width="4" stroke-linecap="round"/>',
    ]
    # headlamps
    for i, (cx, cy) in enumerate(F_HL):
        r = F_HL_R
        defs.append(
            rad(
                f"gLens{i}",
                cx,
                cy,
                r,
                [(0, "#ffffff"), (0.35, "#eef4f8"), (0.75, "#b9c8d2"), (1, "#6f7f8a")],
                fx=cx - 12,
                fy=cy - 14,
            )
        )
        defs.append(
            lin(
                f"gBz{i}",
                cx - r,
                cy - r,
                cx + r,
                cy + r,
                [(0, "#ffffff"), (0.35, "#c4c9cc"), (0.6, "#6c7276"), (1, "#e0e4e6")],
            )
        )
        p.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="url(#gBz{i})"/>')
        p.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 8}" fill="url(#gLens{i})"/>')
        for rr, op in ((r - 16, 0.25), (r - 26, 0.2), (r - 36, 0.18)):
            p.append(
                f'<circle cx="{cx}" cy="{cy}" r="{rr}" fill="none" stroke="#7f909b" stroke-width="1.2" opacity="{op}"/>'
            )
        # fluting
        for k in range(-3, 4):
            p.append(
                f'<line x1="{cx + k * 11}" y1="{cy - r + 10}" x2="{cx + k * 11}" y2="{cy + r - 10}" '
                f'stroke="#8596a1" stroke-width="1" opacity="0.18" clip-path="url(#cl{i})"/>'
            )
        defs.append(clip(f"cl{i}", f'<circle cx="{cx}" cy="{cy}" r="{r - 9}"/>'))
        p.append(f'<circle cx="{cx}" cy="{cy}" r="9" fill="#ffffff" opacity="0.9" filter="url(#b2)"/>')
        p.append(
            f'<path d="M {cx - 30},{cy - 22} Q {cx - 18},{cy - 38} {cx + 2},{cy - 40}" stroke="#fff" '
            'stroke-width="5" fill="none" stroke-linecap="round" opacity="0.85"/>'
        )
        p.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 0.5}" fill="none" stroke="#2d3134" stroke-width="1.5"/>')
        # indicator below
        p.append(
            f'<rect x="{cx - 24}" y="{cy + 64}" width="48" height="16" rx="8" fill="#f29a1f" stroke="#c5c9cc" stroke-width="2"/>'
        )
        p.append(f'<rect x="{cx - 18}" y="{cy + 67}" width="30" height="3" rx="1.5" fill="#ffe0a0"/>')
    return svg("\n".join(p), "".join(defs))


# ==========================================================================
# WHEELS
# ==========================================================================
def wheel_side(opt, cx, cy, uid):
    R = TYRE_R
    r = RIM_R[opt]
    d = []
    defs = [
        rad(
            f"tyre{uid}",
            cx,
            cy,
            R,
            [
                (r / R, "#0f0f10"),
                ((r + 6) / R, "#2a2a2c"),
                ((r + (R - r) * 0.55) / R, "#3b3b3e"),
                (0.93, "#1f1f21"),
                (0.985, "#121213"),
                (1, "#0a0a0a"),
            ],
        ),
    ]
    d.append(f'<circle cx="{cx}" cy="{cy}" r="{R}" fill="url(#tyre{uid})"/>')
    # sidewall sheen (top-left light) and lettering-ish ring
    d.append(
        f'<path d="M {cx - R + 8},{cy - 10} A {R - 8} {R - 8} 0 0 1 {cx + 40},{cy - R + 15}" fill="none" '
        'stroke="#ffffff" stroke-width="5" opacity="0.10" stroke-linecap="round"/>'
    )
    d.append(
        f'<circle cx="{cx}" cy="{cy}" r="{(R + r) / 2 + 4}" fill="none" stroke="#4a4a4e" '
        'stroke-width="1" stroke-dasharray="10 6" opacity="0.35"/>'
    )
    # rim barrel / brake
    d.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#1a1b1d"/>')
    defs.append(
        rad(f"disc{uid}", cx, cy, r * 0.8, [(0.3, "#3d3f42"), (0.55, "#8d9296"), (0.85, "#6b7074"), (1, "#3a3c3f")])
    )
    d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.78}" fill="url(#disc{uid})"/>')
    # caliper (rear-leaning, at 10 o'clock... visible through openings)
    a0 = math.radians(200)
    d.append(
        f'<path d="M {cx + math.cos(a0) * r * 0.5:.1f},{cy + math.sin(a0) * r * 0.5:.1f} '
        f'A {r * 0.72} {r * 0.72} 0 0 1 {cx + math.cos(a0 + 0.9) * r * 0.72:.1f},{cy + math.sin(a0 + 0.9) * r * 0.72:.1f}" '
        f'stroke="#2b2d30" stroke-width="{r * 0.22:.1f}" fill="none" stroke-linecap="round"/>'
    )
    if opt == "wheels-spoke":
        defs.append(
            lin(
                f"rim{uid}",
                cx - r,
                cy - r,
                cx + r,
                cy + r,
                [(0, "#ffffff"), (0.45, "#c9cdd1"), (0.7, "#8b9095"), (1, "#dfe2e5")],
            )
        )
        # 12 slim spokes
        n = 12
        for k in range(n):
            a = 2 * math.pi * k / n
            x1, y1 = cx + math.cos(a) * r * 0.28, cy + math.sin(a) * r * 0.28
            x2, y2 = cx + math.cos(a) * r * 0.92, cy + math.sin(a) * r * 0.92
            d.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="url(#rim{uid})" '
                'stroke-width="7" stroke-linecap="round"/>'
            )
            d.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#ffffff" '
                'stroke-width="1.5" opacity="0.6" transform="translate(-1.2 -1.2)"/>'
            )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="url(#rim{uid})" stroke-width="9"/>')
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 5}" fill="none" stroke="#4e5358" stroke-width="1.5"/>')
        d.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r * 0.3}" fill="url(#rim{uid})" stroke="#6a6f74" stroke-width="1.5"/>'
        )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.14}" fill="#2c2f33"/>')
        d.append(f'<circle cx="{cx - 2}" cy="{cy - 2}" r="{r * 0.07}" fill="#c8ccd0"/>')
    elif opt == "wheels-minilite":
        defs.append(
            lin(
                f"rim{uid}",
                cx - r,
                cy - r,
                cx + r,
                cy + r,
                [(0, "#7c8186"), (0.4, "#4a4e53"), (0.75, "#2e3135"), (1, "#5c6166")],
            )
        )
        defs.append(
            lin(
                f"lip{uid}",
                cx - r,
                cy - r,
                cx + r,
                cy + r,
                [(0, "#ffffff"), (0.4, "#d4d8db"), (0.7, "#8a8f94"), (1, "#eef0f2")],
            )
        )
        # solid gunmetal face, then 8 rounded windows cut through (drawn dark)
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="url(#rim{uid})"/>')
        n = 8
        for k in range(n):
            a = 2 * math.pi * (k + 0.5) / n
            ri, ro = r * 0.38, r * 0.82
            hw_i, hw_o = 0.17, 0.25  # half angular widths
            p1 = (cx + math.cos(a - hw_i) * ri, cy + math.sin(a - hw_i) * ri)
            p2 = (cx + math.cos(a - hw_o) * ro, cy + math.sin(a - hw_o) * ro)
            p3 = (cx + math.cos(a + hw_o) * ro, cy + math.sin(a + hw_o) * ro)
            p4 = (cx + math.cos(a + hw_i) * ri, cy + math.sin(a + hw_i) * ri)
            d.append(
                f'<path d="M {p1[0]:.1f},{p1[1]:.1f} L {p2[0]:.1f},{p2[1]:.1f} A {ro:.1f} {ro:.1f} 0 0 1 '
                f'{p3[0]:.1f},{p3[1]:.1f} L {p4[0]:.1f},{p4[1]:.1f} A {ri:.1f} {ri:.1f} 0 0 0 {p1[0]:.1f},{p1[1]:.1f} Z" '
                f'fill="url(#disc{uid})" stroke="#141517" stroke-width="5" stroke-linejoin="round"/>'
            )
            # shadow inside window (depth)
            d.append(
                f'<path d="M {p1[0]:.1f},{p1[1]:.1f} L {p2[0]:.1f},{p2[1]:.1f} A {ro:.1f} {ro:.1f} 0 0 1 '
                f'{p3[0]:.1f},{p3[1]:.1f} L {p4[0]:.1f},{p4[1]:.1f} A {ri:.1f} {ri:.1f} 0 0 0 {p1[0]:.1f},{p1[1]:.1f} Z" '
                'fill="#000" opacity="0.35"/>'
            )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 3}" fill="none" stroke="url(#lip{uid})" stroke-width="7"/>')
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.3}" fill="#3b3f43" stroke="#7d8287" stroke-width="2"/>')
        for k in range(4):
            a = 2 * math.pi * k / 4 + 0.4
            d.append(
                f'<circle cx="{cx + math.cos(a) * r * 0.18:.1f}" cy="{cy + math.sin(a) * r * 0.18:.1f}" r="3" fill="#c9cdd1"/>'
            )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.09}" fill="#e8eaec"/>')
    else:  # dish
        defs.append(
            rad(
                f"rim{uid}",
                cx - r * 0.3,
                cy - r * 0.35,
                r * 1.3,
                [(0, "#ffffff"), (0.5, "#f1f1ee"), (0.85, "#cfcfcb"), (1, "#a9a9a5")],
            )
        )
        defs.append(
            lin(
                f"lip{uid}",
                cx - r,
                cy - r,
                cx + r,
                cy + r,
                [(0, "#ffffff"), (0.4, "#d6dadd"), (0.7, "#7e8388"), (1, "#f2f3f4")],
            )
        )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="url(#rim{uid})"/>')
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.8}" fill="none" stroke="#b3b3ae" stroke-width="2"/>')
        n = 8
        for k in range(n):
            a = 2 * math.pi * k / n + math.pi / 8
            hx, hy = cx + math.cos(a) * r * 0.6, cy + math.sin(a) * r * 0.6
            d.append(f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{r * 0.12:.1f}" fill="#1c1d1f"/>')
            d.append(
                f'<path d="M {hx - r * 0.12:.1f},{hy:.1f} A {r * 0.12:.1f} {r * 0.12:.1f} 0 0 1 {hx + r * 0.12:.1f},{hy:.1f}" '
                'fill="none" stroke="#7b7b78" stroke-width="2"/>'
            )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 3}" fill="none" stroke="url(#lip{uid})" stroke-width="8"/>')
        d.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r * 0.26}" fill="url(#lip{uid})" stroke="#8a8f94" stroke-width="1.5"/>'
        )
        d.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.12}" fill="#d0d3d6" stroke="#7a7f84" stroke-width="1"/>')
        for k in range(4):
            a = 2 * math.pi * k / 4
            d.append(
                f'<circle cx="{cx + math.cos(a) * r * 0.19:.1f}" cy="{cy + math.sin(a) * r * 0.19:.1f}" r="2.4" fill="#6f7479"/>'
            )
    # subtle overall light falloff across the wheel
    defs.append(lin(f"wsh{uid}", cx - R, cy - R, cx + R * 0.6, cy + R, [(0, "#000", 0), (1, "#000", 0.28)]))
    d.append(f'<circle cx="{cx}" cy="{cy}" r="{R}" fill="url(#wsh{uid})"/>')
    return "".join(defs), "\n".join(d)


def wheels_side(opt):
    defs, body = [], []
    for i, (cx, cy) in enumerate((RW, FW)):
        dd, bb = wheel_side(opt, cx, cy, i)
        defs.append(dd)
        body.append(bb)
    return svg(f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(body) + "</g>", "".join(defs))


def wheels_front(opt):
    rimcol = {
        "wheels-spoke": ("#e9ecee", "#9aa0a5"),
        "wheels-minilite": ("#5a5f64", "#e6e9eb"),
        "wheels-dish": ("#f4f3ef", "#dfe2e4"),
    }[opt]
    top = 598
    defs = [
        lin("tread", 0, top, 0, GROUND, [(0, "#111112"), (0.6, "#2a2a2d"), (0.9, "#1c1c1e"), (1, "#0a0a0a")]),
        lin(
            "side",
            0,
            0,
            1,
            0,
            [(0, "#000", 0.55), (0.2, "#000", 0), (0.8, "#000", 0), (1, "#000", 0.55)],
            extra='gradientUnits="objectBoundingBox"',
        ),
    ]
    # re-declare side gradient in bbox units (lin() forces userSpaceOnUse; override)
    defs[-1] = (
        '<linearGradient id="side" x1="0" y1="0" x2="1" y2="0">'
        '<stop offset="0" stop-color="#000" stop-opacity="0.6"/><stop offset="0.22" stop-color="#000" stop-opacity="0"/>'
        '<stop offset="0.78" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.6"/>'
        "</linearGradient>"
    )
    p = []
    rimw = {"wheels-spoke": 10, "wheels-minilite": 12, "wheels-dish": 14}[opt]
    for side, (x0, x1) in enumerate(F_TYRES):
        w = x1 - x0
        p.append(f'<rect x="{x0}" y="{top}" width="{w}" height="{GROUND - top + 2}" rx="22" fill="url(#tread)"/>')
        # tread grooves
        for k in range(1, 4):
            gx = x0 + w * k / 4
            p.append(
                f'<rect x="{gx - 2}" y="{top + 6}" width="4" height="{GROUND - top - 10}" rx="2" fill="#060606" opacity="0.7"/>'
            )
        p.append(f'<rect x="{x0}" y="{top}" width="{w}" height="{GROUND - top + 2}" rx="22" fill="url(#side)"/>')
        # glimpse of the wheel face bulging past the outer sidewall (clipped to the tyre)
        defs.append(clip(f"ct{side}", f'<rect x="{x0}" y="{top}" width="{w}" height="{GROUND - top + 2}" rx="22"/>'))
        ex = x0 - rimw * 0.35 if side == 0 else x1 + rimw * 0.35
        p.append(
            f'<g clip-path="url(#ct{side})"><ellipse cx="{ex}" cy="{GROUND - 62}" rx="{rimw}" ry="40" fill="{rimcol[0]}" '
            f'stroke="{rimcol[1]}" stroke-width="3"/>'
            f'<ellipse cx="{ex}" cy="{GROUND - 62}" rx="{rimw}" ry="40" fill="#000" opacity="0.25"/></g>'
        )
        # suspension / inner shadow between tyres
        ix = x1 + 2 if side == 0 else x0 - 22
        p.append(f'<rect x="{ix}" y="{top + 30}" width="20" height="70" fill="#141414" opacity="0.8"/>')
    return svg("\n".join(p), "".join(defs))


# ==========================================================================
# ROOF
# ==========================================================================
ROOF_COL = {"roof-white": ("#f3f2ee", "#c9c8c2"), "roof-black": ("#1d1d20", "#0b0b0c")}
SOFT_COL = {
    "softtop-black": ("#2a2a2d", "#161618", "#4a4a4f"),
    "softtop-tan": ("#b99467", "#8c6a43", "#d8bb91"),
    "softtop-navy": ("#27355a", "#161f38", "#45568a"),
}


def _shade_overlay_defs(prefix, y0, y1, stops):
    return lin(prefix, 0, y0, 0, y1, stops)


def roof_side(opt):
    defs = [clip("cRoof", f'<path d="{SIDE_ROOF_HATCH}"/>'), blur("b2", 2)]
    p = []
    if opt == "roof-union":
        defs.append(checks_pattern("chk", 11))
        base = "url(#chk)"
    else:
        base = ROOF_COL[opt][0]
    p.append(f'<path d="{SIDE_ROOF_HATCH}" fill="{base}"/>')
    # light: top sliver bright, side band darker
    defs.append(
        lin(
            "rsh",
            0,
            258,
            0,
            303,
            [
                (0, "#ffffff", 0.45),
                (0.45, "#ffffff", 0.12),
                (0.5, "#000000", 0.0),
                (0.62, "#000000", 0.18),
                (1, "#000000", 0.38),
            ],
        )
    )
    p.append(f'<path d="{SIDE_ROOF_HATCH}" fill="url(#rsh)"/>')
    p.append(
        '<path d="M 938,284 Q 668,276 402,283" fill="none" stroke="#ffffff" stroke-width="2.2" opacity="0.7" clip-path="url(#cRoof)"/>'
    )
    p.append('<path d="M 946,302 Q 668,296 394,302" fill="none" stroke="#000" stroke-width="2.5" opacity="0.55"/>')
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


def roof_front(opt):
    defs = [
        clip("cRoof", f'<path d="{F_GH}"/>'),
        clip("cRoofY", f'<rect x="0" y="0" width="1600" height="{F_ROOF_CLIP_Y}"/>'),
    ]
    if opt == "roof-union":
        # chequer in perspective: squares shrink toward the back of the roof
        defs.append(checks_pattern("chk", 22, transform='patternTransform="translate(800 0)"'))
        base = "url(#chk)"
    else:
        base = ROOF_COL[opt][0]
    defs.append(
        lin(
            "rsh",
            0,
            205,
            0,
            F_ROOF_CLIP_Y,
            [(0, "#ffffff", 0.35), (0.55, "#ffffff", 0.1), (0.62, "#000", 0.05), (1, "#000", 0.38)],
        )
    )
    p = [
        '<g clip-path="url(#cRoofY)"><g clip-path="url(#cRoof)">',
        f'<rect x="560" y="190" width="480" height="80" fill="{base}"/>',
    ]
    if opt == "roof-union":
        # compress the chequer vertically so it reads as a receding surface
        p[-1] = (
            '<g transform="translate(0 205) scale(1 0.5) translate(0 -205)">'
            f'<rect x="560" y="190" width="480" height="160" fill="{base}"/></g>'
        )
    p.append('<rect x="560" y="190" width="480" height="80" fill="url(#rsh)"/>')
    p.append('<path d="M 590,235 Q 800,224 1010,235" fill="none" stroke="#fff" stroke-width="2" opacity="0.6"/>')
    p.append("</g></g>")
    p.append(
        f'<path d="M 574,{F_ROOF_CLIP_Y - 1} Q 800,{F_ROOF_CLIP_Y - 7} 1026,{F_ROOF_CLIP_Y - 1}" fill="none" stroke="#000" '
        'stroke-width="2" opacity="0.5" clip-path="url(#cRoof)"/>'
    )
    return svg("\n".join(p), "".join(defs))


def fabric_defs(col, pid="fab"):
    base, dark, light = col
    return (
        f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<rect width="6" height="6" fill="{base}"/>'
        f'<path d="M0,6 L6,0" stroke="{light}" stroke-width="1" opacity="0.35"/>'
        f'<path d="M-1,1 L1,-1 M5,7 L7,5" stroke="{light}" stroke-width="1" opacity="0.35"/>'
        f'<path d="M0,3 L3,0 M3,6 L6,3" stroke="{dark}" stroke-width="0.8" opacity="0.45"/>'
        "</pattern>"
    )


def softtop_side(opt):
    _base, dark, light = SOFT_COL[opt]
    top = SIDE_TOP_CONV + " " + SIDE_WIN_FRONT + " " + SIDE_WIN_REAR_CONV
    defs = [
        fabric_defs(SOFT_COL[opt]),
        clip("cTop", f'<path d="{top}" clip-rule="evenodd"/>'),
        lin(
            "tsh",
            0,
            272,
            0,
            474,
            [
                (0, "#ffffff", 0.28),
                (0.08, "#ffffff", 0.08),
                (0.15, "#000", 0.05),
                (0.6, "#000", 0.18),
                (1, "#000", 0.35),
            ],
        ),
        lin("tshx", 340, 0, 960, 0, [(0, "#000", 0.35), (0.25, "#000", 0.0), (1, "#000", 0)]),
        blur("b2", 2),
        blur("b5", 5),
    ]
    p = [f'<path d="{top}" fill-rule="evenodd" fill="url(#fab)"/>', '<g clip-path="url(#cTop)">']
    p.append('<rect x="330" y="260" width="640" height="220" fill="url(#tsh)"/>')
    p.append('<rect x="330" y="260" width="640" height="220" fill="url(#tshx)"/>')
    # bows: fabric sags between them -> soft light/dark bands + seams
    for bx in (826, 706, 586):
        p.append(f'<rect x="{bx - 30}" y="270" width="34" height="40" fill="#000" opacity="0.16" filter="url(#b5)"/>')
        p.append(f'<rect x="{bx + 4}" y="270" width="10" height="40" fill="#fff" opacity="0.12" filter="url(#b2)"/>')
        p.append(f'<path d="M {bx},276 L {bx + 1},306" stroke="{dark}" stroke-width="2"/>')
        p.append(
            f'<path d="M {bx + 4},278 L {bx + 5},304" stroke="{light}" stroke-width="1" stroke-dasharray="3 3" opacity="0.8"/>'
        )
    # top highlight along the crown
    p.append(
        f'<path d="M 930,286 Q 760,277 600,283 C 520,287 458,312 420,350" fill="none" stroke="{light}" '
        'stroke-width="3" opacity="0.7" filter="url(#b2)"/>'
    )
    # C-panel seam following the outline
    p.append(
        f'<path d="M 600,292 C 520,296 468,322 436,360 C 416,386 398,430 390,472" fill="none" stroke="{dark}" stroke-width="2"/>'
    )
    p.append(
        f'<path d="M 604,297 C 526,301 476,326 444,364 C 424,390 406,432 398,472" fill="none" stroke="{light}" '
        'stroke-width="1" stroke-dasharray="3 3" opacity="0.8"/>'
    )
    p.append("</g>")
    # roof rail edge / weather seal
    p.append(f'<path d="M 946,302 Q 760,296 600,300" fill="none" stroke="{dark}" stroke-width="3" opacity="0.9"/>')
    p.append(
        '<path d="M 946,302 C 942,290 934,284 920,283 Q 760,273 600,279 C 505,283 440,312 402,360 '
        'C 380,390 362,430 350,472" fill="none" stroke="#000" stroke-width="1.5" opacity="0.5"/>'
    )
    # header clamp
    p.append('<path d="M 938,288 L 950,304 L 944,306 L 932,290 Z" fill="#1a1a1a"/>')
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


SOFT_F = (
    "M 560,256 L 566,240 C 572,224 586,214 610,210 Q 800,192 990,210 "
    "C 1014,214 1028,224 1034,240 L 1040,256 Q 800,246 560,256 Z"
)


def softtop_front(opt):
    _base, dark, light = SOFT_COL[opt]
    defs = [
        fabric_defs(SOFT_COL[opt]),
        clip("cS", f'<path d="{SOFT_F}"/>'),
        lin(
            "fsh", 0, 195, 0, 256, [(0, "#ffffff", 0.3), (0.35, "#ffffff", 0.05), (0.6, "#000", 0.1), (1, "#000", 0.45)]
        ),
        blur("b2", 2),
        blur("b4", 4),
    ]
    p = [
        f'<path d="{SOFT_F}" fill="url(#fab)"/>',
        '<g clip-path="url(#cS)">',
        '<rect x="550" y="190" width="500" height="70" fill="url(#fsh)"/>',
    ]
    # longitudinal seams (perspective) + puffed panels
    for sx, tx in ((648, 676), (952, 924)):
        p.append(f'<path d="M {sx},256 L {tx},202" stroke="{dark}" stroke-width="2.4"/>')
        p.append(
            f'<path d="M {sx + (6 if sx < 800 else -6)},256 L {tx + (6 if sx < 800 else -6)},202" stroke="{light}" '
            'stroke-width="1" stroke-dasharray="3 3" opacity="0.8"/>'
        )
    p.append('<ellipse cx="800" cy="222" rx="110" ry="8" fill="#fff" opacity="0.18" filter="url(#b4)"/>')
    p.append("</g>")
    # front header rail (black) with latches
    p.append('<path d="M 560,256 Q 800,246 1040,256 L 1038,264 Q 800,254 562,264 Z" fill="#161617"/>')
    p.append('<path d="M 566,257 Q 800,247.5 1034,257" stroke="#6a6d70" stroke-width="1" fill="none"/>')
    for lx in (640, 960):
        p.append(
            f'<rect x="{lx - 12}" y="252" width="24" height="9" rx="3" fill="#c3c7ca" stroke="#55595c" stroke-width="1"/>'
        )
    return svg("\n".join(p), "".join(defs))


# ==========================================================================
# MIRRORS
# ==========================================================================
def _mirror_fill(opt, defs, pid):
    if opt == "mirrors-white":
        return "#f3f2ee"
    if opt == "mirrors-black":
        return "#1c1c1f"
    defs.append(checks_pattern(pid, 8))
    return f"url(#{pid})"


def mirrors_side(opt):
    defs = [
        clip("cm", f'<path d="{SIDE_MIRROR_CAP}"/>'),
        rad("msh", 950, 418, 62, [(0, "#fff", 0.35), (0.4, "#fff", 0.0), (0.7, "#000", 0.15), (1, "#000", 0.45)]),
    ]
    f = _mirror_fill(opt, defs, "mc")
    p = [
        f'<path d="{SIDE_MIRROR_CAP}" fill="{f}"/>',
        f'<path d="{SIDE_MIRROR_CAP}" fill="url(#msh)"/>',
        '<path d="M 940,417 C 950,414 975,414 988,424" fill="none" stroke="#fff" stroke-width="2" opacity="0.8" stroke-linecap="round"/>',
        f'<path d="{SIDE_MIRROR_CAP}" fill="none" stroke="#000" stroke-width="1" opacity="0.35"/>',
    ]
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


def mirrors_front(opt):
    defs = [
        lin("msh", 0, 366, 0, 424, [(0, "#fff", 0.35), (0.3, "#fff", 0.05), (0.6, "#000", 0.1), (1, "#000", 0.45)]),
    ]
    f = _mirror_fill(opt, defs, "mc")
    p = []
    for cap, (x0, x1) in ((F_MIRROR_CAP_L, (342, 430)), (F_MIRROR_CAP_R, (W - 430, W - 342))):
        p.append(f'<path d="{cap}" fill="{f}"/>')
        p.append(f'<path d="{cap}" fill="url(#msh)"/>')
        p.append(
            f'<path d="M {x0 + 6},377 Q {(x0 + x1) / 2},368 {x1 - 4},380" fill="none" stroke="#fff" '
            'stroke-width="2.4" opacity="0.85" stroke-linecap="round"/>'
        )
        p.append(f'<path d="{cap}" fill="none" stroke="#000" stroke-width="1" opacity="0.35"/>')
    return svg("\n".join(p), "".join(defs))


# ==========================================================================
# STRIPES
# ==========================================================================
STRIPE = {
    "stripes-twin-white": {"col": "#f4f3ef", "edge": None, "bands": [(-0.30, -0.06), (0.06, 0.30)]},
    "stripes-twin-black": {"col": "#18181a", "edge": None, "bands": [(-0.30, -0.06), (0.06, 0.30)]},
    # offset stripe sits on the driver's (right-hand) side of the car = viewer's left in front view
    "stripes-single-red": {"col": "#b3201b", "edge": "#f6f4ee", "bands": [(-0.42, -0.16)]},
}


def _bonnet_quad(u0, u1, front_y, back_y, fw, bw):
    """Quadrilateral across the bonnet between fractions u0..u1 of half width."""
    xf0, xf1 = 800 + u0 * fw, 800 + u1 * fw
    xb0, xb1 = 800 + u0 * bw, 800 + u1 * bw
    return xf0, xf1, xb0, xb1


def stripes_front(opt, model):
    s = STRIPE[opt]
    defs = [
        clip("cBon", '<path d="M 590,415 L 1010,415 L 1038,470 L 1038,503 L 562,503 L 562,470 Z"/>'),
        clip("cNose", '<path d="M 562,470 Q 800,487 1038,470 L 1038,503 L 562,503 Z"/>'),
        clip("cRoofF", f'<path d="{F_ROOF_TOP}"/>'),
        lin("ssh", 0, 415, 0, 488, [(0, "#000", 0.22), (0.25, "#fff", 0.12), (0.6, "#fff", 0.0), (1, "#000", 0.18)]),
    ]
    p = []
    for u0, u1 in s["bands"]:
        # bonnet front edge half-width ~238 (bonnet ends at 562/1038), back ~210
        xf0, xf1, xb0, xb1 = _bonnet_quad(u0, u1, 0, 0, 238, 210)
        dq = f"M {xb0:.1f},410 L {xb1:.1f},410 L {xf1:.1f},504 L {xf0:.1f},504 Z"
        p.append(f'<g clip-path="url(#cBon)"><path d="{dq}" fill="{s["col"]}"/>')
        if s["edge"]:
            for a, b in ((xb0, xf0), (xb1, xf1)):
                p.append(f'<path d="M {a:.1f},410 L {b:.1f},500" stroke="{s["edge"]}" stroke-width="3.5"/>')
        p.append(f'<path d="{dq}" fill="url(#ssh)"/></g>')
        # the same band carries on over the front edge and down the nose to the grille
        p.append(f'<g clip-path="url(#cNose)"><path d="{dq}" fill="#000" opacity="0.2"/></g>')
        if model == "hatch":
            rx0, rx1 = 800 + u0 * 190, 800 + u1 * 190
            rb0, rb1 = 800 + u0 * 150, 800 + u1 * 150
            rq = f"M {rb0:.1f},200 L {rb1:.1f},200 L {rx1:.1f},240 L {rx0:.1f},240 Z"
            p.append(f'<g clip-path="url(#cRoofF)"><path d="{rq}" fill="{s["col"]}"/>')
            p.append(f'<path d="{rq}" fill="#000" opacity="0.08"/></g>')
    # bonnet front-edge highlight over the stripes
    p.append(
        f'<g clip-path="url(#cBon)"><path d="{F_EDGE}" fill="none" stroke="#fff" stroke-width="2.5" opacity="0.55"/></g>'
    )
    return svg("\n".join(p), "".join(defs))


def stripes_side(opt, model):
    s = STRIPE[opt]

    # The bonnet top sliver spans from the far edge (silhouette, y~470..505)
    # to the near shoulder (y~492..526). Centre line is SIDE_BONNET_MID.
    # Map a lateral fraction u in [-1, 1] to a vertical offset inside the sliver.
    def bonnet_curve(u):
        # far edge (u=-1): Q 1005,470 1180,478 1322,505 ; near edge (u=+1): 1005,492 1180,498 1338,512
        t = (u + 1) / 2
        a = (1005, 470 + 28 * t)
        c = (1180, 478 + 27 * t)
        b = (1322 + 21 * t, 505 + 8 * t)
        return a, c, b

    def roof_curve(u):
        t = (u + 1) / 2
        return (930, 273 + 10 * t), (668, 260 + 16 * t), (410, 273 + 10 * t)

    def band(curve, u0, u1):
        a0, c0, b0 = curve(u0)
        a1, c1, b1 = curve(u1)
        return (
            f"M {a0[0]},{a0[1]:.1f} Q {c0[0]},{c0[1]:.1f} {b0[0]:.1f},{b0[1]:.1f} "
            f"L {b1[0]:.1f},{b1[1]:.1f} Q {c1[0]},{c1[1]:.1f} {a1[0]},{a1[1]:.1f} Z"
        )

    defs = [
        clip("cBT", f'<path d="{SIDE_BONNET_TOP}"/>'),
        clip("cRT", f'<path d="{SIDE_ROOF_TOP_HATCH}"/>'),
        clip("cLow", f'<path d="{SIDE_LOWER}"/>'),
    ]
    p = []
    for u0, u1 in s["bands"]:
        # bands nearest the viewer are the positive-u ones (driver side = far side for a RHD car
        # seen from its left): we mirror u so the offset stripe sits on the far half.
        u0, u1 = u0 * 1.3, u1 * 1.3
        p.append(
            f'<g clip-path="url(#cBT)"><path d="{band(bonnet_curve, u0, u1)}" fill="{s["col"]}" '
            'stroke="#000" stroke-opacity="0.22" stroke-width="0.8"/>'
        )
        if s["edge"]:
            p.append(f'<path d="{band(bonnet_curve, u0 - 0.06, u0)}" fill="{s["edge"]}"/>')
            p.append(f'<path d="{band(bonnet_curve, u1, u1 + 0.06)}" fill="{s["edge"]}"/>')
        p.append("</g>")
        if model == "hatch":
            p.append(f'<g clip-path="url(#cRT)"><path d="{band(roof_curve, u0, u1)}" fill="{s["col"]}"/>')
            if s["edge"]:
                p.append(f'<path d="{band(roof_curve, u0 - 0.06, u0)}" fill="{s["edge"]}"/>')
                p.append(f'<path d="{band(roof_curve, u1, u1 + 0.06)}" fill="{s["edge"]}"/>')
            p.append("</g>")
    # the stripes run down over the rounded nose: visible as a band on the nose edge
    ncol = s["col"]
    p.append(
        f'<g clip-path="url(#cLow)"><path d="M 1326,505 C 1340,507 1352,518 1356,536 L 1360,560 L 1352,560 '
        f'C 1350,540 1344,522 1326,512 Z" fill="{ncol}"/>'
    )
    if s["edge"]:
        p.append(
            f'<path d="M 1326,512 C 1344,522 1350,540 1352,560" fill="none" stroke="{s["edge"]}" stroke-width="2.5"/>'
        )
    p.append(
        '<path d="M 1326,505 C 1340,507 1352,518 1356,536 L 1360,560 L 1352,560 C 1350,540 1344,522 1326,512 Z" '
        'fill="#000" opacity="0.2"/></g>'
    )
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


# ==========================================================================
# BADGE BAR
# ==========================================================================
def _chrome_lin(id_, x1, y1, x2, y2):
    return lin(
        id_, x1, y1, x2, y2, [(0, "#ffffff"), (0.3, "#d5d9dc"), (0.55, "#6d7378"), (0.75, "#b9bec2"), (1, "#eef0f1")]
    )


def enamel_roundel(cx, cy, r, scheme, uid):
    ring, field, motif = scheme
    d = [
        rad(
            f"en{uid}",
            cx - r * 0.3,
            cy - r * 0.35,
            r * 1.2,
            [(0, "#ffffff", 0.55), (0.35, "#ffffff", 0.0), (1, "#000", 0.25)],
        ),
        _chrome_lin(f"ech{uid}", cx - r, cy - r, cx + r, cy + r),
    ]
    p = [
        f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="url(#ech{uid})"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{r * 0.86}" fill="{ring}"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{r * 0.62}" fill="{field}" stroke="#e8e2cf" stroke-width="{r * 0.05:.2f}"/>',
    ]
    if motif == "wheel":
        p.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r * 0.38}" fill="none" stroke="#e8e2cf" stroke-width="{r * 0.08:.2f}"/>'
        )
        for k in range(6):
            a = math.pi * k / 3
            p.append(
                f'<line x1="{cx}" y1="{cy}" x2="{cx + math.cos(a) * r * 0.38:.1f}" y2="{cy + math.sin(a) * r * 0.38:.1f}" '
                f'stroke="#e8e2cf" stroke-width="{r * 0.06:.2f}"/>'
            )
    elif motif == "star":
        pts = []
        for k in range(10):
            a = -math.pi / 2 + math.pi * k / 5
            rr = r * (0.42 if k % 2 == 0 else 0.18)
            pts.append(f"{cx + math.cos(a) * rr:.1f},{cy + math.sin(a) * rr:.1f}")
        p.append(f'<polygon points="{" ".join(pts)}" fill="#f2c744"/>')
    elif motif == "chequer":
        s = r * 0.2
        for i in range(-2, 2):
            for j in range(-2, 2):
                if (i + j) % 2 == 0:
                    p.append(
                        f'<rect x="{cx + i * s:.1f}" y="{cy + j * s:.1f}" width="{s:.1f}" height="{s:.1f}" fill="#111"/>'
                    )
                else:
                    p.append(
                        f'<rect x="{cx + i * s:.1f}" y="{cy + j * s:.1f}" width="{s:.1f}" height="{s:.1f}" fill="#f4f1e6"/>'
                    )
    elif motif == "m":
        p.append(_m_glyph(cx, cy + r * 0.04, r * 0.6, ring))
    p.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.86}" fill="url(#en{uid})"/>')
    return "".join(d), "".join(p)


def _m_glyph(cx, cy, s, col):
    """Our own stylised 'M': two rounded peaks like a pair of hills / a smile upside down."""
    return (
        f'<path d="M {cx - s * 0.9:.1f},{cy + s * 0.55:.1f} L {cx - s * 0.9:.1f},{cy - s * 0.15:.1f} '
        f"Q {cx - s * 0.9:.1f},{cy - s * 0.6:.1f} {cx - s * 0.45:.1f},{cy - s * 0.6:.1f} "
        f"Q {cx:.1f},{cy - s * 0.6:.1f} {cx:.1f},{cy - s * 0.1:.1f} "
        f"Q {cx:.1f},{cy - s * 0.6:.1f} {cx + s * 0.45:.1f},{cy - s * 0.6:.1f} "
        f"Q {cx + s * 0.9:.1f},{cy - s * 0.6:.1f} {cx + s * 0.9:.1f},{cy - s * 0.15:.1f} "
        f'L {cx + s * 0.9:.1f},{cy + s * 0.55:.1f}" fill="none" stroke="{col}" stroke-width="{s * 0.28:.2f}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


CLUB_SCHEMES = [("#b3261e", "#f4efe1", "chequer"), ("#1f5a3d", "#1f5a3d", "wheel"), ("#1e2e5c", "#1e2e5c", "star")]


def badgebar_front(opt):
    defs = [
        _chrome_lin("bar", 0, 568, 0, 584),
        _chrome_lin("stay", 0, 580, 0, 625),
        blur("b3", 3),
        blur("b2", 2),
    ]
    p = []
    # shadow cast on the grille
    p.append('<rect x="606" y="584" width="388" height="10" rx="5" fill="#000" opacity="0.45" filter="url(#b3)"/>')
    for sx in (654, 946):
        p.append(
            f'<rect x="{sx - 5}" y="578" width="10" height="46" rx="3" fill="url(#stay)" stroke="#55595d" stroke-width="1"/>'
        )
    p.append(
        '<rect x="600" y="567" width="400" height="16" rx="8" fill="url(#bar)" stroke="#4e5357" stroke-width="1"/>'
    )
    p.append('<rect x="606" y="569" width="388" height="3" rx="1.5" fill="#fff" opacity="0.9"/>')
    if opt == "badgebar-rally":
        for i, lx in enumerate((700, 900)):
            cy = 548
            r = 40
            defs.append(_chrome_lin(f"hs{i}", lx - r, cy - r, lx + r, cy + r))
            defs.append(
                rad(
                    f"ln{i}",
                    lx,
                    cy,
                    r - 7,
                    [(0, "#fffbe8"), (0.4, "#f6efcf"), (0.8, "#d5c99a"), (1, "#8c815c")],
                    fx=lx - 10,
                    fy=cy - 12,
                )
            )
            defs.append(clip(f"cln{i}", f'<circle cx="{lx}" cy="{cy}" r="{r - 7}"/>'))
            p.append(f'<circle cx="{lx}" cy="{cy + 5}" r="{r + 3}" fill="#000" opacity="0.4" filter="url(#b3)"/>')
            p.append(f'<rect x="{lx - 7}" y="{cy + 26}" width="14" height="22" rx="3" fill="url(#stay)"/>')
            p.append(f'<circle cx="{lx}" cy="{cy}" r="{r}" fill="url(#hs{i})" stroke="#3f4347" stroke-width="1.2"/>')
            p.append(f'<circle cx="{lx}" cy="{cy}" r="{r - 7}" fill="url(#ln{i})"/>')
            p.append(f'<g clip-path="url(#cln{i})">')
            for k in range(-4, 5):
                p.append(
                    f'<line x1="{lx + k * 8}" y1="{cy - r}" x2="{lx + k * 8}" y2="{cy + r}" stroke="#a89c6f" stroke-width="1.2" opacity="0.35"/>'
                )
            for k in range(-3, 4):
                p.append(
                    f'<line x1="{lx - r}" y1="{cy + k * 10}" x2="{lx + r}" y2="{cy + k * 10}" stroke="#a89c6f" stroke-width="0.8" opacity="0.25"/>'
                )
            p.append("</g>")
            p.append(f'<circle cx="{lx}" cy="{cy}" r="7" fill="#fff" opacity="0.95" filter="url(#b2)"/>')
            p.append(
                f'<path d="M {lx - 24},{cy - 16} Q {lx - 14},{cy - 28} {lx + 2},{cy - 30}" stroke="#fff" stroke-width="4" '
                'fill="none" stroke-linecap="round" opacity="0.9"/>'
            )
            # black grille cover strap look: thin cross
            p.append(
                f'<line x1="{lx - r + 8}" y1="{cy}" x2="{lx + r - 8}" y2="{cy}" stroke="#2a2c2e" stroke-width="2" opacity="0.5"/>'
            )
    else:
        for i, (bx, sch) in enumerate(zip((724, 800, 876), CLUB_SCHEMES, strict=False)):
            cy, r = 540, 27
            p.append(f'<circle cx="{bx}" cy="{cy + 4}" r="{r + 2}" fill="#000" opacity="0.45" filter="url(#b3)"/>')
            p.append(
                f'<rect x="{bx - 3.5}" y="{cy + r - 4}" width="7" height="{570 - cy - r + 8}" fill="#8d9297" stroke="#55595d" stroke-width="0.8"/>'
            )
            dd, pp = enamel_roundel(bx, cy, r, sch, f"c{i}")
            defs.append(dd)
            p.append(pp)
    return svg("\n".join(p), "".join(defs))


def badgebar_side(opt):
    defs = [_chrome_lin("bar", 0, 584, 0, 600), _chrome_lin("stay", 1366, 0, 1378, 0), blur("b2", 2)]
    p = []
    # the bar is seen end-on just ahead of the grille, on a stay down to the bumper
    p.append(
        '<rect x="1369" y="596" width="7" height="26" rx="2" fill="url(#stay)" stroke="#55595d" stroke-width="0.8"/>'
    )
    p.append('<circle cx="1372.5" cy="592" r="8" fill="url(#bar)" stroke="#4b4f53" stroke-width="1"/>')
    p.append('<circle cx="1370.5" cy="589.5" r="2.5" fill="#fff" opacity="0.9"/>')
    if opt == "badgebar-rally":
        defs.append(_chrome_lin("drum", 0, 532, 0, 584))
        defs.append(lin("lens", 0, 534, 0, 582, [(0, "#fffdf0"), (0.5, "#f1e7bf"), (1, "#a99d74")]))
        p.append('<rect x="1368" y="576" width="9" height="12" fill="url(#stay)"/>')
        p.append(
            '<path d="M 1356,542 C 1360,536 1372,532 1384,532 C 1391,534 1394,545 1394,558 '
            'C 1394,571 1391,582 1384,584 C 1372,584 1360,580 1356,574 C 1352,566 1352,550 1356,542 Z" '
            'fill="url(#drum)" stroke="#45494d" stroke-width="1.2"/>'
        )
        p.append('<ellipse cx="1391" cy="558" rx="5" ry="25" fill="url(#lens)" stroke="#8d8f88" stroke-width="1.2"/>')
        p.append(
            '<path d="M 1360,540 C 1366,536 1374,534 1384,534" stroke="#fff" stroke-width="2" fill="none" opacity="0.9"/>'
        )
    else:
        # three badges on posts, seen nearly edge-on: only the nearest one shows
        defs.append(_chrome_lin("disc", 0, 512, 0, 568))
        p.append('<rect x="1370" y="562" width="5" height="24" fill="url(#stay)"/>')
        p.append('<ellipse cx="1373" cy="540" rx="5" ry="27" fill="url(#disc)" stroke="#45494d" stroke-width="1"/>')
        p.append('<ellipse cx="1376" cy="540" rx="2.5" ry="22" fill="#b3261e"/>')
        p.append('<ellipse cx="1377" cy="540" rx="1" ry="14" fill="#f4efe1"/>')
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


# ==========================================================================
# BADGE
# ==========================================================================
def winged_m(cx, cy, w, uid):
    """Our own emblem: a rounded double-hill 'M' in a ring flanked by swept wings."""
    h = w * 0.3
    defs = [
        _chrome_lin(f"wm{uid}", cx - w / 2, cy - h, cx + w / 2, cy + h),
        lin(f"wmr{uid}", 0, cy - h, 0, cy + h, [(0, "#ffffff"), (0.45, "#c7ccd0"), (0.55, "#5f656a"), (1, "#d8dcdf")]),
    ]
    p = []
    # wings: three feather strokes each side
    for sgn in (-1, 1):
        for _k, (dy, ln) in enumerate(((-0.32, 0.5), (0.0, 0.44), (0.32, 0.36))):
            x0 = cx + sgn * w * 0.16
            x1 = cx + sgn * w * ln
            y0 = cy + dy * h
            y1 = y0 - h * 0.18
            p.append(
                f'<path d="M {x0:.1f},{y0 - h * 0.12:.1f} L {x1:.1f},{y1 - h * 0.06:.1f} '
                f"Q {x1 + sgn * w * 0.02:.1f},{y1 + h * 0.06:.1f} {x1 - sgn * w * 0.02:.1f},{y1 + h * 0.12:.1f} "
                f'L {x0:.1f},{y0 + h * 0.14:.1f} Z" fill="url(#wmr{uid})" stroke="#4a4f54" stroke-width="0.8"/>'
            )
    # centre roundel
    r = h * 0.95
    p.append(f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="url(#wm{uid})" stroke="#41464b" stroke-width="1"/>')
    p.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.78:.1f}" fill="#24272b"/>')
    p.append(_m_glyph(cx, cy + r * 0.05, r * 0.62, "#e9ecee"))
    p.append(
        f'<path d="M {cx - r * 0.7:.1f},{cy - r * 0.55:.1f} A {r * 0.9:.1f} {r * 0.9:.1f} 0 0 1 {cx + r * 0.3:.1f},{cy - r * 0.85:.1f}" '
        'stroke="#fff" stroke-width="1.5" fill="none" opacity="0.8"/>'
    )
    return "".join(defs), "".join(p)


ENAMEL_MAIN = ("#9e1f1a", "#f2ead3", "m")


def badge_front(opt):
    defs, p = [blur("b2", 1.6)], []
    if opt == "badge-classic":
        dd, pp = winged_m(800, 486, 130, "f")
        p.append('<ellipse cx="800" cy="492" rx="62" ry="14" fill="#000" opacity="0.35" filter="url(#b2)"/>')
    else:
        dd, pp = enamel_roundel(800, 484, 25, ENAMEL_MAIN, "f")
        p.append('<circle cx="800" cy="489" r="26" fill="#000" opacity="0.4" filter="url(#b2)"/>')
    defs.append(dd)
    p.append(pp)
    return svg("\n".join(p), "".join(defs))


def badge_side(opt):
    defs, p = [blur("b2", 1.2)], []
    cx, cy = 1046, 512
    if opt == "badge-classic":
        dd, pp = winged_m(cx, cy, 56, "s")
    else:
        dd, pp = enamel_roundel(cx, cy, 13, ENAMEL_MAIN, "s")
    defs.append(dd)
    p.append(
        f'<ellipse cx="{cx}" cy="{cy + 3}" rx="{22 if opt == "badge-classic" else 11}" ry="8" fill="#000" opacity="0.3" filter="url(#b2)"/>'
    )
    p.append(pp)
    # nose badge edge-on
    p.append('<rect x="1340" y="504" width="7" height="16" rx="2" fill="#c9ced2" stroke="#5a5f63" stroke-width="0.8"/>')
    content = f'<g transform="translate({SIDE_DX} 0)">' + "\n".join(p) + "</g>"
    return svg(content, "".join(defs))


# ==========================================================================
# write everything
# ==========================================================================
ROOFS = {
    "hatch": ["roof-white", "roof-black", "roof-union"],
    "convertible": ["softtop-black", "softtop-tan", "softtop-navy"],
}
MIRRORS = ["mirrors-white", "mirrors-black", "mirrors-chequer"]
STRIPES = ["stripes-twin-white", "stripes-twin-black", "stripes-single-red"]
BADGEBARS = ["badgebar-rally", "badgebar-club"]
BADGES = ["badge-classic", "badge-enamel"]
WHEELS = ["wheels-spoke", "wheels-minilite", "wheels-dish"]


def files():
    out = {}
    for m in MODELS:
        for v in VIEWS:
            side = v == "side"
            base = f"{m}/{v}"
            out[f"{base}/backdrop.svg"] = backdrop(v)
            out[f"{base}/body_shade.svg"] = side_body(m) if side else front_body(m)
            out[f"{base}/body_mask.svg"] = side_body(m, mask=True) if side else front_body(m, mask=True)
            out[f"{base}/glass.svg"] = side_glass(m) if side else front_glass(m)
            for o in WHEELS:
                out[f"{base}/wheels/{o}.svg"] = wheels_side(o) if side else wheels_front(o)
            for o in ROOFS[m]:
                if m == "hatch":
                    out[f"{base}/roof/{o}.svg"] = roof_side(o) if side else roof_front(o)
                else:
                    out[f"{base}/roof/{o}.svg"] = softtop_side(o) if side else softtop_front(o)
            for o in MIRRORS:
                out[f"{base}/mirrors/{o}.svg"] = mirrors_side(o) if side else mirrors_front(o)
            for o in STRIPES:
                out[f"{base}/stripes/{o}.svg"] = stripes_side(o, m) if side else stripes_front(o, m)
            for o in BADGEBARS:
                out[f"{base}/badge_bar/{o}.svg"] = badgebar_side(o) if side else badgebar_front(o)
            for o in BADGES:
                out[f"{base}/badge/{o}.svg"] = badge_side(o) if side else badge_front(o)
    return out


def main():
    n = 0
    for rel, text in files().items():
        p = SRC / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_text() != text:
            p.write_text(text)
        n += 1
    print(f"wrote {n} SVGs under {SRC}")


if __name__ == "__main__":
    main()
