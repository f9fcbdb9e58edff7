"""MkDocs hook: minify the project's own scripts and stylesheet in the built site.

on_post_build, last of all (after the search and offline plugins and the other hooks), rewrites in place every
file listed under ``extra_javascript`` and ``extra_css`` in mkdocs.yml, with ``rjsmin`` (comments and
whitespace removed, code untouched) and ``rcssmin``. Vendored files (``/vendor/``) and files already
``.min.`` are left as shipped. The sources in ``docs/`` stay readable; only the output is minified, so
``mkdocs serve``, the offline bundle and ``file://`` get the same code.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


def own_assets(config: MkDocsConfig) -> list[Path]:
    """The built files of the project's own ``extra_javascript`` and ``extra_css`` (not vendored, not ``.min.``)."""
    site = Path(config.site_dir)
    names = [str(getattr(script, "path", script)) for script in config.extra_javascript] + list(config.extra_css)
    return [site / name for name in names
            if "://" not in name and "/vendor/" not in f"/{name}" and ".min." not in name and (site / name).is_file()]


def minify(path: Path) -> None:
    """Minify one built ``.js`` or ``.css`` file in place."""
    text = path.read_text(encoding="utf-8")
    small = rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)
    path.write_text(small + "\n", encoding="utf-8")


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Minify the project's scripts and stylesheet in the output folder."""
    for path in own_assets(config):
        minify(path)
