"""Compare a new app's OpenAPI document with the legacy contract and list what breaks clients.

The legacy contract is what clients were promised. Requests are compared contravariantly
(the new app must accept at least what the contract allowed: no new required parameter,
no narrower type or bound) and responses covariantly (the new app may promise only what the
contract promised: no new status code, no property that may go missing, no wider type, no
field the contract forbade). Local `$ref`s are resolved on both sides first.

What is compared, as the contract tests' issue lists it: operations; parameters (location,
name, required, type, bounds); request bodies (media types, required properties, types);
responses (status set, headers the contract requires, required properties, types,
properties the contract forbids); security.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})

Schema = Mapping[str, Any]


class Severity(enum.StrEnum):
    BREAKING = "breaking"
    ADDITION = "addition"


@dataclass(frozen=True)
class Change:
    """One difference: where it is, what it is, and whether it breaks clients."""

    severity: Severity
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class SpecDiff:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity is Severity.BREAKING]

    @property
    def additions(self) -> list[Change]:
        return [c for c in self.changes if c.severity is Severity.ADDITION]

    @property
    def ok(self) -> bool:
        return not self.breaking


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> SpecDiff:
    """Compare `new` (the new app's document) against `old` (the legacy contract)."""
    differ = _Differ(resolve_refs(old), resolve_refs(new))
    differ.compare()
    return SpecDiff(differ.changes)


def resolve_refs(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `document` with every local `$ref` replaced by what it points at.

    A reference cycle is left as its `$ref` at the point it would recurse.
    """

    def lookup(ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    def walk(node: Any, active: tuple[str, ...]) -> Any:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref in active:
                    return dict(node)
                target = walk(lookup(ref), (*active, ref))
                siblings = {k: walk(v, active) for k, v in node.items() if k != "$ref"}
                return {**target, **siblings} if isinstance(target, dict) else target
            return {key: walk(value, active) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item, active) for item in node]
        return node

    resolved: dict[str, Any] = walk(document, ())
    return resolved


# --- schema helpers ----------------------------------------------------------------------


def type_set(schema: Schema) -> frozenset[str]:
    """The JSON types a schema admits; every type when it says nothing."""
    if not schema:
        return JSON_TYPES
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            types: set[str] = set()
            for branch in schema[combinator]:
                types |= type_set(branch)
            return frozenset(types)
    if "allOf" in schema:
        result = JSON_TYPES
        for branch in schema["allOf"]:
            result &= type_set(branch)
        return result
    if "const" in schema:
        return frozenset({_json_type(schema["const"])})
    if "enum" in schema and "type" not in schema:
        return frozenset(_json_type(v) for v in schema["enum"])
    declared = schema.get("type")
    if declared is None:
        return JSON_TYPES
    types = {declared} if isinstance(declared, str) else set(declared)
    if schema.get("nullable") is True:  # OpenAPI 3.0
        types.add("null")
    return frozenset(types)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _accepts(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Whether every value of the `narrow` types is a value of the `wide` types."""
    missing = set(narrow - wide)
    if "number" in wide:
        missing.discard("integer")
    return not missing


def non_null_branch(schema: Schema) -> Schema:
    """`anyOf: [X, {type: null}]` (Pydantic's Optional) → X; anything else unchanged."""
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list):
            real = [b for b in branches if type_set(b) != frozenset({"null"})]
            if len(real) == 1 and isinstance(real[0], Mapping):
                return real[0]
    return schema


def _fmt_types(types: frozenset[str]) -> str:
    return "any" if types == JSON_TYPES else "|".join(sorted(types))


def _path_key(path: str) -> str:
    """`/clients/{client_id}` and `/clients/{id}` name the same route."""
    return re.sub(r"\{[^}]+\}", "{}", path)


# --- the comparison ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    body: Mapping[str, Any]
    path_item: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _operations(document: Mapping[str, Any]) -> dict[tuple[str, str], _Operation]:
    found: dict[tuple[str, str], _Operation] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method in item:
                found[(method, _path_key(path))] = _Operation(method, path, item[method], item)
    return found


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []

    def breaking(self, where: str, message: str) -> None:
        self.changes.append(Change(Severity.BREAKING, where, message))

    def addition(self, where: str, message: str) -> None:
        self.changes.append(Change(Severity.ADDITION, where, message))

    def compare(self) -> None:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key, old_op in old_ops.items():
            new_op = new_ops.get(key)
            if new_op is None:
                self.breaking(old_op.label, "operation is missing")
                continue
            self.compare_operation(old_op, new_op)
        for key, new_op in new_ops.items():
            if key not in old_ops:
                self.addition(new_op.label, "new operation")

    def compare_operation(self, old: _Operation, new: _Operation) -> None:
        where = old.label
        self.compare_parameters(where, old, new)
        self.compare_request_body(where, old.body.get("requestBody"), new.body.get("requestBody"))
        self.compare_responses(
            where, old.body.get("responses") or {}, new.body.get("responses") or {}
        )
        self.compare_security(where, old, new)

    # parameters

    def compare_parameters(self, where: str, old: _Operation, new: _Operation) -> None:
        old_params, new_params = _parameters(old), _parameters(new)
        for key, old_param in old_params.items():
            label = f"{where} > {key[0]} parameter `{key[1]}`"
            new_param = new_params.get(key)
            if new_param is None:
                self.breaking(label, "missing: the new app would ignore or refuse it")
                continue
            if new_param.get("required", False) and not old_param.get("required", False):
                self.breaking(label, "now required")
            elif old_param.get("required", False) and not new_param.get("required", False):
                self.addition(label, "now optional")
            self.compare_request_schema(
                label, old_param.get("schema") or {}, new_param.get("schema") or {}, bounds=True
            )
        for key, new_param in new_params.items():
            if key not in old_params:
                label = f"{where} > {key[0]} parameter `{key[1]}`"
                if new_param.get("required", False):
                    self.breaking(label, "new required parameter")
                else:
                    self.addition(label, "new optional parameter")

    # request bodies

    def compare_request_body(self, where: str, old: Any, new: Any) -> None:
        label = f"{where} > request body"
        if not old:
            if new and new.get("required", False):
                self.breaking(label, "new required request body")
            elif new:
                self.addition(label, "new optional request body")
            return
        if not new:
            self.breaking(label, "missing: the new app does not read a body")
            return
        if new.get("required", False) and not old.get("required", False):
            self.breaking(label, "now required")
        old_content, new_content = old.get("content") or {}, new.get("content") or {}
        for media_type, old_media in old_content.items():
            new_media = new_content.get(media_type)
            if new_media is None:
                self.breaking(f"{label} ({media_type})", "media type no longer accepted")
                continue
            self.compare_request_schema(
                f"{label} ({media_type})",
                old_media.get("schema") or {},
                new_media.get("schema") or {},
                bounds=False,
            )
        for media_type in new_content:
            if media_type not in old_content:
                self.addition(f"{label} ({media_type})", "new media type accepted")

    def compare_request_schema(self, where: str, old: Schema, new: Schema, *, bounds: bool) -> None:
        """The new schema must accept every value the old one accepted."""
        old_types, new_types = type_set(old), type_set(new)
        if not _accepts(new_types, old_types):
            self.breaking(
                where, f"type narrowed from {_fmt_types(old_types)} to {_fmt_types(new_types)}"
            )
        elif old_types != new_types:
            self.addition(
                where, f"type widened from {_fmt_types(old_types)} to {_fmt_types(new_types)}"
            )
        old_core, new_core = non_null_branch(old), non_null_branch(new)
        if bounds:
            self.compare_bounds(where, old_core, new_core)
        if "object" in old_types and "object" in new_types:
            self.compare_request_object(where, old_core, new_core)
        if "array" in old_types and "array" in new_types:
            self.compare_request_schema(
                f"{where}[]",
                old_core.get("items") or {},
                new_core.get("items") or {},
                bounds=bounds,
            )

    def compare_request_object(self, where: str, old: Schema, new: Schema) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or ()), set(new.get("required") or ())
        for name in sorted(new_required - old_required):
            self.breaking(f"{where}.{name}", "now required")
        for name, old_schema in old_props.items():
            if name not in new_props:
                self.breaking(f"{where}.{name}", "property missing: the new app would ignore it")
                continue
            self.compare_request_schema(
                f"{where}.{name}", old_schema, new_props[name], bounds=False
            )
        for name in new_props:
            if name not in old_props:
                self.addition(f"{where}.{name}", "new property accepted")

    def compare_bounds(self, where: str, old: Schema, new: Schema) -> None:
        """Parameter bounds: the new app must not refuse values the contract allowed."""
        for key in ("minimum", "exclusiveMinimum", "minLength", "minItems"):
            self._compare_bound(where, key, old.get(key), new.get(key), raised_is_narrower=True)
        for key in ("maximum", "exclusiveMaximum", "maxLength", "maxItems"):
            self._compare_bound(where, key, old.get(key), new.get(key), raised_is_narrower=False)
        for key in ("pattern", "format"):
            if new.get(key) is not None and new.get(key) != old.get(key):
                self.breaking(where, f"{key} changed from {old.get(key)!r} to {new.get(key)!r}")
            elif old.get(key) is not None and new.get(key) is None:
                self.addition(where, f"{key} {old.get(key)!r} no longer enforced")
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if new_enum is not None:
            lost = [v for v in (old_enum or []) if v not in new_enum]
            if old_enum is None or lost:
                self.breaking(where, f"enum narrowed: {lost or 'now restricted'}")
            elif len(new_enum) > len(old_enum):
                self.addition(where, "enum widened")

    def _compare_bound(
        self, where: str, key: str, old: Any, new: Any, *, raised_is_narrower: bool
    ) -> None:
        if new is None or isinstance(new, bool) or isinstance(old, bool):
            if old is not None and new is None:
                self.addition(where, f"{key} {old} no longer enforced")
            return
        if old is None:
            self.breaking(where, f"new bound {key}={new}")
        elif (new > old) if raised_is_narrower else (new < old):
            self.breaking(where, f"{key} narrowed from {old} to {new}")
        elif new != old:
            self.addition(where, f"{key} relaxed from {old} to {new}")

    # responses

    def compare_responses(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for status, old_response in old.items():
            label = f"{where} > response {status}"
            new_response = new.get(status)
            if new_response is None:
                self.breaking(label, "no longer declared")
                continue
            self.compare_response(label, old_response, new_response)
        for status in new:
            if status not in old:
                self.breaking(f"{where} > response {status}", "declared, but not in the contract")

    def compare_response(self, where: str, old: Schema, new: Schema) -> None:
        old_headers, new_headers = _lower_keys(old.get("headers")), _lower_keys(new.get("headers"))
        for name, header in old_headers.items():
            if header.get("required", False) and not new_headers.get(name, {}).get(
                "required", False
            ):
                self.breaking(f"{where} > header {name}", "required by the contract, not promised")
        old_content, new_content = old.get("content") or {}, new.get("content") or {}
        for media_type, new_media in new_content.items():
            old_media = old_content.get(media_type)
            if old_media is None:
                if old_content:
                    self.breaking(f"{where} ({media_type})", "media type not in the contract")
                else:
                    self.breaking(f"{where} ({media_type})", "a body where the contract has none")
                continue
            self.compare_response_schema(
                f"{where} ({media_type})",
                old_media.get("schema") or {},
                new_media.get("schema") or {},
            )
        for media_type in old_content:
            if media_type not in new_content:
                self.breaking(f"{where} ({media_type})", "media type no longer declared")

    def compare_response_schema(self, where: str, old: Schema, new: Schema) -> None:
        """The new schema may describe only values the old one allowed."""
        old_types, new_types = type_set(old), type_set(new)
        if not _accepts(old_types, new_types):
            self.breaking(
                where, f"type widened from {_fmt_types(old_types)} to {_fmt_types(new_types)}"
            )
        old_core, new_core = non_null_branch(old), non_null_branch(new)
        if "object" in old_types and "object" in new_types:
            self.compare_response_object(where, old_core, new_core)
        if "array" in old_types and "array" in new_types:
            self.compare_response_schema(
                f"{where}[]", old_core.get("items") or {}, new_core.get("items") or {}
            )

    def compare_response_object(self, where: str, old: Schema, new: Schema) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or ()), set(new.get("required") or ())
        for name in sorted(old_required - new_required):
            self.breaking(f"{where}.{name}", "required by the contract, may be missing")
        for name, new_schema in new_props.items():
            if name in old_props:
                self.compare_response_schema(f"{where}.{name}", old_props[name], new_schema)
            elif old.get("additionalProperties") is False:
                self.breaking(f"{where}.{name}", "property the contract forbids (leaked field)")
            else:
                self.addition(f"{where}.{name}", "new property")

    # security

    def compare_security(self, where: str, old: _Operation, new: _Operation) -> None:
        old_req = _security(self.old, old.body)
        new_req = _security(self.new, new.body)
        label = f"{where} > security"
        if old_req == new_req:
            return
        if not new_req and old_req:
            self.breaking(label, f"the contract requires {_fmt_security(old_req)}, now public")
        elif new_req and not old_req:
            self.breaking(label, f"public in the contract, now requires {_fmt_security(new_req)}")
        elif not new_req & old_req:
            self.breaking(
                label,
                f"requires {_fmt_security(new_req)} instead of {_fmt_security(old_req)}",
            )
        else:
            self.addition(label, f"now accepts {_fmt_security(new_req - old_req)}")


