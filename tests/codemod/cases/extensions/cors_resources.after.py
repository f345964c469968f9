"""CORS for one pattern of paths, with headers and methods."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
import flask_compat

app = FastAPI()
flask_compat.install(app, __name__)
app.add_middleware(CORSMiddleware, allow_methods=["GET", "POST"], expose_headers=["X-Total"], allow_origins=["https://a.example", "https://b.example"], allow_headers=["*"])
