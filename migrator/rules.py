"""The codemod's rewrite rules: one code each, so `--disable CODE` and the report can name them."""

from __future__ import annotations

from enum import StrEnum

from migrator.errors import UserError


class Rule(StrEnum):
    """A rewrite rule; the value is its code, `description` says what it does."""

    APP = "FF001"
    BLUEPRINT = "FF002"
    REGISTER = "FF003"
    RUN = "FF004"
    CLI = "FF005"
    ROUTE = "FF010"
    URL_RULE = "FF011"
    QUERY = "FF020"
    JSON_BODY = "FF021"
    FORM = "FF022"
    HEADERS = "FF023"
    RAW_BODY = "FF024"
    REQUEST_ATTRS = "FF025"
    JSONIFY = "FF030"
    RETURNS = "FF031"
    RESPONSE = "FF032"
    REDIRECT = "FF033"
    COOKIES = "FF035"
    ABORT = "FF040"
    ERROR_HANDLER = "FF041"
    HOOKS = "FF050"
    G = "FF051"
    CURRENT_APP = "FF052"
    GLOBALS = "FF060"
    CLASS_VIEW = "FF070"
    RESTFUL = "FF071"
    MARSHMALLOW = "FF072"
    CORS = "FF073"
    LOGIN = "FF074"
    EXTENSIONS = "FF075"
    SPEC_MODELS = "FF090"
    BODY_MODELS = "FF091"
    FALLBACK = "FF092"
    TEMPLATES = "FF080"
    URL_FOR = "FF081"
    SESSION = "FF082"
    FLASH = "FF083"
    TEST_CLIENT = "FF085"

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


DESCRIPTIONS: dict[Rule, str] = {
    Rule.APP: "Flask(...) → FastAPI() + flask_compat.install (Flask's HEAD/OPTIONS/405/errors)",
    Rule.BLUEPRINT: "Blueprint(name, url_prefix=) → APIRouter(prefix=, tags=[name])",
    Rule.REGISTER: "register_blueprint(bp, url_prefix=) → include_router(router, prefix=)",
    Rule.RUN: "app.run(host=, port=) → uvicorn.run(app, host=, port=)",
    Rule.CLI: "app.cli / `flask` / test_cli_runner → flask_commands.cli, python -m flask_cli",
    Rule.ROUTE: "@route/@get/... → @router.get/api_route; <int:x> → {x:int}, typed parameter",
    Rule.URL_RULE: "add_url_rule(rule, endpoint, view) → add_api_route(path, view, name=)",
    Rule.QUERY: "request.args.get/[]/getlist → query parameters (type= falls back to the default)",
    Rule.JSON_BODY: "request.get_json()/request.json → JSON body parameter (Flask's 400/415 kept)",
    Rule.FORM: "request.form/files → Form(...)/File(...) parameters (werkzeug FileStorage API)",
    Rule.HEADERS: "request.headers/cookies → Header(...)/Cookie(...) parameters",
    Rule.RAW_BODY: "request.data/get_data() → a raw-body dependency parameter",
    Rule.REQUEST_ATTRS: "request.method/path/url/host/remote_addr/... → request: Request",
    Rule.JSONIFY: "jsonify(...) → JSONResponse(...) serialising as Flask did",
    Rule.RETURNS: "view returns: (body, status[, headers]) and str → JSONResponse/HTMLResponse",
    Rule.RESPONSE: "make_response/Response(mimetype=)/stream_with_context → Starlette responses",
    Rule.REDIRECT: "redirect(url) → RedirectResponse(url, status_code=302)",
    Rule.COOKIES: "set_cookie(...) keeps Flask's defaults (samesite=None)",
    Rule.ABORT: "abort(code, msg)/raise NotFound() → raise HTTPException(status_code=, detail=)",
    Rule.ERROR_HANDLER: "@errorhandler(code|Exception) → flask_compat.errorhandler (Flask lookup)",
    Rule.HOOKS: "before/after/teardown_request hooks → flask_compat hooks (Flask order)",
    Rule.G: "g.x in views → request.state.x",
    Rule.CURRENT_APP: "current_app/app.config in views → request.app / app.state.config",
    Rule.GLOBALS: "request/g/current_app outside views → flask_compat request-scoped proxies",
    Rule.CLASS_VIEW: "MethodView/View + add_url_rule(as_view) → one route per method (flask_views)",
    Rule.RESTFUL: "flask-restful/restx Resource + add_resource → routes; returns JSON as before",
    Rule.MARSHMALLOW: "marshmallow Schema → a Pydantic v2 model beside it (schema kept)",
    Rule.CORS: "flask_cors.CORS(app, ...) → app.add_middleware(CORSMiddleware, ...)",
    Rule.LOGIN: "flask_login login_required/current_user → flask_views stubs (review)",
    Rule.EXTENSIONS: "other Flask extensions → reported with their FastAPI counterpart",
    Rule.SPEC_MODELS: "--spec: Pydantic models from the contract (api_models.py), its docs served",
    Rule.BODY_MODELS: "a JSON body model inferred from the keys a view reads (documentation)",
    Rule.FALLBACK: "routes left unsupported → served by the original Flask app (a2wsgi mount)",
    Rule.TEMPLATES: "render_template → templates.TemplateResponse(request, ...), Flask's Jinja env",
    Rule.URL_FOR: "url_for(endpoint, **values) → flask_compat.url_for (relative path, as Flask)",
    Rule.SESSION: "session in views → request.session (SessionMiddleware keyed by SECRET_KEY)",
    Rule.FLASH: "flash/get_flashed_messages → flask_templates' (messages kept in the session)",
    Rule.TEST_CLIENT: "app.test_client() tests → TestClient tests (params=, rv.json(), ...)",
}


def parse_rules(values: list[str] | None) -> frozenset[Rule]:
    """Rules named on the command line by code (FF020) or slug (query); a user error if unknown."""
    chosen: set[Rule] = set()
    for value in values or []:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            match = [r for r in Rule if item.upper() == r.value or item.lower() == r.slug]
            if not match:
                known = ", ".join(r.value for r in Rule)
                raise UserError(f"unknown rule {item!r} (known: {known}; see `migrate rules`)")
            chosen.add(match[0])
    return frozenset(chosen)
