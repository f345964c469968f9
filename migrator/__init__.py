"""Flask → FastAPI migration toolkit: codemod, blocking-call checker, contract tests, bench."""

__version__ = "0.1.0"
