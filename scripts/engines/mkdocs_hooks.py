"""The one MkDocs (and ProperDocs) entry point: ``hooks: [scripts/engines/mkdocs_hooks.py]`` in mkdocs.yml.

It registers the build modules' event handlers, each with its own priority (``mkdocs.plugins.CombinedEvent``), in
the order the modules are listed in ``MODULES``: for handlers of equal priority, that order is the order they run in.
Nothing else lives here: what a page becomes is decided in ``scripts.build``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from mkdocs.plugins import CombinedEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads this file by path, not as scripts.*

from scripts.build import (  # noqa: E402
    edition,
    extras,
    learner,
    minify,
    nav,
    pages,
    search,
    svg,
    tables,
    tooltips,
    trainer_edition,
)

# pages first (it loads the model that the others read), minify last (it bundles what the others generated)
MODULES: tuple[ModuleType, ...] = (pages, extras, edition, search, svg, learner, trainer_edition, tooltips, tables,
                                   nav, minify)
EVENTS = ("config", "files", "env", "page_markdown", "page_content", "page_context", "post_page", "post_build")


def _combined(event: str) -> CombinedEvent:
    return CombinedEvent(*(getattr(m, f"on_{event}") for m in MODULES if hasattr(m, f"on_{event}")))


on_config = _combined("config")
on_files = _combined("files")
on_env = _combined("env")
on_page_markdown = _combined("page_markdown")
on_page_content = _combined("page_content")
on_page_context = _combined("page_context")
on_post_page = _combined("post_page")
on_post_build = _combined("post_build")
