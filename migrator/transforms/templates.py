"""Templates: a view's `return render_template("x.html", a=1)` → `TemplateResponse`.

`return render_template(name, **values)` (alone, or with a status and headers) in a view
becomes `return templates.TemplateResponse(request, name, {...})`: the support module's
`Jinja2Templates` over the app's Jinja environment, which keeps Flask's template folder,
autoescaping, `url_for`/`get_flashed_messages` globals, `config`/`request`/`session`/`g` and
the app's context processors, so pages render the same HTML (a blueprint's
`template_folder=` is registered in `blueprints.py`). Every other use (`render_template`
whose text the code goes on using, `render_template_string`, helpers) imports the
Flask-compatible function from the support module instead (`ImportsConcern`).
"""

from __future__ import annotations

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FunctionInfo


class TemplateConcern(Concern):
    """`return render_template(...)` in views → `templates.TemplateResponse(request, ...)`."""

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        view = self.state.in_view_body()
        if view is None or not self.state.enabled(Rule.TEMPLATES):
            return updated_node
        original, value = original_node.value, updated_node.value
        extra: list[cst.Arg] = []
        if isinstance(original, cst.Tuple) and isinstance(value, cst.Tuple):
            if not 2 <= len(value.elements) <= 3:
                return updated_node
            rest = [element.value for element in value.elements[1:]]
            if any(isinstance(element, cst.StarredElement) for element in value.elements):
                return updated_node
            if len(rest) == 1 and isinstance(rest[0], cst.Dict | cst.List):
                extra.append(nodes.kwarg("headers", rest[0]))
            elif len(rest) == 1 and isinstance(rest[0], cst.Integer | cst.Name | cst.Attribute):
                extra.append(nodes.kwarg("status_code", rest[0]))
            elif len(rest) == 2:
                extra += [nodes.kwarg("status_code", rest[0]), nodes.kwarg("headers", rest[1])]
            else:
                return updated_node
            original, value = original.elements[0].value, value.elements[0].value
        if not isinstance(original, cst.Call) or not isinstance(value, cst.Call):
            return updated_node
        if self.state.flask_name(original.func) != "render_template":
            return updated_node
        response = self._template_response(view, value, extra)
        if response is None:
            return updated_node
        return updated_node.with_changes(value=response)

    def _template_response(
        self, view: FunctionInfo, call: cst.Call, extra: list[cst.Arg]
    ) -> cst.Call | None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        named = [a for a in call.args if a.keyword is not None or a.star == "**"]
        name = nodes.arg_value(call, 0, "template_name_or_list")
        if name is None or len(positional) > 1 or any(a.star == "*" for a in call.args):
            return None
        named = [a for a in named if not (a.keyword and a.keyword.value == "template_name_or_list")]
        elements: list[cst.BaseDictElement] = []
        for argument in named:
            if argument.keyword is not None:
                elements.append(
                    cst.DictElement(
                        nodes.string(argument.keyword.value),
                        argument.value,
                        whitespace_before_colon=cst.SimpleWhitespace(""),
                    )
                )
            else:
                elements.append(cst.StarredDictElement(argument.value))
        context = nodes.dict_like(elements, call) if elements else cst.Dict([])
        if isinstance(context, cst.Dict) and elements:
            context = _keep_comments(context, named)
        view.needs_request = True
        params = {p.name.value for p in _params(view.node.params)}
        request_name = "request" if "request" not in params else "http_request"
        self.state.use_compat_name(self.context, "templates")
        self.state.applied_rule(Rule.TEMPLATES)
        args = [nodes.posarg(cst.Name(request_name)), nodes.posarg(name), nodes.posarg(context)]
        if isinstance(context, cst.Dict) and nodes.is_multiline(call) and elements:
            laid_out = nodes.call("f", [*args, *extra], like=call).args
            moved = {_comment(argument) for argument in named} - {None}
            return call.with_changes(
                func=nodes.expr("templates.TemplateResponse"),
                args=[_without_comment(argument, moved) for argument in laid_out],
            )
        return nodes.call("templates.TemplateResponse", [*args, *extra], like=call)


def _keep_comments(context: cst.Dict, arguments: list[cst.Arg]) -> cst.Dict:
    """A comment after a keyword argument stays after its dict entry."""
    laid_out = []
    for element, argument in zip(context.elements, arguments, strict=True):
        old, new = argument.comma, element.comma
        if (
            isinstance(old, cst.Comma)
            and isinstance(old.whitespace_after, cst.ParenthesizedWhitespace)
            and old.whitespace_after.first_line.comment is not None
            and isinstance(new, cst.Comma)
            and isinstance(new.whitespace_after, cst.ParenthesizedWhitespace)
        ):
            whitespace = new.whitespace_after.with_changes(
                first_line=old.whitespace_after.first_line
            )
            element = element.with_changes(comma=new.with_changes(whitespace_after=whitespace))
        laid_out.append(element)
    return context.with_changes(elements=laid_out)


def _comment(argument: cst.Arg) -> str | None:
    comma = argument.comma
    if isinstance(comma, cst.Comma) and isinstance(
        comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        comment = comma.whitespace_after.first_line.comment
        return comment.value if comment is not None else None
    return None


def _without_comment(argument: cst.Arg, moved: set[str | None]) -> cst.Arg:
    """The call's own commas lose the comments that went into the dict with their entries."""
    comma = argument.comma
    if (
        _comment(argument) in moved
        and isinstance(comma, cst.Comma)
        and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        whitespace = comma.whitespace_after.with_changes(first_line=cst.TrailingWhitespace())
        return argument.with_changes(comma=comma.with_changes(whitespace_after=whitespace))
    return argument


def _params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        found.append(params.star_arg)
    if params.star_kwarg is not None:
        found.append(params.star_kwarg)
    return found
