"""/api/v1/docs: the OpenAPI document to read, drawn by Swagger UI from the files of the
swagger-ui-bundle package (installed with Razem, never a CDN). The page runs no inline
script, so the strict Content-Security-Policy holds."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blueprint = Blueprint("api_reference", __name__, template_folder="templates")
# The files the page loads; the package holds more (source maps, its own index page).
SWAGGER_UI_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})
ONE_DAY = 24 * 3600


@blueprint.get("/api/v1/docs")
def documentation():
    return render_template("api/docs.html")


@blueprint.get("/api/v1/docs/swagger-ui/<name>")
def swagger_ui(name: str):
    if name not in SWAGGER_UI_FILES:
        abort(404)
    return send_from_directory(swagger_ui_path, name, max_age=ONE_DAY)
