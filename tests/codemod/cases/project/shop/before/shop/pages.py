from flask import Blueprint, redirect

bp = Blueprint("pages", __name__, url_prefix="/old")


@bp.route("/")
def home():
    return "<h1>Shop</h1>"


@bp.route("/go")
def go():
    return redirect("/pages/")
