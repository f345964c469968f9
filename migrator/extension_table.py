"""Flask extensions the codemod does not convert, and what to use instead in FastAPI.

Data, not logic: the extensions concern reports an import of one of these modules with the
suggestion, once per file. Extensions the codemod does convert (flask_cors, flask_login,
flask_restful, flask_restx) are not listed here.
"""

from __future__ import annotations

# import name → (distribution, the FastAPI/Starlette counterpart)
EXTENSIONS: dict[str, tuple[str, str]] = {
    "flask_sqlalchemy": (
        "Flask-SQLAlchemy",
        "SQLAlchemy 2.0 itself: a sessionmaker and a `SessionDep` dependency that yields a "
        "session (commit/rollback); models on `DeclarativeBase`",
    ),
    "flask_migrate": ("Flask-Migrate", "Alembic directly (the migrations folder is Alembic's)"),
    "flask_limiter": ("Flask-Limiter", "slowapi (`Limiter`, `@limiter.limit` on routes)"),
    "flask_wtf": (
        "Flask-WTF",
        "`Form()` parameters or a Pydantic model for forms; CSRF with a middleware "
        "(starlette-csrf or a double-submit cookie)",
    ),
    "flask_babel": (
        "Flask-Babel",
        "babel with a locale dependency (Accept-Language) and Jinja2's i18n extension",
    ),
    "flask_caching": ("Flask-Caching", "fastapi-cache2 (`@cache` on routes) or cachetools"),
    "flask_mail": ("Flask-Mail", "fastapi-mail, or aiosmtplib / smtplib in a BackgroundTask"),
    "flask_jwt_extended": (
        "Flask-JWT-Extended",
        "PyJWT with `fastapi.security.HTTPBearer` / `OAuth2PasswordBearer` dependencies",
    ),
    "flask_httpauth": ("Flask-HTTPAuth", "`HTTPBasic` / `HTTPBearer` dependencies"),
    "flask_marshmallow": ("flask-marshmallow", "Pydantic models (see the marshmallow rule)"),
    "flask_smorest": ("flask-smorest", "FastAPI's OpenAPI from route signatures and models"),
    "flask_apispec": ("flask-apispec", "FastAPI's OpenAPI from route signatures and models"),
    "flasgger": ("Flasgger", "FastAPI's built-in /docs and /openapi.json"),
    "flask_socketio": ("Flask-SocketIO", "FastAPI WebSocket routes or python-socketio's ASGIApp"),
    "flask_compress": ("Flask-Compress", "`starlette.middleware.gzip.GZipMiddleware`"),
    "flask_talisman": (
        "Flask-Talisman",
        "a security-headers middleware and `HTTPSRedirectMiddleware`",
    ),
    "flask_session": (
        "Flask-Session",
        "Starlette's `SessionMiddleware` (signed cookie) or starsessions (server side)",
    ),
    "flask_admin": ("Flask-Admin", "sqladmin"),
    "flask_security": ("Flask-Security", "fastapi-users"),
    "flask_principal": ("Flask-Principal", "permission dependencies on the routes"),
    "flask_bcrypt": ("Flask-Bcrypt", "bcrypt or passlib directly (no Flask needed)"),
    "flask_redis": ("Flask-Redis", "a `redis.asyncio` client created in the app's lifespan"),
    "flask_pymongo": ("Flask-PyMongo", "pymongo / motor clients created in the app's lifespan"),
    "flask_apscheduler": ("Flask-APScheduler", "APScheduler started in the app's lifespan"),
    "flask_executor": ("Flask-Executor", "`BackgroundTasks` or `anyio.to_thread.run_sync`"),
    "flask_assets": ("Flask-Assets", "webassets at build time; `StaticFiles` to serve them"),
    "flask_debugtoolbar": ("Flask-DebugToolbar", "fastapi-debug-toolbar (development only)"),
    "flask_seasurf": ("Flask-SeaSurf", "a CSRF middleware (starlette-csrf)"),
    "flask_moment": ("Flask-Moment", "the same moment.js include in your Jinja2 templates"),
    "flask_bootstrap": ("Flask-Bootstrap", "the Bootstrap assets linked from your templates"),
}


def suggestion_for(module: str) -> str | None:
    """The report line for an import of `module` (or one of its submodules), if listed."""
    top = module.split(".")[0]
    found = EXTENSIONS.get(top)
    if found is None:
        return None
    distribution, counterpart = found
    return f"{distribution} ({top}) is not converted: in FastAPI use {counterpart}"
