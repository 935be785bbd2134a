"""The HTML a link-preview service reads (Open Graph and Twitter card tags), and the public milestone page."""

import html

from app.sharing.card import HEIGHT, WIDTH
from app.sharing.links import CardSubject


def meta_tags(subject: CardSubject, page_url: str, image_url: str) -> str:
    """Tags for <head>: every value escaped, and only what the card itself shows."""
    alt = f"{subject.title}: {subject.line}"
    pairs = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", "Motorjoy"),
        ("property", "og:title", subject.title),
        ("property", "og:description", subject.line),
        ("property", "og:url", page_url),
        ("property", "og:image", image_url),
        ("property", "og:image:type", "image/jpeg"),
        ("property", "og:image:width", str(WIDTH)),
        ("property", "og:image:height", str(HEIGHT)),
        ("property", "og:image:alt", alt),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", subject.title),
        ("name", "twitter:description", subject.line),
        ("name", "twitter:image", image_url),
        ("name", "twitter:image:alt", alt),
        ("name", "description", subject.line),
    ]
    return "".join(f'<meta {attr}="{name}" content="{html.escape(value, quote=True)}"/>' for attr, name, value in pairs)


def with_tags(page: str | None, tags: str, title: str) -> str:
    """The app's own page (the front end's HTML for /build/<code>) with the tags added to its head.

    Browsers get the same app as ever; a preview bot, which runs no JavaScript, reads the tags. Without a
    production build (dev mode) there is no page file, so a bare page with the tags and a link stands in.
    """
    if page and "</head>" in page:
        return page.replace("</head>", tags + "</head>", 1)
    head = f'<meta charset="utf-8"/><title>{html.escape(title)}</title>{tags}'
    return f'<!doctype html><html lang="en"><head>{head}</head><body></body></html>'


def milestone_page(subject: CardSubject, tags: str, image_url: str) -> str:
    """The public page behind a milestone link: the card, the words, and an invitation to build one's own."""
    title, line = html.escape(subject.title), html.escape(subject.line)
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width,initial-scale=1"/>
<title>{line} · Motorjoy</title>{tags}
<style>
body{{margin:0;font:17px/1.5 system-ui,"Segoe UI",Helvetica,Arial,sans-serif;background:#F9F9F8;color:#21201C}}
main{{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}}
.brand{{color:#D13415;font-weight:700;text-decoration:none;font-size:1.2rem}}
img{{display:block;width:100%;height:auto;border-radius:12px;margin:1.25rem 0}}
h1{{font-size:clamp(1.6rem,5vw,2.4rem);line-height:1.15;margin:0 0 .4rem}}
.cta{{display:inline-block;margin-top:1rem;background:#D13415;color:#fff;padding:.75rem 1.25rem;border-radius:999px;
text-decoration:none;font-weight:600}}
.cta:focus-visible,.brand:focus-visible{{outline:3px solid #21201C;outline-offset:3px}}
</style></head>
<body><main>
<a class="brand" href="/">Motorjoy</a>
<img src="{html.escape(image_url)}" width="1200" height="630" alt="{title}"/>
<h1>{line}</h1>
<p>{title}. Every Motorjoy is built to order, named by its owner and followed all the way home.</p>
<a class="cta" href="/build">Build your own</a>
</main></body></html>
"""
