"""Radix Themes' stylesheet cut to the colour scales and components the pages use (app.ui.radix_css)."""

import re
from pathlib import Path

import reflex as rx

from app.ui import radix_css
from app.ui.radix_css import RADIX_SCALES, LeanRadixThemesPlugin, component_classes, lean_stylesheet
from app.ui.theme import BREAKPOINTS, COLOUR_SCALES, THEME

ROOT = Path(__file__).resolve().parents[2]

RADIX_LIKE = """
/* a comment { with braces } */
:root, .light, .light-theme {
  --tomato-1: #fffcfc;
  --tomato-a1: #ff000003;
  --cyan-1: #fafdfe;
  --cyan-contrast: #fff;
}
@supports (color: color(display-p3 1 1 1)) {
  @media (color-gamut: p3) {
    :root, .light { --cyan-1: color(display-p3 0.98 0.99 0.99); }
  }
}
:root { --radius-1: 3px; --space-1: 4px; --black-a1: rgba(0, 0, 0, 0.05); }
[data-accent-color='cyan'] { --accent-1: var(--cyan-1); }
[data-accent-color='tomato'] { --accent-1: var(--tomato-1); }
.rt-Button { color: var(--accent-11); }
.rt-SliderRoot { height: 4px; }
.rt-BaseButton:where(.rt-variant-solid), .rt-SliderRoot:where(.rt-r-size-1) { content: "}"; }
.rt-TableRoot .rt-SliderRoot { margin: 0; }
@media (min-width: 520px) { .xs\\:rt-r-m-1 { margin: 1px; } .rt-SliderRoot.xs\\:rt-r-size-1 { height: 2px; } }
@keyframes rt-fade-in { from { opacity: 0; } to { opacity: 1; } }
.rt-r-m-1 { margin: var(--space-1); }
"""


def lean(css=RADIX_LIKE, scales=("tomato",), classes=("rt-Button", "rt-BaseButton", "rt-TableRoot")) -> str:
    return lean_stylesheet(css, scales, classes)


def test_the_values_of_scales_no_page_names_are_left_out():
    css = lean()
    assert "--tomato-1: #fffcfc" in css and "--tomato-a1" in css
    assert "--cyan" not in css and "color-gamut" not in css  # a block left empty goes with its wrappers
    assert "[data-accent-color='tomato']" in css and "[data-accent-color='cyan']" not in css
    assert "--radius-1: 3px" in css and "--black-a1" in css  # not colour scales


def test_rules_only_an_undrawn_component_can_match_are_left_out():
    css = lean()
    assert ".rt-Button{ color: var(--accent-11); }" in css
    assert "height: 4px" not in css and "height: 2px" not in css
    assert ".rt-TableRoot .rt-SliderRoot" not in css
    # A selector list stays whole when one of its selectors can match; a brace in a string is no rule's end.
    assert '.rt-BaseButton:where(.rt-variant-solid), .rt-SliderRoot:where(.rt-r-size-1){ content: "}"; }' in css


def test_utilities_keyframes_and_everything_else_stay():
    css = lean()
    assert ".xs\\:rt-r-m-1{ margin: 1px; }" in css
    assert "@keyframes rt-fade-in" in css and ".rt-r-m-1{ margin: var(--space-1); }" in css


def test_responsive_classes_of_breakpoints_no_prop_uses_are_left_out():
    css = lean_stylesheet(RADIX_LIKE, ["tomato"], None, keep_breakpoints=["sm", "md", "lg"])
    assert "margin: 1px" not in css and "height: 2px" not in css and "min-width: 520px" not in css
    assert "margin: 1px" in lean_stylesheet(RADIX_LIKE, ["tomato"], None, keep_breakpoints=["xs"])


def test_without_a_component_list_every_component_stays():
    assert "height: 4px" in lean_stylesheet(RADIX_LIKE, ["tomato"], None)


