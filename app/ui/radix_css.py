"""Radix Themes' stylesheet cut to what the site uses: the first paint waits for every byte of it.

Radix ships one `styles.css` (812 KB, 699 KB minified) with every colour scale in light, dark and
wide-gamut variants and the rules of every component. The browser parses all of it, and works out
the page's styles against all of it, before it paints anything: on /build that was most of the time
between the HTML arriving and the car showing. What is cut, rule by rule, is only what no page can
match: the colour scales no page names (`app.ui.theme.COLOUR_SCALES`), the rules of Radix components no
page draws (their `rt-<Component>` classes; the classes each component sets come from Radix's own
modules, following their imports, so a component drawn inside another one keeps its rules), and the
responsive classes of breakpoints no prop is given for (`xl:rt-r-mt-2`; `app.ui.theme.BREAKPOINTS`).
The utility classes (`rt-r-*`, set from props) and everything else stay as they are.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflex_base.components.component import BaseComponent
from reflex_components_radix.plugin import RADIX_THEMES_STYLESHEET, RadixThemesPlugin
from reflex_components_radix.themes.base import RadixThemesComponent

if TYPE_CHECKING:
    from reflex_base.plugins.compiler import PageContext

log = logging.getLogger(__name__)
STYLESHEET = "radix-themes.css"  # in .web/styles, next to the stylesheet that imports it

# Radix Themes' colour scales (tokens/colors/<scale>.css); other `--name-1` variables (radius, space) are not colours.
RADIX_SCALES = frozenset({
    "amber", "blue", "bronze", "brown", "crimson", "cyan", "gold", "grass", "gray", "green", "indigo",
    "iris", "jade", "lime", "mauve", "mint", "olive", "orange", "pink", "plum", "purple", "red", "ruby",
    "sage", "sand", "sky", "slate", "teal", "tomato", "violet", "yellow",
})  # fmt: skip
# Radix's responsive prop breakpoints: a prop given per breakpoint sets classes such as `md:rt-r-size-2`.
RADIX_BREAKPOINTS = ("xs", "sm", "md", "lg", "xl")
COMPONENT_CLASS = re.compile(r"\brt-[A-Z][A-Za-z]*")
_SCALE_VARIABLE = re.compile(r"^\s*--([a-z]+)-(?:a?\d+|contrast|surface|indicator|track)\s*:", re.MULTILINE)
_SCALE_SELECTOR = re.compile(r"\[data-(?:accent|gray)-color=['\"]?([a-z]+)['\"]?\]")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def rules(css: str) -> Iterator[tuple[str, str | None]]:
    """The top-level rules of `css` as (prelude, body); body None for a statement such as `@import ...;`."""
    css = _COMMENT.sub("", css)
    i, n = 0, len(css)
    while i < n:
        brace, semi = css.find("{", i), css.find(";", i)
        if brace < 0 or (0 <= semi < brace and css[i:semi].lstrip().startswith("@")):
            if semi < 0:
                break
            if css[i:semi].strip():
                yield css[i:semi].strip(), None
            i = semi + 1
            continue
        depth, k = 1, brace + 1
        while depth and k < n:
            c = css[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c in "\"'":  # a string may hold braces
                k = css.find(c, k + 1)
            k += 1
        yield css[i:brace].strip(), css[brace + 1 : k - 1]
        i = k


def lean_stylesheet(
    css: str,
    keep_scales: Iterable[str],
    keep_classes: Iterable[str] | None,
    keep_breakpoints: Iterable[str] = RADIX_BREAKPOINTS,
) -> str:
    """`css` without the rules of colour scales outside `keep_scales`, of components whose `rt-` classes are
    outside `keep_classes` (None: every component kept) and of responsive classes (`.xl:rt-r-mt-2`) for
    breakpoints outside `keep_breakpoints`."""
    unused = frozenset(RADIX_BREAKPOINTS) - frozenset(keep_breakpoints)
    keep = _Keep(
        frozenset(keep_scales),
        None if keep_classes is None else frozenset(keep_classes),
        re.compile(rf"\.(?:{'|'.join(sorted(unused))})\\?:") if unused else None,
    )
    return "".join(_kept(css, keep))


@dataclasses.dataclass(frozen=True)
class _Keep:
    scales: frozenset[str]
    classes: frozenset[str] | None
    unused_breakpoint: re.Pattern[str] | None


def _kept(css: str, keep: _Keep) -> Iterator[str]:
    for prelude, body in rules(css):
        if body is None:
            yield prelude + ";"
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = "".join(_kept(body, keep))
            if inner.strip():
                yield f"{prelude}{{{inner}}}"
        elif prelude.startswith("@"):  # @keyframes, @font-face, @property: kept whole
            yield f"{prelude}{{{body}}}"
        elif _wanted(prelude, keep) and (kept := _without_scales(body, keep.scales)).strip():
            yield f"{prelude}{{{kept}}}"


def _wanted(selectors: str, keep: _Keep) -> bool:
    named = set(_SCALE_SELECTOR.findall(selectors))
    if named and not named & keep.scales:
        return False  # [data-accent-color='cyan'] and the like
    return any(_can_match(selector, keep) for selector in _split_selectors(selectors))


def _can_match(selector: str, keep: _Keep) -> bool:
    if keep.unused_breakpoint is not None and keep.unused_breakpoint.search(selector):
        return False
    return keep.classes is None or set(COMPONENT_CLASS.findall(selector)) <= keep.classes


def _without_scales(body: str, scales: frozenset[str]) -> str:
    """A block of colour values (custom properties only) without the values of scales not kept; others as they are."""
    declarations = [d for d in body.split(";") if d.strip()]
    if not declarations or not all(d.strip().startswith("--") for d in declarations):
        return body
    kept = [d for d in declarations if _scale_of(d) in scales or _scale_of(d) not in RADIX_SCALES]
    return ";".join(kept) if len(kept) < len(declarations) else body


def _scale_of(declaration: str) -> str | None:
    return m.group(1) if (m := _SCALE_VARIABLE.match(declaration)) else None


def _split_selectors(selectors: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :where(...) or :is(...))."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(selectors):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(selectors[start:i])
            start = i + 1
    parts.append(selectors[start:])
    return parts


def component_classes(radix_dir: Path, components: Iterable[str]) -> set[str]:
    """The `rt-` classes Radix Themes' `components` (export names: "Button", "Table") can put on the page:
    those in each one's module and in every module it imports, from Radix's ES build in `radix_dir`."""
    folder = radix_dir / "dist" / "esm" / "components"
    index = (folder / "index.js").read_text()
    local = {}
    for names, source in re.findall(r'import\s*(\*\s*as\s*\w+|\{[^}]*\})\s*from\s*"([^"]+)"', index):
        namespace = re.match(r"\*\s*as\s*(\w+)", names)
        for name in [namespace.group(1)] if namespace else names.strip("{}").split(","):
            local[name.split(" as ")[-1].strip()] = (folder / source).resolve()
    exported = {}
    for exports in re.findall(r"export\s*\{([^}]*)\}", index):
        for item in exports.split(","):
            inner, _, outer = item.partition(" as ")
            if inner.strip() in local:
                exported[(outer or inner).strip()] = local[inner.strip()]
    found: set[str] = set()
    seen: set[Path] = set()
    todo = [exported[name] for name in components if name in exported]
    if len(todo) < len(set(components)):
        missing = sorted(set(components) - exported.keys())
        raise LookupError(f"Radix Themes exports no {', '.join(missing)}")
    while todo:
        module = todo.pop()
        if module in seen or not module.is_file():
            continue
        seen.add(module)
        source = module.read_text()
        found |= set(COMPONENT_CLASS.findall(source))
        imports = re.findall(r'(?:from|import)\s*"(\.[^"]+)"', source)  # relative: Radix's own modules
        todo += [(module.parent / imported).resolve() for imported in imports]
    return found


def radix_themes_dir() -> Path:
    """Where Reflex installed Radix Themes for the front end (it may not be there yet)."""
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir() / "node_modules" / "@radix-ui" / "themes"


@dataclasses.dataclass
class LeanRadixThemesPlugin(RadixThemesPlugin):
    """Reflex's Radix Themes plugin, importing `styles/radix-themes.css`: Radix's stylesheet without the colour
    scales outside `scales`, the rules of components no page draws (noted as the compiler walks the pages) and
    the responsive classes of breakpoints outside `breakpoints`."""

    scales: frozenset[str] = frozenset()
    breakpoints: frozenset[str] = frozenset(RADIX_BREAKPOINTS)
    drawn: set[str] = dataclasses.field(default_factory=set, init=False, repr=False)

    def enter_component(
        self,
        comp: BaseComponent,
        /,
        *,
        page_context: PageContext,
        compile_context: Any,
        in_prop_tree: bool = False,
    ) -> None:
        super().enter_component(
            comp, page_context=page_context, compile_context=compile_context, in_prop_tree=in_prop_tree
        )
        if isinstance(comp, RadixThemesComponent) and comp.tag:
            self.drawn.add(comp.tag.split(".")[0])  # "Table.Root": the Table export

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return (f"./{STYLESHEET}",) if self.enabled else ()

    def get_static_assets(self, **context: Any) -> list[tuple[Path, str | bytes]]:
        if not self.enabled:
            return []
        return [(Path("styles") / STYLESHEET, self.stylesheet(radix_themes_dir()))]

    def stylesheet(self, radix_dir: Path) -> str:
        source = radix_dir / "styles.css"
        if not source.is_file():  # not installed (a dry run): the whole stylesheet, as Reflex imports it
            return f"@import url('{RADIX_THEMES_STYLESHEET}');\n"
        try:
            classes: set[str] | None = component_classes(radix_dir, self.drawn | {"Theme"})
        except LookupError:  # a component this code can't trace: every component's rules stay
            log.warning("Radix Themes' stylesheet keeps every component", exc_info=True)
            classes = None
        return lean_stylesheet(source.read_text(), self.scales, classes, self.breakpoints)
