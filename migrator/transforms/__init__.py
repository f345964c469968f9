"""One libcst transformer per Flask concern, run together by `FlaskToFastAPI`.

The order matters where concerns meet on one node: routes first (they decide which
functions are views), imports last (they see what the others left).
"""

from __future__ import annotations

from migrator.transforms.app import AppConcern
from migrator.transforms.base import Concern, FileState, FlaskToFastAPI, RouteRecord
from migrator.transforms.blueprints import BlueprintConcern
from migrator.transforms.class_views import ClassViewConcern
from migrator.transforms.cli import CliConcern
from migrator.transforms.errors import ErrorConcern
from migrator.transforms.extensions import ExtensionConcern
from migrator.transforms.imports import ImportsConcern
from migrator.transforms.request import RequestConcern
from migrator.transforms.responses import ResponseConcern
from migrator.transforms.routes import RouteConcern
from migrator.transforms.schema_routes import SchemaRouteConcern
from migrator.transforms.schemas_marshmallow import MarshmallowConcern
from migrator.transforms.sessions import SessionConcern
from migrator.transforms.templates import TemplateConcern
from migrator.transforms.test_client import TestClientConcern

CONCERNS: tuple[type[Concern], ...] = (
    RouteConcern,
    RequestConcern,
    TemplateConcern,
    SessionConcern,
    TestClientConcern,
    ResponseConcern,
    ErrorConcern,
    AppConcern,
    CliConcern,
    BlueprintConcern,
    ClassViewConcern,
    ExtensionConcern,
    MarshmallowConcern,
    SchemaRouteConcern,
    ImportsConcern,
)

__all__ = ["CONCERNS", "FileState", "FlaskToFastAPI", "RouteRecord"]