def radix_package(folder: Path) -> Path:
    """A small stand-in for Radix Themes' ES build: an index re-exporting components that import helpers."""
    components = folder / "dist" / "esm" / "components"
    (components / "_internal").mkdir(parents=True)
    (components / "index.js").write_text(
        'import*as t from"./table.js";import{Button as b}from"./button.js";import{Slider as s}from"./slider.js";'
        'import{Theme as h}from"./theme.js";export{t as Table,b as Button,s as Slider,h as Theme};'
    )
    (components / "table.js").write_text(
        'import{Text as x}from"./text.js";const r=()=>c("rt-TableRoot","rt-r-size-1");export{r as Root};'
    )
    (components / "text.js").write_text('const t=()=>c("rt-Text");export{t as Text};')
    (components / "button.js").write_text(
        'import{BaseButton as p}from"./_internal/base-button.js";const o=()=>s("rt-Button");export{o as Button};'
    )
    (components / "_internal" / "base-button.js").write_text('const p=()=>c("rt-BaseButton");export{p as BaseButton};')
    (components / "theme.js").write_text('const h=()=>c("radix-themes");export{h as Theme};')
    (components / "slider.js").write_text('const s=()=>c("rt-SliderRoot");export{s as Slider};')
    (folder / "styles.css").write_text(RADIX_LIKE)
    return folder


def test_a_components_classes_include_those_of_the_modules_it_imports(tmp_path):
    radix = radix_package(tmp_path)
    assert component_classes(radix, ["Table"]) == {"rt-TableRoot", "rt-Text"}
    assert component_classes(radix, ["Button"]) == {"rt-Button", "rt-BaseButton"}


def test_the_plugin_keeps_the_components_the_pages_draw(tmp_path):
    radix = radix_package(tmp_path)
    plugin = LeanRadixThemesPlugin(theme=THEME, scales=frozenset({"tomato"}))
    for component in (rx.button("Go"), rx.table.root(), rx.el.div("plain")):
        plugin.enter_component(component, page_context=None, compile_context=None)
    assert plugin.drawn == {"Button", "Table"}
    css = plugin.stylesheet(radix)
    assert ".rt-Button" in css and "rt-SliderRoot { height" not in css and "--cyan" not in css
    assert plugin.get_stylesheet_paths() == ("./radix-themes.css",)


def test_a_component_radix_does_not_export_keeps_every_components_rules(tmp_path):
    plugin = LeanRadixThemesPlugin(theme=THEME, scales=frozenset({"tomato"}))
    plugin.drawn.add("Gauge")
    assert "height: 4px" in plugin.stylesheet(radix_package(tmp_path))


def test_before_radix_is_installed_the_whole_stylesheet_is_imported(tmp_path):
    plugin = LeanRadixThemesPlugin(theme=THEME, scales=frozenset(COLOUR_SCALES))
    assert plugin.stylesheet(tmp_path) == "@import url('@radix-ui/themes/styles.css');\n"


def test_every_colour_scale_the_code_names_is_kept():
    """A page naming a scale left out of COLOUR_SCALES would draw that colour as nothing at all."""
    named: dict[str, set[str]] = {}
    sources = [*(ROOT / "app").rglob("*.py"), *(ROOT / "assets").rglob("*.js"), *(ROOT / "assets").rglob("*.css")]
    for source in sources:
        if source.name in ("colour_names.py", "radix_css.py"):  # the catalogue's words for paints; the filter itself
            continue
        for literal, variable in re.findall(r"""["']([a-z]+)["']|--([a-z]+)-a?\d+\b""", source.read_text()):
            if (scale := literal or variable) in RADIX_SCALES:
                named.setdefault(scale, set()).add(str(source.relative_to(ROOT)))
    missing = {scale: sorted(files) for scale, files in named.items() if scale not in COLOUR_SCALES}
    assert not missing, f"add these to COLOUR_SCALES in app/ui/theme.py: {missing}"
    assert {"tomato", "sand", "gray"} <= set(COLOUR_SCALES)  # the theme's accent and gray, and Radix's own gray


def test_no_prop_is_given_for_a_breakpoint_left_out():
    """A prop given for a breakpoint outside BREAKPOINTS (rx.breakpoints(xl=...)) would never take effect."""
    unused = set(radix_css.RADIX_BREAKPOINTS) - set(BREAKPOINTS)
    pattern = re.compile(rf"""\b({"|".join(unused)})\s*=|["']({"|".join(unused)})["']""")
    used = {
        str(source.relative_to(ROOT)): pattern.findall(source.read_text())
        for source in (ROOT / "app").rglob("*.py")
        if source.name != "radix_css.py"
    }
    assert not {path: found for path, found in used.items() if found}, "add the breakpoint to BREAKPOINTS"
