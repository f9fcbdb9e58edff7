"""The site build: the course model turned into pages.

Objectives box, questions, checklists, glossary, diagrams, search, trainers' pages, minified assets. Each
module keeps its MkDocs events; one entry point registers them all (``scripts/engines/mkdocs_hooks.py``).
"""
