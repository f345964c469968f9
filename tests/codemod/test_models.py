"""`--spec`: the contract's Pydantic models, wired to the routes without changing behaviour.

`cases/models/pets/before` is a Flask package whose POST view validates its body by hand;
`spec.yaml` is its contract. The output (`after`, `UPDATE_CASES=1` regenerates it) has
`api_models.py` (datamodel-code-generator's models, the contract, `install_openapi`),
`response_model=` on the views that return responses, and the contract's documentation on
`/openapi.json` — while a bad body still gets the view's own 400, as in Flask.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from contract_tests.openapi_diff import diff_specs
from migrator.cli import main
from migrator.errors import UserError
from migrator.models import load_spec, operations, path_key
from tests.codemod.migrated import SUPPORT_FILES, imported_from, load

CASE = Path(__file__).parent / "cases" / "models" / "pets"
SPEC = CASE / "spec.yaml"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("pets")
    report = out / "r.json"
    args = [str(CASE / "before" / "pets"), "--out", str(out), "--report", str(report)]
    assert main([*args, "--spec", str(SPEC), "--jobs", "1"]) == 0
    return out, json.loads(report.read_text())


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts and path.name not in SUPPORT_FILES
    }


def test_the_written_tree_is_the_expected_one(migrated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = migrated
    expected = CASE / "after"
    if os.environ.get("UPDATE_CASES") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(
            out,
            expected,
            ignore=shutil.ignore_patterns("__pycache__", "r.json", *SUPPORT_FILES),
        )
    assert _tree(out) == _tree(expected)


def test_the_report_records_each_decision(migrated: tuple[Path, dict[str, Any]]) -> None:
    _, report = migrated
    by_function = {route["function"]: route for route in report["routes"]}
    assert any("api_models.PetCreate" in n for n in by_function["create_pet"]["notes"])
    assert any("response_model=api_models.Pet " in n for n in by_function["get_pet"]["notes"])


async def test_docs_are_the_contracts_and_behaviour_is_flasks(
    migrated: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = migrated
    with imported_from(CASE / "before", "pets"):
        flask_app: Any = load("pets:app")
        client = flask_app.test_client()
        flask_bad = client.post("/pets", json={"name": 5})
        flask_list = client.get("/pets?limit=x")
    with imported_from(out, "pets"):
        app: Any = load("pets:app")
        document = app.openapi()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as async_client:
            bad = await async_client.post("/pets", json={"name": 5})
            listed = await async_client.get("/pets?limit=x")
            created = await async_client.post("/pets", json={"name": "Tom", "extra": 1})
    contract = yaml.safe_load(SPEC.read_text())
    assert [str(change) for change in diff_specs(contract, document).breaking] == []
    post = document["paths"]["/pets"]["post"]
    assert "422" not in post["responses"] and post["security"] == [{"bearerAuth": []}]
    # The body is documented, not validated before the view: its own 400, extra keys kept.
    assert (bad.status_code, bad.json()) == (flask_bad.status_code, flask_bad.get_json())
    assert (listed.status_code, listed.json()) == (flask_list.status_code, flask_list.get_json())
    assert created.status_code == 201 and created.json()["name"] == "Tom"


def test_a_second_run_changes_nothing(migrated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = migrated
    assert main([str(out / "pets"), "--check", "--spec", str(SPEC)]) == 0


def test_operations_are_matched_by_method_and_path_shape() -> None:
    assert path_key("/pets/{petId}") == path_key("/pets/{pet_id:int}") == "/pets/{}"
    assert path_key("/pets/") == "/pets" and path_key("") == "/"
    document = load_spec(SPEC)
    found = operations(document, "class Pet(BaseModel):\nclass PetList(BaseModel):\n")
    assert found[("GET", "/pets/{}")].response_model == "Pet"
    assert found[("GET", "/pets")].response_model == "PetList"
    assert found[("POST", "/pets")].body_model is None  # PetCreate is not a generated class


def test_a_file_that_is_not_a_contract_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("just: text\n")
    with pytest.raises(UserError, match="not an OpenAPI 3 document"):
        load_spec(bad)
    args = [str(CASE / "before" / "pets"), "--out", str(tmp_path / "o"), "--spec", str(bad)]
    assert main(args) == 2


# --- without a spec: the body model inferred from the keys the view reads ----------------


@pytest.fixture(scope="module")
def inferred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pets_inferred")
    assert main([str(CASE / "before" / "pets"), "--out", str(out), "--jobs", "1"]) == 0
    return out


def test_the_inferred_model_documents_the_keys_read(inferred: Path) -> None:
    expected = CASE / "after_inferred"
    if os.environ.get("UPDATE_CASES") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(
            inferred, expected, ignore=shutil.ignore_patterns("__pycache__", *SUPPORT_FILES)
        )
    assert _tree(inferred) == _tree(expected)
    assert main([str(inferred / "pets"), "--check"]) == 0


async def test_the_inferred_model_changes_no_answer(inferred: Path) -> None:
    with imported_from(inferred, "pets"):
        app: Any = load("pets:app")
        schema = app.openapi()["paths"]["/pets"]["post"]["requestBody"]["content"]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as async_client:
            bad = await async_client.post("/pets", json={"name": 5})
            created = await async_client.post("/pets", json={"name": "Tom", "extra": 1})
    body = schema["application/json"]["schema"]
    assert body["required"] == ["name"] and body["properties"]["name"]["type"] == "string"
    assert set(body["properties"]) == {"name", "tag"} and body["additionalProperties"] is True
    assert (bad.status_code, bad.json()) == (400, {"error": "name must be a string"})
    assert created.status_code == 201


def test_keys_defaults_and_conversions_make_the_fields() -> None:
    import libcst as cst

    from migrator.transforms.body_models import _Reads, model_code

    view = cst.parse_module(
        "def v(data):\n"
        "    a = data['a']\n"
        "    b = data.get('b', 5)\n"
        "    c = int(data.get('c'))\n"
        "    if 'd' in data:\n"
        "        pass\n"
        "    e = data.get('class')\n"
    ).body[0]
    assert isinstance(view, cst.FunctionDef)
    reads = _Reads("data")
    view.body.visit(reads)
    assert not reads.read.passed_on
    code = model_code("VBody", "v", reads.read)
    assert "    a: Any\n" in code and "    b: int | None = 5\n" in code
    assert "    c: int | None = None\n" in code and "    d: Any = None\n" in code
    assert "    field_class: Any = Field(alias='class', default=None)\n" in code
    passed = _Reads("data")
    cst.parse_module("def v(data):\n    return helper(data)\n").body[0].visit(passed)
    assert passed.read.passed_on
