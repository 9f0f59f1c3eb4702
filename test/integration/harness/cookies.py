"""A minimal cookie jar: name -> value, fed by Set-Cookie headers. Path, domain and secure
flags are ignored; the harness talks to one server at a time."""
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


def parse_set_cookie(header):
    """(name, value, attributes) of one Set-Cookie header; attribute names in lower case."""
    first, *rest = header.split(";")
    name, _, value = first.partition("=")
    attributes = {}
    for item in rest:
        key, _, attr_value = item.strip().partition("=")
        if key:
            attributes[key.lower()] = attr_value.strip()
    return name.strip(), value.strip(), attributes


def is_deletion(attributes):
    """True for Max-Age <= 0 or an Expires in the past (Max-Age wins, per RFC 6265)."""
    if "max-age" in attributes:
        try:
            return int(attributes["max-age"]) <= 0
        except ValueError:
            return False
    if "expires" in attributes:
        try:
            return parsedate_to_datetime(attributes["expires"]) <= datetime.now(timezone.utc)
        except (TypeError, ValueError):
            return False
    return False


class CookieJar(dict):
    def update_from(self, set_cookie_headers):
        for header in set_cookie_headers:
            name, value, attributes = parse_set_cookie(header)
            if not name:
                continue
            if is_deletion(attributes):
                self.pop(name, None)
            else:
                self[name] = value

    def header_value(self):
        """The Cookie request header, or None when the jar is empty."""
        return "; ".join(f"{k}={v}" for k, v in self.items()) or None
