"""A small pets API whose views validate their JSON bodies by hand."""

from fastapi import Body, FastAPI, HTTPException
from pets import flask_compat
from pets.flask_compat import JSONResponse, make_response
from typing import Annotated, Any
from pydantic import BaseModel, ConfigDict

app = FastAPI()
flask_compat.install(app, __name__)

PETS = {1: {"id": 1, "name": "Rex", "tag": None}}


@app.get("/pets")
async def list_pets(limit: Annotated[int, flask_compat.arg_type(int, 20)] = 20):
    return JSONResponse({"items": list(PETS.values())[:limit]})


class CreatePetBody(BaseModel):
    """The JSON body create_pet reads (inferred by migrate from the keys it uses:
    documentation only, the view still validates; other keys are allowed)."""

    model_config = ConfigDict(extra="allow")
    name: str
    tag: Any = None


@app.post("/pets", openapi_extra={"requestBody": {"content": {"application/json": {"schema": CreatePetBody.model_json_schema()}}}})
async def create_pet(data: Annotated[Any, Body(), flask_compat.json_body()]):
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return JSONResponse({"error": "name must be a string"}, status_code=400)
    pet = {"id": max(PETS) + 1, "name": data["name"], "tag": data.get("tag")}
    PETS[pet["id"]] = pet
    return JSONResponse(pet, status_code=201)


@app.get("/pets/{pet_id:int}")
async def get_pet(pet_id: int):
    if pet_id not in PETS:
        raise HTTPException(status_code=404)
    return make_response(PETS[pet_id])
