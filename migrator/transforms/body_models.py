"""Without `--spec`: a JSON body model inferred from the keys a view reads, for the docs.

Runs after every file is converted, on views whose JSON body the codemod lifted into a
parameter (`data: Annotated[Any, Body(), flask_compat.json_body(...)]`). The keys the view
reads from that parameter make a Pydantic model defined right above the view:

- `data["x"]` → a required field; `data.get("x")`, `data.get("x", d)`, `"x" in data` → an
  optional one (default `d`);
- the type comes from a conversion around the read (`int(data["n"])` → `int`) or from the
  literal default (`data.get("n", 10)` → `int`), else `Any`;
- `extra="allow"`: keys the view does not read are accepted, as before.

The model only documents: it goes into the operation's request body through
`openapi_extra`, and the parameter keeps `Any`, so the view's own checks still decide which
bodies are refused and with which message (a typed parameter would answer first, with
FastAPI's). A view that passes the body on to helpers (`require_object(data)`) has its keys
read elsewhere: no model, said in the report.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from migrator.transforms.post_pass import replace_text, with_keyword

if TYPE_CHECKING:
    from migrator.codemod import MigrationResult
    from migrator.transforms.base import RouteRecord

CONVERSIONS = {"int": "int", "float": "float", "str": "str", "bool": "bool"}
# Calls that look at the body without reading keys from it.
INSPECTING = frozenset({"isinstance", "len", "type", "bool", "repr", "print", "hasattr", "id"})
KEY_METHODS = frozenset({"get", "pop"})
DOCUMENTED_NOTE = "request body documented as"


@dataclass
class BodyKey:
    name: str
    required: bool = False
    annotation: str = "Any"
    default: str | None = None


@dataclass
class BodyRead:
    """What a view reads from its lifted JSON body parameter."""

    param: str
    keys: dict[str, BodyKey] = field(default_factory=dict)
    passed_on: bool = False  # the whole body given to a call: keys read elsewhere


def apply_body_models(result: MigrationResult) -> None:
    """Document the inferred body of every lifted JSON body the contract did not describe."""
    by_file: dict[str, list[RouteRecord]] = {}
    for route in result.routes:
        if not any(note.startswith(DOCUMENTED_NOTE) for note in route.notes):
            by_file.setdefault(route.file, []).append(route)
    for file in result.files:
        routes = by_file.get(file.relpath)
        # A lifted body is always annotated `...json_body(...)`: without one there is
        # nothing to document, and no second parse of the file.
        if not routes or file.new is None or ".json_body(" not in file.new:
            continue
        tree = cst.parse_module(file.new)
        adder = _BodyModels({route.function: route for route in routes})
        new_tree = tree.visit(adder)
        if not adder.changed:
            continue
        context = CodemodContext(full_module_name=file.relpath)
        for name in ("BaseModel", "ConfigDict"):
            AddImportsVisitor.add_needed_import(context, "pydantic", name)
        if adder.needs_any:
            AddImportsVisitor.add_needed_import(context, "typing", "Any")
        if adder.needs_field:
            AddImportsVisitor.add_needed_import(context, "pydantic", "Field")
        replace_text(result, file, AddImportsVisitor(context).transform_module(new_tree).code)


def body_param(function: cst.FunctionDef) -> str | None:
    """The name of the parameter the codemod lifted the JSON body into, if any."""
    for param in function.params.params:
        annotation = param.annotation.annotation if param.annotation is not None else None
        if not isinstance(annotation, cst.Subscript):
            continue
        for element in annotation.slice:
            value = element.slice.value if isinstance(element.slice, cst.Index) else None
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "json_body"
            ):
                return param.name.value
    return None


def model_name(function: str) -> str:
    return "".join(part.capitalize() for part in function.split("_") if part) + "Body"


class _Reads(cst.CSTVisitor):
    """The keys read from `param` in a view body (nested functions included: closures)."""

    def __init__(self, param: str) -> None:
        self.read = BodyRead(param)
        self.counted: set[int] = set()
        self.reassigned = False

    def _is_param(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value == self.read.param

    def _key(self, name: str, required: bool) -> BodyKey:
        key = self.read.keys.get(name)
        if key is None:
            key = self.read.keys[name] = BodyKey(name)
        key.required = key.required or required
        return key

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if self._is_param(target.target):
                self.reassigned = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if not self._is_param(node.value) or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            name = index.value.evaluated_value
            if isinstance(name, str):
                self._key(name, True)
                self.counted.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and self._is_param(func.value):
            if func.attr.value not in KEY_METHODS or not (
                node.args and isinstance(node.args[0].value, cst.SimpleString)
            ):
                self.read.passed_on = True  # `data.items()`: keys read by iteration
                return
            name = node.args[0].value.evaluated_value
            if isinstance(name, str):
                key = self._key(name, False)
                if len(node.args) > 1:
                    key.default = cst.Module([]).code_for_node(node.args[1].value)
                    key.annotation = _literal_type(node.args[1].value) or key.annotation
                self.counted.add(id(func.value))
            return
        if isinstance(func, cst.Name) and func.value in CONVERSIONS and len(node.args) == 1:
            read = _read_key(node.args[0].value, self.read.param)
            if read is not None:
                self._key(read, False).annotation = CONVERSIONS[func.value]
            return
        if isinstance(func, cst.Name) and func.value in INSPECTING:
            # `isinstance(data.get("n"), int)`: the type the view insists on
            checked = node.args[1].value if len(node.args) == 2 else None
            read = _read_key(node.args[0].value, self.read.param) if node.args else None
            if read is not None and isinstance(checked, cst.Name) and checked.value in CONVERSIONS:
                self._key(read, False).annotation = CONVERSIONS[checked.value]
            return
        for arg in node.args:
            if self._is_param(arg.value):
                self.read.passed_on = True
                self.counted.add(id(arg.value))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if (
                isinstance(target.operator, cst.In | cst.NotIn)
                and self._is_param(target.comparator)
                and isinstance(node.left, cst.SimpleString)
            ):
                name = node.left.evaluated_value
                if isinstance(name, str):
                    self._key(name, False)
                    self.counted.add(id(target.comparator))


def _read_key(node: cst.BaseExpression, param: str) -> str | None:
    """`data["x"]` or `data.get("x", ...)` → "x"."""
    key: cst.BaseExpression | None = None
    if (
        isinstance(node, cst.Subscript)
        and isinstance(node.value, cst.Name)
        and node.value.value == param
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
    ):
        key = node.slice[0].slice.value
    elif (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and node.func.value.value == param
        and node.func.attr.value in KEY_METHODS
        and node.args
    ):
        key = node.args[0].value
    if isinstance(key, cst.SimpleString):
        value = key.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _literal_type(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Integer):
        return "int"
    if isinstance(node, cst.Float):
        return "float"
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
        return "str"
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return "bool"
    if isinstance(node, cst.List):
        return "list[Any]"
    if isinstance(node, cst.Dict):
        return "dict[str, Any]"
    return None


def model_code(name: str, function: str, read: BodyRead) -> str:
    """The model's class statement."""
    lines = [
        f"class {name}(BaseModel):",
        f'    """The JSON body {function} reads (inferred by migrate from the keys it uses:',
        '    documentation only, the view still validates; other keys are allowed)."""',
        "",
        '    model_config = ConfigDict(extra="allow")',
    ]
    for key in sorted(read.keys.values(), key=lambda k: (not k.required, k.name)):
        attribute = re.sub(r"\W", "_", key.name)
        if not attribute or attribute[0].isdigit() or keyword.iskeyword(attribute):
            attribute = f"field_{attribute}"
        annotation = key.annotation if key.required else f"{key.annotation} | None"
        if key.annotation == "Any":
            annotation = "Any"
        default = None if key.required else (key.default or "None")
        if attribute != key.name or attribute.startswith("_"):
            attribute = attribute.lstrip("_") or "field"
            spec = f"Field(alias={key.name!r}" + (f", default={default})" if default else ")")
            lines.append(f"    {attribute}: {annotation} = {spec}")
        elif default is None:
            lines.append(f"    {attribute}: {annotation}")
        else:
            lines.append(f"    {attribute}: {annotation} = {default}")
    return "\n".join(lines) + "\n"