def _parameters(op: _Operation) -> dict[tuple[str, str], Schema]:
    """(location, name) → parameter, path-level merged under operation-level.

    Path parameters are keyed by their position, since clients never see their names.
    """
    merged: dict[tuple[str, str], Schema] = {}
    for param in [*(op.path_item.get("parameters") or []), *(op.body.get("parameters") or [])]:
        merged[(param["in"], param["name"])] = param
    names = re.findall(r"\{([^}]+)\}", op.path)
    keyed: dict[tuple[str, str], Schema] = {}
    for (location, name), param in merged.items():
        if location == "path" and name in names:
            keyed[("path", f"#{names.index(name) + 1}")] = param
        elif location == "header":
            keyed[(location, name.lower())] = param
        else:
            keyed[(location, name)] = param
    return keyed


def _lower_keys(mapping: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in (mapping or {}).items()}


def _security(document: Mapping[str, Any], operation: Mapping[str, Any]) -> frozenset[str]:
    """Descriptions of the schemes an operation accepts (any one is enough); empty: public."""
    requirements = operation.get("security", document.get("security") or [])
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    accepted: set[str] = set()
    for requirement in requirements:
        if not requirement:
            return frozenset()  # `{}` among the alternatives: anonymous access is allowed
        accepted.add(
            " + ".join(sorted(_describe_scheme(schemes.get(n) or {}) for n in requirement))
        )
    return frozenset(accepted)


def _describe_scheme(scheme: Mapping[str, Any]) -> str:
    kind = scheme.get("type", "?")
    if kind == "http":
        return f"http {str(scheme.get('scheme', '')).lower()}"
    if kind == "apiKey":
        return f"apiKey {scheme.get('in')} {str(scheme.get('name', '')).lower()}"
    return str(kind)


def _fmt_security(requirements: frozenset[str]) -> str:
    return " or ".join(sorted(requirements))


def iter_lines(diff: SpecDiff) -> Iterator[str]:
    """The diff as text lines: breaking changes first, then additions."""
    for change in diff.breaking:
        yield f"BREAKING  {change}"
    for change in diff.additions:
        yield f"added     {change}"


def operation_labels(document: Mapping[str, Any]) -> list[str]:
    """`METHOD /path` of every operation, as Schemathesis labels them."""
    return [operation.label for operation in _operations(document).values()]
