# syntax=docker/dockerfile:1
# The reference FastAPI service: gunicorn with uvicorn workers, as a non-root user.
#
#   docker build -t invoicing-reference .
#   docker run --rm -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@db:5432/invoices invoicing-reference
#
# Only the reference service goes in: the dependencies of `.[reference]` and the
# reference_app package (no Flask, no legacy_app, no toolkit code).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first, read from pyproject.toml: this layer is rebuilt only when it changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['reference']))" \
        > requirements.txt \
    && pip install -r requirements.txt

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    BIND=0.0.0.0:8000
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app reference_app/ ./reference_app/
# The SQLite default and uploaded files live in /app/instance; mount a volume there.
RUN mkdir instance && chown app:app instance
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["gunicorn", "-c", "reference_app/gunicorn.conf.py", "reference_app.main:app"]
