"""MkDocs hook: the project's own scripts served as one minified file; scripts and stylesheet minified in the site.

- on_files, last of all (after ``scripts/build/pages.py`` has generated ``course-index.js``): the plain classic scripts
  listed under ``extra_javascript`` (ours: not vendored, not ``.min.``, not a module, not async) are joined in
  their listed order into one file, minified with ``rjsmin``, named after its content
  (``assets/javascripts/partenariat.<hash>.min.js``, so that a browser may keep it: a new build gives a new name),
  and pages link that one file in their place. Each script keeps its own ``try``: one that fails stops only
  itself, as when each had its own ``<script>`` (the error is still thrown, asynchronously, for the console).
  One file instead of twelve: one request per page, and gzip shares one dictionary between the scripts. An
  empty script follows it (``END_SCRIPT``), so that our start-up is not part of Material's long task.
- The scripts that work only on elements few pages hold (``PAGE_SCRIPTS``: « Mon parcours », the final's sealed
  form, matching and written questions, the trainers' form…) are left out of that file: a page whose HTML holds one
  of a script's markers gets one more file of the same kind (on_post_page), holding those of its scripts in their
  listed order, linked after the shared one and written at on_post_build; pages with the same scripts share it.
- on_post_build, last of all (after the search and offline plugins and the other hooks): every listed script and
  stylesheet of ours is rewritten in place, minified (``rjsmin``, comments and whitespace removed, code
  untouched; ``rcssmin``). The scripts stay in the site on their own for what loads them one by one (the SCORM
  launcher loads ``course-index.js`` and ``store.js``). Vendored files and files already ``.min.`` are left as
  shipped. The sources in ``docs/`` stay readable; only the output is minified, so ``mkdocs serve``, the offline
  bundle and ``file://`` get the same code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

BUNDLE_DIR = "assets/javascripts"
BUNDLE_STEM = "partenariat"
# Chromium runs each deferred script in a task of its own, except the last one, whose task also fires
# DOMContentLoaded, where Material's start-up runs (the longest task of a page load). This empty script comes
# last, so our start-up (35-70 ms at a phone's 4x CPU slowdown, measured) keeps a task of its own, off that one.
END_SCRIPT = f"{BUNDLE_DIR}/{BUNDLE_STEM}-fin.js"
END_CONTENT = "/* Empty on purpose: see scripts/build/minify.py (END_SCRIPT). */\n"
# Scripts that only pages holding one of their markers (the elements they work on) run; every other listed script
# of ours is on every page. parcours.js also gives the final's page its result (quiz.js's .final-result).
PAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    f"{BUNDLE_DIR}/quiz-extra.js": ('data-type="associer"', 'data-type="ordonner"'),
    f"{BUNDLE_DIR}/redaction.js": ('data-type="redaction"',),
    f"{BUNDLE_DIR}/parcours.js": ('id="parcours"', 'class="final-result"'),
    f"{BUNDLE_DIR}/practice.js": ("data-practice",),
    f"{BUNDLE_DIR}/attestation.js": ('id="attestation"',),
    f"{BUNDLE_DIR}/assign-form.js": ('id="pt-assign-form"',),
    f"{BUNDLE_DIR}/releve.js": ('id="pt-report"',),
    f"{BUNDLE_DIR}/final.js": ('id="pt-final"', 'id="parcours"'),
}
_state: dict[str, Any] = {}


def _own(name: str) -> bool:
    """A local file of ours: not on another host, not vendored, not already minified."""
    return "://" not in name and "/vendor/" not in f"/{name}" and ".min." not in name


def bundled(script: Any) -> bool:
    """Whether an ``extra_javascript`` entry goes into the one file: ours, a plain classic script."""
    return (_own(str(getattr(script, "path", script)))
            and not getattr(script, "type", "") and not getattr(script, "async_", False))


def bundle_source(parts: list[tuple[str, str]]) -> str:
    """The scripts ``(name, code)`` joined in order, each in its own ``try``, minified."""
    wrapped = [f"/* {name} */\ntry {{\n{code}\n}} catch (error) {{ setTimeout(function () {{ throw error; }}); }}\n"
               for name, code in parts]
    return rjsmin.jsmin("".join(wrapped)) + "\n"


@event_priority(-100)  # after scripts/build/pages.py generated course-index.js
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Join our scripts into one minified file; pages link it in their place."""
    scripts = [script for script in config.extra_javascript if bundled(script)]
    _state["scripts"] = [str(getattr(script, "path", script)) for script in scripts]
    if not scripts:
        return files
    parts = []
    for name in _state["scripts"]:
        file = files.get_file_from_path(name)
        if file is None:
            raise PluginError(f"mkdocs.yml: extra_javascript lists {name!r}, which is not a file of docs/")
        parts.append((name, file.content_string))
    shared = [(n, code) for n, code in parts if n not in PAGE_SCRIPTS]
    content = bundle_source(shared)
    name = _name(BUNDLE_STEM, content)
    files.append(File.generated(config, name, content=content))
    _state["parts"] = [(n, code) for n, code in parts if n in PAGE_SCRIPTS]
    _state["pages"] = {}  # the page-scoped scripts a page calls for → (file name, content), each set minified once
    files.append(File.generated(config, END_SCRIPT, content=END_CONTENT))
    first = config.extra_javascript.index(scripts[0])
    kept = [script for script in config.extra_javascript if script not in scripts]
    config.extra_javascript[:] = [*kept[:first], ExtraScriptValue(name), ExtraScriptValue(END_SCRIPT), *kept[first:]]
    return files


