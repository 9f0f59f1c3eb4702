"""Reading request bodies, framed by Content-Length or chunked transfer coding."""


def read_body(headers, rfile):
    """Reads the whole request body so the connection stays in step for the next request."""
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return _read_chunked(rfile)
    length = int(headers.get("Content-Length") or 0)
    return rfile.read(length) if length > 0 else b""


def _read_chunked(rfile):
    body = bytearray()
    while True:
        size = int(rfile.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            _skip_trailers(rfile)
            return bytes(body)
        body += rfile.read(size)
        rfile.readline(65537)


def _skip_trailers(rfile):
    while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
        pass
