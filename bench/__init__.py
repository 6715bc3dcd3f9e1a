"""Issue #17's benchmark of Razem at regional scale (bench/README.md)."""