class _BodyModels(cst.CSTTransformer):
    """A model class above each view with a lifted body, and `openapi_extra=` on its routes."""

    def __init__(self, routes: dict[str, RouteRecord]) -> None:
        self.routes = routes
        self.changed = False
        self.needs_any = False
        self.needs_field = False
        self.models: dict[str, tuple[str, BodyRead]] = {}  # function name → model

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        route = self.routes.get(updated_node.name.value)
        param = body_param(updated_node) if route is not None else None
        if route is None or param is None:
            return updated_node
        reads = _Reads(param)
        updated_node.body.visit(reads)
        read = reads.read
        if reads.reassigned or read.passed_on or not read.keys:
            note = (
                "no inferred body model: the view passes the body on to other code"
                if read.passed_on or reads.reassigned
                else "no inferred body model: the view reads no key of its body"
            )
            if note not in route.notes:
                route.notes.append(note)
            return updated_node
        name = model_name(updated_node.name.value)
        decorators = [self._document(d, name) for d in updated_node.decorators]
        if decorators == list(updated_node.decorators):
            return updated_node
        self.models[updated_node.name.value] = (name, read)
        fields = ", ".join(
            f"{k.name}{'' if k.required else '?'}" for k in sorted(read.keys.values(), key=str)
        )
        route.notes.append(
            f"request body documented as {name} ({fields}), inferred from the keys the view "
            "reads; the view still validates it (behaviour kept)"
        )
        self.changed = True
        self.needs_any = self.needs_any or any("Any" in k.annotation for k in read.keys.values())
        return updated_node.with_changes(decorators=decorators)

    def _document(self, decorator: cst.Decorator, name: str) -> cst.Decorator:
        call = decorator.decorator
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in ("post", "put", "patch", "delete", "api_route")
        ):
            return decorator
        if any(
            arg.keyword is not None and arg.keyword.value == "openapi_extra" for arg in call.args
        ):
            return decorator
        extra = cst.parse_expression(
            '{"requestBody": {"content": {"application/json": '
            f'{{"schema": {name}.model_json_schema()}}}}}}}}'
        )
        return decorator.with_changes(decorator=with_keyword(call, "openapi_extra", extra))

    def _insert(self, body: Sequence[cst.BaseStatement], blank: int) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        for statement in body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in self.models:
                name, read = self.models.pop(statement.name.value)
                model = cst.parse_statement(model_code(name, statement.name.value, read))
                self.needs_field = self.needs_field or "Field(" in cst.Module([model]).code
                out.append(model.with_changes(leading_lines=[cst.EmptyLine()] * blank))
            out.append(statement)
        return out

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._insert(updated_node.body, 1))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._insert(updated_node.body, 2))
