"""Marketing copy as a small, safe Markdown subset: checked, rendered to clean HTML, or flattened to plain text."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Copy is words, emphasis, links, lists and quotes; headings, rules, images and code blocks belong to
# the page design, not to a narrative, so their syntax stays literal text the author sees in the preview.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    ["code", "fence", "hr", "heading", "lheading", "image"]
)

BLOCK_TAGS = frozenset({"p", "br", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote"})
INLINE_TAGS = frozenset({"br", "em", "strong", "a", "code"})
_ATTRIBUTES = {"a": {"href", "title"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "noopener noreferrer nofollow"
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Browsers ignore these inside a URL, so "java\tscript:" is still javascript:.
_URL_INVISIBLES = re.compile(r"[\x00-\x20\x7f]+")


class CopyError(ValueError):
    """Copy that cannot be published; the message is written for the marketing user who typed it."""


def render_markdown(text: str) -> str:
    """Markdown copy as sanitised block HTML (paragraphs, lists, quotes)."""
    return _clean(_MD.render(text), BLOCK_TAGS)


def render_inline(text: str) -> str:
    """One line of Markdown copy as sanitised inline HTML, for use inside an existing paragraph."""
    return _clean(_MD.renderInline(text), INLINE_TAGS)


def markdown_text(text: str) -> str:
    """Markdown copy as plain text for mail: links become "label (url)", list items "- item"."""
    blocks: list[tuple[str, bool]] = []
    depth = 0
    in_item = False
    for token in _MD.parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "inline":
            words = _inline_text(token.children or [])
            if in_item:
                blocks.append(("  " * (depth - 1) + "- " + words, True))
                in_item = False
            else:
                blocks.append((words, False))
    return _join_blocks(blocks)


def check_copy(text: str, *, max_chars: int, what: str) -> str:
    """The copy stripped and with plain newlines; CopyError if it is empty, too long or has control characters."""
    label = what[:1].upper() + what[1:]
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise CopyError(f"{label} can't be empty.")
    if len(cleaned) > max_chars:
        raise CopyError(f"{label} is {len(cleaned)} characters; keep it to {max_chars}.")
    for position, char in enumerate(cleaned, start=1):
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            raise CopyError(
                f"{label} contains an invisible control character (at character {position}); "
                "delete it, or retype that part, and try again."
            )
    return cleaned


def _clean(html: str, tags: frozenset[str]) -> str:
    # nh3 is the real gate: whatever markdown-it lets through, only the allowlist comes out.
    cleaned = nh3.clean(
        html,
        tags=set(tags),
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=_LINK_REL,
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )
    return cleaned.strip()


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 already drops other schemes; this also drops hrefs that only look harmless while encoded
    # ("jav%09ascript:"), so no link ever smuggles a script scheme past a lenient URL parser.
    if attribute == "href" and not _href_is_safe(value):
        return None
    return value


def _href_is_safe(href: str) -> bool:
    bare = _URL_INVISIBLES.sub("", unquote(href)).lower()
    scheme = _SCHEME.match(bare)
    return scheme is None or scheme.group(1) in _URL_SCHEMES


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    label_start: int | None = None
    href = ""
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            label_start, href = len(parts), str(child.attrs.get("href", ""))
        elif child.type == "link_close" and label_start is not None:
            label = "".join(parts[label_start:])
            shown = href.removeprefix("mailto:")
            if shown and shown != label:
                parts.append(f" ({href})")
            label_start = None
    return "".join(parts)


def _join_blocks(blocks: list[tuple[str, bool]]) -> str:
    # List items sit on consecutive lines; everything else is separated by a blank line.
    text = ""
    previous_item = False
    for words, is_item in blocks:
        if text:
            text += "\n" if is_item and previous_item else "\n\n"
        text += words
        previous_item = is_item
    return text
