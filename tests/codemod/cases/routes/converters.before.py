from flask import Blueprint

bp = Blueprint("files", __name__, url_prefix="/files/")


@bp.route("/<name>")
def by_name(name):
    return name


@bp.route("/<string:slug>/<float:version>")
def versioned(slug, version):
    return f"{slug} {version}"


@bp.route("/raw/<path:subpath>")
def raw(subpath):
    return subpath


@bp.route("/by-id/<uuid:file_id>")
def by_id(file_id):
    return str(file_id)


@bp.route("/kind/<any(image, video):kind>")
def by_kind(kind):
    return kind


@bp.route("/custom/<regex('[a-z]+'):word>")
def custom(word):
    return word
