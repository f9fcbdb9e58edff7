"""The one MkDocs (and ProperDocs) entry point: ``hooks: [scripts/engines/mkdocs_hooks.py]`` in mkdocs.yml.

It adds the course's Python-Markdown extension (``scripts.build.mdext``, which other engines list in their own
configuration) and registers the build modules' event handlers, each with its own priority (``mkdocs.plugins.CombinedEvent``), in
the order the modules are listed in ``MODULES``: for handlers of equal priority, that order is the order they run in.
Nothing else lives here: what a page becomes is decided in ``scripts.build``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads this file by path, not as scripts.*

from scripts.build import (  # noqa: E402
    edition,
    extras,
    learner,
    mdext,
    minify,
    nav,
    pages,
    search,
    svg,
    tooltips,
    trainer_edition,
)

# pages first (it loads the model that the others read), minify last (it bundles what the others generated)
MODULES: tuple[ModuleType, ...] = (pages, extras, edition, search, svg, learner, trainer_edition, tooltips, nav,
                                   minify)
EVENTS = ("config", "files", "env", "page_markdown", "page_content", "page_context", "post_page", "post_build")


def _combined(event: str, *first: Callable[..., Any]) -> CombinedEvent:
    return CombinedEvent(*first, *(getattr(m, f"on_{event}") for m in MODULES if hasattr(m, f"on_{event}")))


def _markdown_extension(config: MkDocsConfig) -> MkDocsConfig:
    """The course's own Python-Markdown extension (lesson frame, quizzes, questions), fresh for each build."""
    mdext.reset()
    # MkDocs hands this list to Python-Markdown, which takes Extension instances as well as names
    extensions: list[Any] = [e for e in config.markdown_extensions if not isinstance(e, mdext.CourseExtension)]
    extension = mdext.CourseExtension(sealed_final=bool(config.extra.get("sealed_final")))
    config.markdown_extensions = [*extensions, extension]  # type: ignore[list-item]
    return config


on_config = _combined("config", _markdown_extension)
on_files = _combined("files")
on_env = _combined("env")
on_page_markdown = _combined("page_markdown")
on_page_content = _combined("page_content")
on_page_context = _combined("page_context")
on_post_page = _combined("post_page")
on_post_build = _combined("post_build")
