"""Explicit cases: behaviour clients rely on that neither the contract nor generation reaches.

Each family is derived from the contract's paths, sent to both apps and compared strictly
(same status, media type, compared headers with `Allow` as a set, same body):

- trailing slash: every GET path asked with a `/` appended;
- HEAD and OPTIONS on every GET route;
- 405: every path asked with a method it does not declare;
- malformed JSON, and a JSON body sent as `text/plain`, to every operation with a JSON body;
- missing auth and an unknown token, on every secured operation;
- negative id: `-1` in every integer path parameter;
- id sweep: every operation with integer path parameters, for ids 1..N (the seeded range),
  which is where one tenant would reach another tenant's rows;
- links round trip: every operation with links, sent a minimal request (ids 1, `{}` or a
  small file), then each GET its links lead to, built from each app's own answer (an
  upload, then its download).

Both apps are reset before each family and after any mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tests.apps import AppUnderTest
from contract_tests.differential import Verdict, compare
from contract_tests.openapi_diff import HTTP_METHODS, resolve_refs, type_set
from contract_tests.results import Finding, OperationResult, Suite
from contract_tests.runner import blocking_rows, reset
from contract_tests.transport import Exchange, RawRequest, send, with_headers

DEFAULT_SWEEP = range(1, 11)
_BOUNDARY = "contract-tests-boundary"
_MULTIPART = (
    f"--{_BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="file"; filename="note.txt"\r\n'
    "Content-Type: text/plain\r\n\r\nhello\r\n"
    f"--{_BOUNDARY}--\r\n"
).encode()
_NOT_DECLARED_ORDER = ("put", "delete", "patch", "post", "get")


@dataclass(frozen=True)
class ExplicitCase:
    """A request, and optionally the request to send next, built from the first answer."""

    family: str
    request: RawRequest
    authenticated: bool = True
    then: Callable[[Exchange], RawRequest | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    definition: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]
    secured: bool

    def path_params(self) -> list[Mapping[str, Any]]:
        return [p for p in self.parameters if p.get("in") == "path"]

    def json_body(self) -> bool:
        content = (self.definition.get("requestBody") or {}).get("content") or {}
        return any(t == "application/json" or t.endswith("+json") for t in content)

    def multipart_body(self) -> bool:
        content = (self.definition.get("requestBody") or {}).get("content") or {}
        return any(t.startswith("multipart/") for t in content)


def _operations(document: Mapping[str, Any]) -> list[_Operation]:
    found = []
    default_security = document.get("security") or []
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            definition = item[method]
            merged: dict[tuple[str, str], Mapping[str, Any]] = {}
            for param in [*(item.get("parameters") or []), *(definition.get("parameters") or [])]:
                merged[(param["in"], param["name"])] = param
            security = definition.get("security", default_security)
            secured = bool(security) and all(requirement for requirement in security)
            found.append(_Operation(method, path, definition, tuple(merged.values()), secured))
    return found


def _is_integer(param: Mapping[str, Any]) -> bool:
    return "integer" in type_set(param.get("schema") or {})


def _fill(op: _Operation, ids: Mapping[str, str] | None = None) -> str:
    """The path with every parameter filled: a given value, 1 for integers, else `x.txt`."""
    values = dict(ids or {})
    for param in op.path_params():
        values.setdefault(param["name"], "1" if _is_integer(param) else "missing.txt")
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "1"), op.path)


def _body_for(op: _Operation) -> tuple[tuple[tuple[str, str], ...], bytes]:
    if op.json_body():
        return (("Content-Type", "application/json"),), b"{}"
    if op.multipart_body():
        return (("Content-Type", f"multipart/form-data; boundary={_BOUNDARY}"),), _MULTIPART
    return (), b""


def build_cases(
    document: Mapping[str, Any], *, sweep: range = DEFAULT_SWEEP
) -> dict[str, list[ExplicitCase]]:
    """Family name → its cases, all derived from the contract."""
    ops = _operations(resolve_refs(document))
    families: dict[str, list[ExplicitCase]] = {}

    def add(
        family: str,
        request: RawRequest,
        *,
        authenticated: bool = True,
        then: Callable[[Exchange], RawRequest | None] | None = None,
    ) -> None:
        families.setdefault(family, []).append(ExplicitCase(family, request, authenticated, then))

    gets = [op for op in ops if op.method == "get"]
    for op in gets:
        add("trailing slash", RawRequest("GET", _fill(op) + "/"))
        add("HEAD on GET routes", RawRequest("HEAD", _fill(op)))
        add("OPTIONS on GET routes", RawRequest("OPTIONS", _fill(op)))
    by_path: dict[str, list[_Operation]] = {}
    for op in ops:
        by_path.setdefault(op.path, []).append(op)
    for path_ops in by_path.values():
        declared = {op.method for op in path_ops}
        missing = next((m for m in _NOT_DECLARED_ORDER if m not in declared), None)
        if missing is not None:
            headers, body = _body_for(path_ops[0])
            add("405 with Allow", RawRequest(missing.upper(), _fill(path_ops[0]), headers, body))
    for op in ops:
        target = _fill(op)
        if op.json_body():
            add(
                "malformed JSON",
                RawRequest(
                    op.method.upper(), target, (("Content-Type", "application/json"),), b'{"name": '
                ),
            )
            add(
                "wrong content type",
                RawRequest(op.method.upper(), target, (("Content-Type", "text/plain"),), b"{}"),
            )
        if op.secured:
            headers, body = _body_for(op)
            add(
                "missing auth",
                RawRequest(op.method.upper(), target, headers, body),
                authenticated=False,
            )
            unknown = (*headers, ("Authorization", "Bearer not-a-known-token"))
            add(
                "missing auth",
                RawRequest(op.method.upper(), target, unknown, body),
                authenticated=False,
            )
        int_params = [p["name"] for p in op.path_params() if _is_integer(p)]
        if int_params:
            headers, body = _body_for(op)
            for name in int_params:
                add(
                    "negative id",
                    RawRequest(op.method.upper(), _fill(op, {name: "-1"}), headers, body),
                )
            for value in sweep:
                ids = {name: str(value) for name in int_params}
                add("id sweep", RawRequest(op.method.upper(), _fill(op, ids), headers, body))
    by_id = {op.definition.get("operationId"): op for op in ops}
    for op in ops:
        for status, response in (op.definition.get("responses") or {}).items():
            for link in ((response or {}).get("links") or {}).values():
                linked = by_id.get(link.get("operationId"))
                if linked is None or linked.method != "get" or not str(status).isdigit():
                    continue
                headers, body = _body_for(op)
                first = RawRequest(op.method.upper(), _fill(op), headers, body)
                follow = _link_follower(op, linked, int(status), link.get("parameters") or {})
                add("links round trip", first, then=follow)
    # Safe reads before writes, so a sweep's DELETE does not hide what a GET would show.
    order = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "PATCH": 1, "POST": 2, "PUT": 2, "DELETE": 3}
    families["id sweep"] = sorted(
        families.get("id sweep", []), key=lambda c: order.get(c.request.method, 2)
    )
    return families


def _link_follower(
    source: _Operation, target: _Operation, status: int, parameters: Mapping[str, str]
) -> Callable[[Exchange], RawRequest | None]:
    """Build the link's GET from an app's answer to the source request (None: no link)."""
    source_values = {
        p["name"]: "1" if _is_integer(p) else "missing.txt" for p in source.path_params()
    }

    def follow(exchange: Exchange) -> RawRequest | None:
        if exchange.response.status != status:
            return None
        values: dict[str, str] = {}
        for name, expression in parameters.items():
            if expression.startswith("$request.path."):
                values[name] = source_values.get(expression.removeprefix("$request.path."), "")
            elif expression.startswith("$response.body#/"):
                try:
                    node: Any = exchange.response.json()
                    for part in expression.removeprefix("$response.body#/").split("/"):
                        node = node[int(part)] if isinstance(node, list) else node[part]
                except (ValueError, KeyError, IndexError, TypeError):
                    return None
                values[name] = str(node)
        return RawRequest("GET", _fill(target, values))

    return follow


def run_explicit(
    document: Mapping[str, Any],
    *,
    new: AppUnderTest,
    legacy: AppUnderTest | None,
    headers: Mapping[str, str],
    families: Callable[[str], bool] = lambda family: True,
) -> list[OperationResult]:
    """One row per family. Without a legacy app, only `the new app never answers 5xx` holds."""
    rows = []
    for family, family_cases in build_cases(document).items():
        if not families(family):
            continue
        row = OperationResult(Suite.EXPLICIT, family)
        reset(legacy, new)
        for case in family_cases:
            row.record_case(list(_case_findings(case, new, legacy, headers)))
        rows.append(row)
    rows.extend(blocking_rows(new, "explicit cases"))
    return rows


def _case_findings(
    case: ExplicitCase, new: AppUnderTest, legacy: AppUnderTest | None, headers: Mapping[str, str]
) -> Iterator[Finding]:
    request = with_headers(case.request, headers) if case.authenticated else case.request
    try:
        new_exchange = send(new, request)
    except Exception as error:
        yield Finding(
            "explicit",
            f"the new app raised {type(error).__name__}: {request.method} {request.target}",
            str(error),
        )
        return
    if legacy is None:
        if new_exchange.response.status >= 500:
            title = (
                f"{case.family}: {request.method} {request.target} → {new_exchange.response.status}"
            )
            yield Finding("explicit", title, title)
        return
    legacy_exchange = send(legacy, request)
    comparison = compare(legacy_exchange, new_exchange, forbidden=False)
    if comparison.verdict is Verdict.MISMATCH:
        title = f"{comparison.summary}: {request.method} {request.target}"
        yield Finding("explicit", title, comparison.describe())
        reset(legacy, new)
        return
    if case.then is None:
        return
    legacy_next, new_next = case.then(legacy_exchange), case.then(new_exchange)
    if legacy_next is None or new_next is None:
        return
    extra = headers if case.authenticated else {}
    comparison = compare(
        send(legacy, with_headers(legacy_next, extra)),
        send(new, with_headers(new_next, extra)),
        forbidden=False,
    )
    if comparison.verdict is Verdict.MISMATCH:
        title = (
            f"{comparison.summary}: {request.method} {request.target}, "
            f"then {new_next.method} {new_next.target}"
        )
        yield Finding("explicit", title, comparison.describe())
        reset(legacy, new)
