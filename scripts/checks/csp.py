"""The Content-Security-Policy of ``deploy/nginx.conf``, kept in step with the inline scripts of the built site.

Material (and our template overrides) put a few small inline scripts in every page; the policy allows exactly
those, by their SHA-256 hash, and nothing else inline. The hashes depend on the build (Material's start-up
script names the page's depth), so they are computed from a built site, never written by hand:

    .venv/bin/python -m scripts.checks.csp SITE            # check: exit 1 and say what to do if the config drifted
    .venv/bin/python -m scripts.checks.csp SITE --write    # rewrite the policy line of deploy/nginx.conf

A course that sends results to a Learning Record Store on another origin needs that origin in ``connect-src``:
``--write --connect-src https://lrs.example.org`` (repeatable) sets them; without ``--connect-src``, the origins
already in the configured policy are kept, by ``--write`` and by the check.
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


ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def origin(text: str) -> str:
    """An origin for ``connect-src`` (``https://host[:port]``, no path), lower-cased; ValueError otherwise."""
    value = text.strip().rstrip("/").lower()
    if not ORIGIN.match(value):
        raise ValueError(f"{text!r} is not an origin: write the scheme, host and port only, e.g. https://lrs.example.org")
    return value


def connect_origins(configured: str) -> list[str]:
    """The other origins a configured policy's ``connect-src`` allows (an LRS's), in their order."""
    for directive in configured.split(";"):
        words = directive.split()
        if words and words[0] == "connect-src":
            return [w for w in words[1:] if w != "'self'"]
    return []


def policy(site: Path, connect: list[str] | tuple[str, ...] = ()) -> str:
    """The whole Content-Security-Policy value for the built ``site``, letting pages reach ``connect`` origins."""
    directives = [d + "".join(" " + origin(o) for o in connect) if d == "connect-src 'self'" else d for d in DIRECTIVES]
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


def write_policy(site: Path, conf: Path = NGINX_CONF, connect: list[str] | None = None) -> bool:
    """Rewrite the policy line of ``conf`` for ``site``; return whether it changed.

    ``connect``: the other origins of ``connect-src`` (None keeps those ``conf`` has).
    """
    text = conf.read_text(encoding="utf-8")
    if not POLICY_LINE.search(text):
        raise ValueError(f"{conf}: no `add_header Content-Security-Policy \"…\" always;` line")
    origins = connect_origins(configured_policy(conf)) if connect is None else connect
    new = POLICY_LINE.sub(lambda m: m.group(1) + policy(site, origins) + m.group(3), text, count=1)
    conf.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("site", type=Path, help="a site built with `mkdocs build` (e.g. site/)")
    parser.add_argument("--write", action="store_true", help="rewrite the policy in deploy/nginx.conf")
    parser.add_argument("--connect-src", action="append", metavar="ORIGIN",
                        help="another origin pages may send to (an LRS: https://lrs.example.org); repeatable; "
                             "without it, those of deploy/nginx.conf are kept")
    args = parser.parse_args(argv)
    try:
        connect = None if args.connect_src is None else [origin(o) for o in args.connect_src]
    except ValueError as error:
        parser.error(f"--connect-src {error}")
    if args.write:
        changed = write_policy(args.site, connect=connect)
        print(f"{NGINX_CONF.relative_to(ROOT)}: policy {'updated' if changed else 'already up to date'}")
        return 0
    configured = configured_policy()
    if configured != policy(args.site, connect_origins(configured) if connect is None else connect):
        print(f"{NGINX_CONF.relative_to(ROOT)}: the Content-Security-Policy does not match the inline scripts of "
              f"{args.site}.\nAn inline script was added or changed: build the site, then run\n"
              f"  .venv/bin/python -m scripts.checks.csp {args.site} --write", file=sys.stderr)
        return 1
    print("Content-Security-Policy up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
