"""The Content-Security-Policy of ``deploy/nginx.conf``, kept in step with the inline scripts of the built site.

Material (and our template overrides) put a few small inline scripts in every page; the policy allows exactly
those, by their SHA-256 hash, and nothing else inline. The hashes depend on the build (Material's start-up
script names the page's depth), so they are computed from a built site, never written by hand:

    .venv/bin/python -m scripts.checks.csp SITE            # check: exit 1 and say what to do if the config drifted
    .venv/bin/python -m scripts.checks.csp SITE --write    # rewrite the policy line of deploy/nginx.conf
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from pathlib import Path
from typing import cast

import lxml.html

from scripts.model.course import ROOT

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# Script types a browser executes (an empty or missing type means JavaScript); data blocks such as Material's
# `application/json` configuration are not run and need no hash.
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
POLICY_LINE = re.compile(r'^(\s*add_header Content-Security-Policy ")([^"]*)(" always;)\s*$', re.M)

# Everything else the site needs comes from its own origin: no CDN, no web font, no third party. Images include
# `data:` because Material draws its icons as CSS masks with data: SVG URLs.
DIRECTIVES = (
    "default-src 'none'",
    "script-src 'self' {hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "object-src 'none'",
)


def inline_script_hashes(site: Path) -> list[str]:
    """The CSP source expressions (``'sha256-…'``) of every inline script run by a page of ``site``, sorted."""
    found: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        for script in doc.iter("script"):
            if script.get("src") is not None or (script.get("type") or "").strip().lower() not in EXECUTABLE:
                continue
            found.add(_hash(script.text or ""))
    return sorted(found)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def style_attribute_hashes(site: Path) -> list[str]:
    """The CSP source expressions of every ``style="…"`` attribute written in a page of ``site``, sorted."""
    found: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        found.update(_hash(str(value)) for value in cast(list[str], doc.xpath("//@style")))
    return sorted(found)


def policy(site: Path) -> str:
    """The whole Content-Security-Policy value for the built ``site``."""
    directives = list(DIRECTIVES)
    styles = style_attribute_hashes(site)
    if styles:  # style attributes written in the pages (e.g. a table's width): allowed one by one, by hash
        directives.insert(directives.index("style-src 'self'") + 1, "style-src-attr 'unsafe-hashes' " + " ".join(styles))
    return "; ".join(directives).replace("{hashes}", " ".join(inline_script_hashes(site)))


def configured_policy(conf: Path = NGINX_CONF) -> str:
    """The policy that ``deploy/nginx.conf`` sends."""
    match = POLICY_LINE.search(conf.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{conf}: no `add_header Content-Security-Policy \"…\" always;` line")
    return match.group(2)


def write_policy(site: Path, conf: Path = NGINX_CONF) -> bool:
    """Rewrite the policy line of ``conf`` for ``site``; return whether it changed."""
    text = conf.read_text(encoding="utf-8")
    if not POLICY_LINE.search(text):
        raise ValueError(f"{conf}: no `add_header Content-Security-Policy \"…\" always;` line")
    new = POLICY_LINE.sub(lambda m: m.group(1) + policy(site) + m.group(3), text, count=1)
    conf.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("site", type=Path, help="a site built with `mkdocs build` (e.g. site/)")
    parser.add_argument("--write", action="store_true", help="rewrite the policy in deploy/nginx.conf")
    args = parser.parse_args(argv)
    if args.write:
        changed = write_policy(args.site)
        print(f"{NGINX_CONF.relative_to(ROOT)}: policy {'updated' if changed else 'already up to date'}")
        return 0
    if configured_policy() != policy(args.site):
        print(f"{NGINX_CONF.relative_to(ROOT)}: the Content-Security-Policy does not match the inline scripts of "
              f"{args.site}.\nAn inline script was added or changed: build the site, then run\n"
              f"  .venv/bin/python -m scripts.checks.csp {args.site} --write", file=sys.stderr)
        return 1
    print("Content-Security-Policy up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
