from shop.flask_compat import request


def paging():
    """Offset and limit from the query string, as the legacy helpers read them."""
    offset = request.args.get("offset", 0, type=int)
    limit = request.args.get("limit", 10, type=int)
    return max(offset, 0), min(max(limit, 1), 50)
