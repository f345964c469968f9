"""The invoicing service rewritten the FastAPI way; see docs/reference_app.md."""
