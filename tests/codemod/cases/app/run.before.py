import flask

app = flask.Flask(__name__)
app.config.from_mapping(SECRET_KEY="dev")
app.secret_key = "changed"
app.debug = True


@app.route("/")
def index():
    app.logger.info("index")
    return flask.jsonify(ok=True)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)
