"""Build helpers for the Partenariat course (course model, question bank, MkDocs hooks)."""
