"""Engine adapters: the thin glue between the build (``scripts.build``) and a site generator."""
