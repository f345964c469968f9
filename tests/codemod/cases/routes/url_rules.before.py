from flask import Flask, jsonify

app = Flask(__name__)


def health():
    return jsonify(status="ok")


def echo(word):
    return jsonify(word=word)


app.add_url_rule("/health", "health", health)
app.add_url_rule("/echo/<word>", view_func=echo, methods=["GET", "POST"])

RULE = "/computed/<int:n>"


@app.route(RULE)
def computed(n):
    return jsonify(n=n)
