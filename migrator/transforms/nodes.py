"""Small helpers for reading and building libcst nodes."""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from typing import Any

import libcst as cst

_MISSING = object()


@lru_cache(maxsize=4096)
def _parse(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def expr(code: str) -> cst.BaseExpression:
    """An expression node from source text (parsed once, shared: nodes are immutable)."""
    return _parse(code)


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def literal(node: cst.CSTNode | None, default: Any = _MISSING) -> Any:
    """The Python value of a literal node (str, number, None, bool, list/tuple/set of those)."""
    if node is None:
        return default
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else default
    if isinstance(node, cst.Integer | cst.Float):
        return ast.literal_eval(node.value)
    if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
        return {"None": None, "True": True, "False": False}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal(node.expression, default)
        return -inner if isinstance(inner, int | float) else default
    if isinstance(node, cst.List | cst.Tuple | cst.Set):
        values = [literal(element.value, _MISSING) for element in node.elements]
        if any(value is _MISSING for value in values):
            return default
        return values
    return default


def is_literal(node: cst.CSTNode | None) -> bool:
    return literal(node, _MISSING) is not _MISSING


def literal_str(node: cst.CSTNode | None) -> str | None:
    value = literal(node, None)
    return value if isinstance(value, str) else None


def find_arg(call: cst.Call, position: int | None, keyword: str | None) -> cst.Arg | None:
    """The argument at `position` (positional) or named `keyword`."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for argument in call.args:
        if (
            keyword is not None
            and argument.keyword is not None
            and argument.keyword.value == keyword
        ):
            return argument
    if position is not None and position < len(positional):
        return positional[position]
    return None


def arg_value(
    call: cst.Call, position: int | None, keyword: str | None
) -> cst.BaseExpression | None:
    argument = find_arg(call, position, keyword)
    return argument.value if argument is not None else None


def keyword_names(call: cst.Call) -> list[str]:
    return [a.keyword.value for a in call.args if a.keyword is not None]


def has_star_args(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def posarg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


def call(
    func: str | cst.BaseExpression, args: list[cst.Arg], like: cst.Call | None = None
) -> cst.Call:
    """A call; keeps the formatting (parentheses whitespace) of `like` when given."""
    function = expr(func) if isinstance(func, str) else func
    fixed = _comma_args(args, like)
    if like is not None:
        return like.with_changes(func=function, args=fixed)
    return cst.Call(func=function, args=fixed)


def _comma_args(args: list[cst.Arg], like: cst.Call | None) -> list[cst.Arg]:
    """Separate arguments by commas, reusing the original commas (and line breaks) if any."""
    if not args:
        return []
    commas = [a.comma for a in like.args] if like is not None else []
    multiline = any(
        isinstance(c, cst.Comma) and isinstance(c.whitespace_after, cst.ParenthesizedWhitespace)
        for c in commas
    )
    trailing = bool(commas) and isinstance(commas[-1], cst.Comma)
    result = []
    for index, argument in enumerate(args):
        last = index == len(args) - 1
        if last and not (multiline and trailing):
            comma: cst.Comma | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
        elif index < len(commas) and isinstance(commas[index], cst.Comma):
            comma = commas[index]
        elif multiline and commas and isinstance(commas[0], cst.Comma):
            comma = commas[0]
        else:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        result.append(argument.with_changes(comma=comma))
    if like is not None and like.args and not (multiline and trailing):
        closing = like.args[-1].whitespace_after_arg
        result[-1] = result[-1].with_changes(whitespace_after_arg=closing)
    return result


def dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` as text for Name/Attribute chains."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def string(value: str) -> cst.SimpleString:
    """A string literal, double-quoted unless the text itself holds double quotes."""
    if '"' in value and "'" not in value:
        return cst.SimpleString(repr(value))
    return cst.SimpleString(json.dumps(value, ensure_ascii=False))


def is_multiline(call: cst.Call) -> bool:
    """Whether the call's arguments are laid out one per line."""
    return isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace) or any(
        isinstance(a.comma, cst.Comma)
        and isinstance(a.comma.whitespace_after, cst.ParenthesizedWhitespace)
        for a in call.args
    )


def newline(indent: str) -> cst.ParenthesizedWhitespace:
    """A line break inside brackets, then `indent` past the enclosing block's indentation."""
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=[],
        indent=True,
        last_line=cst.SimpleWhitespace(indent),
    )


def _argument_indent(call: cst.Call) -> str:
    whitespace = call.whitespace_before_args
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.last_line.value
    for argument in call.args:
        comma = argument.comma
        if isinstance(comma, cst.Comma) and isinstance(
            comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            return comma.whitespace_after.last_line.value
    return "    "


def dict_like(elements: list[cst.BaseDictElement], call: cst.Call) -> cst.Dict:
    """A dict from a call's keyword arguments, one entry per line if the call was so laid out."""
    if not is_multiline(call):
        spaced = [
            e.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            for e in elements[:-1]
        ]
        return cst.Dict([*spaced, *elements[-1:]])
    outer = _argument_indent(call)
    inner = outer + "    "
    laid_out = [
        e.with_changes(comma=cst.Comma(whitespace_after=newline(inner))) for e in elements[:-1]
    ]
    laid_out.append(elements[-1].with_changes(comma=cst.Comma(whitespace_after=newline(outer))))
    return cst.Dict(laid_out, lbrace=cst.LeftCurlyBrace(whitespace_after=newline(inner)))


class _Returns(cst.CSTVisitor):
    """The values a function returns (not those of the functions nested in it)."""

    def __init__(self) -> None:
        self.values: list[cst.BaseExpression | None] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)


def returned_values(function: cst.FunctionDef) -> list[cst.BaseExpression | None]:
    """What each `return` of `function` itself returns (`None` for a bare `return`)."""
    returns = _Returns()
    function.body.visit(returns)
    return returns.values


def returns_responses(function: cst.FunctionDef) -> bool:
    """Whether every `return` of the converted view builds a response (`JSONResponse(...)`,
    `make_response(...)`...): FastAPI then sends it untouched and a model only documents."""
    values = returned_values(function)
    if not values:
        return False
    for value in values:
        if not isinstance(value, cst.Call):
            return False
        func = value.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if not (name.endswith("Response") or name == "make_response"):
            return False
    return True
