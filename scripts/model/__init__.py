"""The course model: lessons (front matter, nav order) and the question bank, validated; no engine, no HTML."""
