"""reference_app."""
