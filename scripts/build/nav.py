"""MkDocs hook: a per-build cache for the navigation links of overrides/partials/nav-item.html.

Material renders the whole navigation into every page; a link to another page comes out the same on every page of
one folder (its address is relative to the folder), so the template renders it once per folder and reuses it. The
cache lives in the Jinja environment of one build (``on_env`` runs at each build, also under ``mkdocs serve``).
"""

from __future__ import annotations

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Give the templates an empty link cache for this build."""
    env.globals["nav_links"] = {}
    return env
