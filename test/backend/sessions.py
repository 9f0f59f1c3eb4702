"""Session ids the way app servers shape them, and finding the one a request carries."""
import secrets


def new_session_value(route_style, route):
    """A fresh session cookie value, suffixed with the route as the named app server does."""
    sid = secrets.token_hex(16).upper()
    if route_style == "tomcat":
        return f"{sid}.{route}"
    if route_style == "websphere":
        return f"0000{sid}:{route}"
    return sid


def cookie_value(cookie_headers, name):
    """The value of cookie `name` in the request's Cookie headers, or None."""
    for header in cookie_headers:
        for pair in header.split(";"):
            key, sep, value = pair.strip().partition("=")
            if sep and key == name:
                return value
    return None


def path_param_value(target, name):
    """The value of the `;name=` path parameter of the request target (query excluded), or None."""
    path = target.split("?", 1)[0]
    marker = f";{name.lower()}="
    start = path.lower().find(marker)
    if start < 0:
        return None
    value = path[start + len(marker):]
    for stop in (";", "/"):
        value = value.split(stop, 1)[0]
    return value


def carried_session(cookie_headers, target, cookie_name):
    """The session the request carries: its session cookie first, then the URL path parameter
    (servlet containers name that parameter after the cookie, in lower case)."""
    found = cookie_value(cookie_headers, cookie_name)
    if found is None:
        found = path_param_value(target, cookie_name)
    return found
