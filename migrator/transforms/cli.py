"""The Flask CLI: the app's commands keep running, from the support module's click group.

- `app.cli` → `flask_compat.cli(app)`: an `AppGroup` (commands made with `.command()` run
  inside the app's context, as Flask's); `flask.cli.with_appcontext`/`AppGroup`/
  `ScriptInfo` come from the support module (`imports.py`);
- `app.test_cli_runner()` → `flask_compat.test_cli_runner(app)` (`runner.invoke(args=[...])`);
- the `flask` command in the project's own scripts and tests — `[sys.executable, "-m",
  "flask", ...]`, `["flask", "--app", ...]` — → `python -m <package>.flask_cli`, a runner
  generated beside the support module (`apply_cli`) that loads `--app` by Flask's rules and
  runs the command inside the app's context, as `flask` did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from migrator import templates
from migrator.project import CLI_NAME
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

if TYPE_CHECKING:
    from migrator.codemod import MigrationResult


class CliConcern(Concern):
    """`app.cli`, `app.test_cli_runner()` and `flask` command lines."""

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if original_node.attr.value != "cli" or self.state.in_import:
            return updated_node
        obj = self.state.flask_object(original_node.value)
        if obj is None or obj.kind != "app" or not self.state.enabled(Rule.CLI):
            return updated_node
        module = self.state.use_compat_module(self.context, "cli")
        self._applied(
            f"app.cli commands are on {module}.cli(app): run them with `python -m "
            f"{self.state.facts.cli_module} --app IMPORT COMMAND` (the `flask` command no "
            "longer finds them)"
        )
        return nodes.call(f"{module}.cli", [nodes.posarg(updated_node.value)])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "test_cli_runner":
            return updated_node
        if any(arg.keyword is None for arg in updated_node.args):
            return updated_node  # Flask's takes keywords only: this is already the compat one
        if not self.state.enabled(Rule.CLI):
            return updated_node
        module = self.state.use_compat_module(self.context, "test_cli_runner")
        self._applied(None)
        args = [nodes.posarg(func.value), *updated_node.args]
        return nodes.call(f"{module}.test_cli_runner", args, like=updated_node)

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.BaseExpression:
        return updated_node.with_changes(elements=self._command(updated_node.elements))

    def leave_Tuple(self, original_node: cst.Tuple, updated_node: cst.Tuple) -> cst.BaseExpression:
        return updated_node.with_changes(elements=self._command(updated_node.elements))

    def _command(self, elements: Sequence[cst.BaseElement]) -> list[cst.BaseElement]:
        """A `flask` command line → the generated runner's: `-m flask` → `-m <cli module>`,
        a leading `"flask", "--option"` → `sys.executable, "-m", "<cli module>", ...`."""
        values = [nodes.literal_str(element.value) for element in elements]
        if "flask" not in values or not self.state.enabled(Rule.CLI):
            return list(elements)
        runner = nodes.string(self.state.facts.cli_module)
        for index in range(1, len(values)):
            if values[index - 1] == "-m" and values[index] == "flask":
                self._applied(None)
                changed = list(elements)
                changed[index] = changed[index].with_changes(value=runner)
                return changed
        if values[0] == "flask" and len(values) > 1 and (values[1] or "").startswith("-"):
            self.state.add_import(self.context, "sys")
            self._applied(None)
            first = elements[0]
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            prefix = [
                cst.Element(nodes.expr("sys.executable"), comma=comma),
                cst.Element(nodes.string("-m"), comma=comma),
                first.with_changes(value=runner),
            ]
            return [*prefix, *elements[1:]]
        return list(elements)

    def _applied(self, note: str | None) -> None:
        self.state.applied_rule(Rule.CLI)
        note = note or (
            f"the `flask` command and test_cli_runner() run the app's commands through "
            f"{self.state.facts.cli_module} (generated beside the support module)"
        )
        if note not in self.state.notes:
            self.state.notes.append(note)


def apply_cli(result: MigrationResult) -> None:
    """Write the CLI runner beside the support module when the project has CLI commands."""
    from migrator.transforms.post_pass import add_generated

    if not any(Rule.CLI.value in file.rules for file in result.files):
        return
    facts = result.facts
    text = templates.generated_source(CLI_NAME, facts.support_module)
    note = f"generated CLI runner: python -m {facts.cli_module} --app IMPORT COMMAND"
    add_generated(result, facts.cli_relpath, text, note, regenerate=False)
