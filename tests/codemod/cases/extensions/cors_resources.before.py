"""CORS for one pattern of paths, with headers and methods."""

from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={r"/api/*": {"origins": ["https://a.example", "https://b.example"]}}, methods=["GET", "POST"], expose_headers="X-Total")
