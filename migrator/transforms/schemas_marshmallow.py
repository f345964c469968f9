"""marshmallow `Schema` classes → Pydantic v2 models, written beside them.

The schema stays (the code calling `.load()`/`.dump()` keeps its behaviour, including its
`ValidationError` handling); `<Name>Model` follows it, for the routes to adopt as body or
response models: fields typed from `fields.String/Integer/...`, `required=`, `allow_none=`,
`load_default=`/`missing=` as defaults, `data_key=` as an alias, `validate=Length/Range/
OneOf/Regexp` as `Field` constraints or `Literal`, `Meta.unknown` as `extra=` (marshmallow
refuses unknown keys by default: `extra="forbid"`). What has no counterpart (`Method`,
`Function`, custom validators, `@validates`/`@post_load` hooks) is named in the model's
docstring and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

SCHEMA_BASES = frozenset({"marshmallow.Schema", "marshmallow.schema.Schema"})
# marshmallow field class → (annotation, import needed)
FIELD_TYPES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "String": ("str", None),
    "Str": ("str", None),
    "Email": ("str", None),
    "Url": ("str", None),
    "URL": ("str", None),
    "Integer": ("int", None),
    "Int": ("int", None),
    "Float": ("float", None),
    "Number": ("float", None),
    "Boolean": ("bool", None),
    "Bool": ("bool", None),
    "DateTime": ("datetime", ("datetime", "datetime")),
    "Date": ("date", ("datetime", "date")),
    "Time": ("time", ("datetime", "time")),
    "Decimal": ("Decimal", ("decimal", "Decimal")),
    "UUID": ("UUID", ("uuid", "UUID")),
    "Dict": ("dict[str, Any]", ("typing", "Any")),
    "Mapping": ("dict[str, Any]", ("typing", "Any")),
    "Raw": ("Any", ("typing", "Any")),
    "Field": ("Any", ("typing", "Any")),
}
SKIPPED_FIELDS = frozenset({"Method", "Function"})
UNKNOWN = {"EXCLUDE": "ignore", "INCLUDE": "allow", "RAISE": "forbid"}
BASEMODEL_NAMES = frozenset(
    {"json", "dict", "copy", "schema", "validate", "construct", "fields", "model_config"}
)


@dataclass
class ModelPlan:
    """The model written after one schema class."""

    schema: str
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: str = "forbid"


class MarshmallowConcern(Concern):
    """Each module-level marshmallow schema gets a Pydantic model right after it."""

    def reset(self) -> None:
        self.plans: dict[str, ModelPlan] = {}
        self.schemas: set[str] = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        state = self.state
        if len(state.chain) != 1 or not state.enabled(Rule.MARSHMALLOW):
            return  # module-level classes only
        is_schema = False
        for base in node.bases:
            names = state.qualified_names(base.value)
            local = nodes.dotted(base.value)
            if names & SCHEMA_BASES or (local is not None and local in self.schemas):
                is_schema = True
        if not is_schema:
            return
        self.schemas.add(node.name.value)
        self.plans[node.name.value] = self._plan(node)

    def _plan(self, node: cst.ClassDef) -> ModelPlan:
        plan = ModelPlan(node.name.value)
        for statement in node.body.body:
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
                self._meta(statement, plan)
            elif isinstance(statement, cst.FunctionDef):
                hooks = [nodes.code(d.decorator) for d in statement.decorators]
                if hooks:
                    plan.notes.append(f"{statement.name.value} ({', '.join(hooks)}) not carried")
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.Assign)
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                        and isinstance(small.value, cst.Call)
                    ):
                        self._field(small.targets[0].target.value, small.value, plan)
        return plan

    def _meta(self, meta: cst.ClassDef, plan: ModelPlan) -> None:
        for statement in meta.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign) and nodes.dotted(small.targets[0].target) == (
                    "unknown"
                ):
                    value = (nodes.dotted(small.value) or "").rpartition(".")[2]
                    plan.extra = UNKNOWN.get(value, plan.extra)

    def _annotation(self, call: cst.Call, plan: ModelPlan) -> str | None:
        kind = (nodes.dotted(call.func) or "").rpartition(".")[2]
        if kind in SKIPPED_FIELDS:
            return None
        if kind in FIELD_TYPES:
            annotation, needed = FIELD_TYPES[kind]
            if needed is not None:
                self.state.add_import(self.context, *needed)
            return annotation
        if kind == "List":
            inner = nodes.arg_value(call, 0, "cls_or_instance")
            inner_type = (
                self._annotation(inner, plan) if isinstance(inner, cst.Call) else "Any"
            ) or "Any"
            if inner_type == "Any":
                self.state.add_import(self.context, "typing", "Any")
            return f"list[{inner_type}]"
        if kind == "Nested":
            target = nodes.arg_value(call, 0, "nested")
            name = nodes.dotted(target) if target is not None else None
            if isinstance(target, cst.SimpleString):
                name = nodes.literal_str(target)
            model = f"{name}Model" if name in self.schemas else "dict[str, Any]"
            if model == "dict[str, Any]":
                self.state.add_import(self.context, "typing", "Any")
                plan.notes.append(f"Nested({name}) is typed dict[str, Any]")
            many = nodes.literal(nodes.arg_value(call, None, "many"), False)
            return f"list[{model}]" if many else model
        self.state.add_import(self.context, "typing", "Any")
        plan.notes.append(f"fields.{kind} is typed Any")
        return "Any"

    def _field(self, name: str, call: cst.Call, plan: ModelPlan) -> None:
        annotation = self._annotation(call, plan)
        if annotation is None:
            plan.notes.append(f"{name} (a dump-only computed field) is not in the model")
            return
        if nodes.literal(nodes.arg_value(call, None, "dump_only"), False) is True:
            plan.notes.append(f"{name} is dump_only: not in the (input) model")
            return
        constraints: list[str] = []
        validate = nodes.arg_value(call, None, "validate")
        for validator in (
            [e.value for e in validate.elements]
            if isinstance(validate, cst.List | cst.Tuple)
            else [validate]
            if validate is not None
            else []
        ):
            annotation = self._validator(name, validator, annotation, constraints, plan)
        alias = nodes.literal_str(nodes.arg_value(call, None, "data_key"))
        attribute = name
        if name in BASEMODEL_NAMES or name.startswith("model_"):
            attribute = f"{name}_"
            alias = alias or name
        if alias is not None:
            constraints.insert(0, f"alias={nodes.code(nodes.string(alias))}")
        required = nodes.literal(nodes.arg_value(call, None, "required"), False) is True
        allow_none = nodes.literal(nodes.arg_value(call, None, "allow_none"), False) is True
        default = nodes.arg_value(call, None, "load_default") or nodes.arg_value(
            call, None, "missing"
        )
        if allow_none or (not required and default is None):
            annotation = f"{annotation} | None"
        if constraints:
            self.state.add_import(self.context, "typing", "Annotated")
            self.state.add_import(self.context, "pydantic", "Field")
            annotation = f"Annotated[{annotation}, Field({', '.join(constraints)})]"
        line = f"{attribute}: {annotation}"
        if isinstance(default, cst.Name | cst.Attribute) and not nodes.is_literal(default):
            self.state.add_import(self.context, "pydantic", "Field")
            line += f" = Field(default_factory={nodes.code(default)})"  # a callable default
        elif default is not None:
            line += f" = {nodes.code(default)}"
        elif not required:
            line += " = None"
        plan.lines.append(line)

    def _validator(
        self,
        name: str,
        validator: cst.BaseExpression,
        annotation: str,
        constraints: list[str],
        plan: ModelPlan,
    ) -> str:
        if not isinstance(validator, cst.Call):
            plan.notes.append(f"{name}: validator {nodes.code(validator)} not carried")
            return annotation
        kind = (nodes.dotted(validator.func) or "").rpartition(".")[2]
        keywords = {a.keyword.value: a.value for a in validator.args if a.keyword is not None}
        positional = [a.value for a in validator.args if a.keyword is None]
        if kind == "Length":
            for key, target in (("min", "min_length"), ("max", "max_length")):
                value = keywords.get(key)
                if value is not None:
                    constraints.append(f"{target}={nodes.code(value)}")
            if "equal" in keywords:
                equal = nodes.code(keywords["equal"])
                constraints += [f"min_length={equal}", f"max_length={equal}"]
            return annotation
        if kind == "Range":
            low = "gt" if nodes.literal(keywords.get("min_inclusive"), True) is False else "ge"
            high = "lt" if nodes.literal(keywords.get("max_inclusive"), True) is False else "le"
            for key, target in (("min", low), ("max", high)):
                value = keywords.get(key)
                if value is not None:
                    constraints.append(f"{target}={nodes.code(value)}")
            return annotation
        if kind == "OneOf":
            choices = keywords.get("choices") or (positional[0] if positional else None)
            values = nodes.literal(choices, None)
            if isinstance(values, list) and values and isinstance(choices, cst.List | cst.Tuple):
                self.state.add_import(self.context, "typing", "Literal")
                items = ", ".join(nodes.code(element.value) for element in choices.elements)
                return f"Literal[{items}]"
        if kind == "Regexp":
            regex = keywords.get("regex") or (positional[0] if positional else None)
            if isinstance(regex, cst.SimpleString):
                constraints.append(f"pattern={nodes.code(regex)}")
                return annotation
        plan.notes.append(f"{name}: validator {kind} not carried")
        return annotation

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.plans:
            return updated_node
        existing = {s.name.value for s in updated_node.body if isinstance(s, cst.ClassDef)}
        body: list[cst.BaseStatement] = []
        for statement in updated_node.body:
            body.append(statement)
            if not isinstance(statement, cst.ClassDef):
                continue
            plan = self.plans.get(statement.name.value)
            model = f"{statement.name.value}Model"
            if plan is None or model in existing:
                continue
            body.append(self._model(plan, model))
            note = f"{plan.schema} → {model} (Pydantic) added beside it; the schema is kept"
            self.state.notes.append(note)
            for detail in plan.notes:
                self.state.notes.append(f"{model}: {detail}")
        self.state.applied_rule(Rule.MARSHMALLOW)
        return updated_node.with_changes(body=body)

    def _model(self, plan: ModelPlan, model: str) -> cst.BaseStatement:
        self.state.add_import(self.context, "pydantic", "BaseModel")
        self.state.add_import(self.context, "pydantic", "ConfigDict")
        doc = [f"{plan.schema} as a Pydantic model (generated by migrate; the schema is kept)."]
        if plan.notes:
            doc += ["", "Not carried over:", *(f"- {note}" for note in plan.notes), ""]
        body = [f'    """{doc[0]}', *(f"    {line}" if line else "" for line in doc[1:])]
        body[-1] += '"""' if not plan.notes else '    """'
        body.append("")
        body.append(f'    model_config = ConfigDict(extra="{plan.extra}", populate_by_name=True)')
        if plan.lines:
            body.append("")
            body.extend(f"    {line}" for line in plan.lines)
        text = f"class {model}(BaseModel):\n" + "\n".join(body) + "\n"
        statement = cst.parse_statement(text)
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
