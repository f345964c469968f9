"""Templates of the support module a migrated project receives (read as text, not imported)."""
