"""A small pets API whose views validate their JSON bodies by hand."""

from fastapi import Body, FastAPI, HTTPException
from pets import api_models, flask_compat
from pets.flask_compat import JSONResponse, make_response
from typing import Annotated, Any

app = FastAPI()
flask_compat.install(app, __name__)
api_models.install_openapi(app)

PETS = {1: {"id": 1, "name": "Rex", "tag": None}}


@app.get("/pets", response_model=api_models.PetList)
async def list_pets(limit: Annotated[int, flask_compat.arg_type(int, 20)] = 20):
    return JSONResponse({"items": list(PETS.values())[:limit]})


@app.post("/pets", response_model=api_models.Pet)
async def create_pet(data: Annotated[Any, Body(), flask_compat.json_body()]):
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return JSONResponse({"error": "name must be a string"}, status_code=400)
    pet = {"id": max(PETS) + 1, "name": data["name"], "tag": data.get("tag")}
    PETS[pet["id"]] = pet
    return JSONResponse(pet, status_code=201)


@app.get("/pets/{pet_id:int}", response_model=api_models.Pet)
async def get_pet(pet_id: int):
    if pet_id not in PETS:
        raise HTTPException(status_code=404)
    return make_response(PETS[pet_id])