def _name(stem: str, content: str) -> str:
    """``stem.<content hash>.min.js`` in the scripts' folder: a new content gets a new name."""
    return f"{BUNDLE_DIR}/{stem}.{hashlib.sha256(content.encode('utf-8')).hexdigest()[:8]}.min.js"


def page_scripts(html: str) -> list[str]:
    """The page-scoped scripts (``PAGE_SCRIPTS``) a page's HTML calls for, in their listed order."""
    return [name for name, _ in _state.get("parts", []) if any(m in html for m in PAGE_SCRIPTS[name])]


@event_priority(-100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Link the scripts this page calls for after the shared file, before the empty last one."""
    wanted = tuple(page_scripts(output))
    if not wanted:
        return output
    if wanted not in _state["pages"]:
        content = bundle_source([(n, code) for n, code in _state["parts"] if n in wanted])
        _state["pages"][wanted] = (_name(f"{BUNDLE_STEM}-page", content), content)
    own = _state["pages"][wanted][0]
    end = f'<script src="{get_relative_url(END_SCRIPT, page.url)}"></script>'
    if end not in output:
        raise PluginError(f"{page.file.src_uri}: no {END_SCRIPT} script to link {own} before")
    return output.replace(end, f'<script src="{get_relative_url(own, page.url)}"></script>\n    {end}', 1)


def own_assets(config: MkDocsConfig) -> list[Path]:
    """The built files of the project's own scripts (those bundled too) and stylesheet (not vendored, not ``.min.``)."""
    site = Path(config.site_dir)
    names = [*_state.get("scripts", []), *(str(getattr(s, "path", s)) for s in config.extra_javascript),
             *config.extra_css]
    return [site / name for name in dict.fromkeys(names) if _own(name) and (site / name).is_file()]


def minify(path: Path) -> None:
    """Minify one built ``.js`` or ``.css`` file in place."""
    text = path.read_text(encoding="utf-8")
    small = rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)
    path.write_text(small + "\n", encoding="utf-8")


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Minify the project's scripts and stylesheet in the output folder; write the page bundles linked."""
    for name, content in _state.get("pages", {}).values():
        (Path(config.site_dir) / name).write_text(content, encoding="utf-8")
    for path in own_assets(config):
        minify(path)
