from flask import Flask, jsonify, request
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    remember = request.form.get("remember", "no")
    return jsonify(user=username, remember=remember)


@app.route("/upload", methods=["POST"])
def upload():
    file = request.files.get("document")
    if file is None:
        return jsonify(error="no file"), 400
    file.save("/tmp/" + secure_filename(file.filename))
    return jsonify(name=file.filename, type=file.mimetype)


@app.route("/whoami")
def whoami():
    agent = request.headers.get("User-Agent", "")
    tenant = request.headers["X-Tenant-ID"]
    session_id = request.cookies.get("session_id")
    return jsonify(
        agent=agent,
        tenant=tenant,
        session=session_id,
        method=request.method,
        path=request.path,
        url=request.url,
        host=request.host,
        ip=request.remote_addr,
        auth=request.authorization,
    )
