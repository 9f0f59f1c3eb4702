#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (test/fuzz/corpus/<target>/) from conf-samples/,
the golden files and the strings the unit tests feed the same parsers, plus a few hand-made
seeds. Run it again after adding tests; the output is checked in. Each seed is named by the
hash of its bytes, so running it twice changes nothing."""
import codecs
import hashlib
import hmac
import pathlib
import random
import re
import shutil

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
UNIT = ROOT / "test" / "unit"
STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(s):
    return codecs.decode(s, "unicode_escape")


def literals(pattern, files):
    for f in files:
        for m in re.finditer(pattern, f.read_text()):
            yield tuple(unescape(g) for g in m.groups())


def raw_literals(files):
    for f in files:
        yield from re.findall(r'R"\((.*?)\)"', f.read_text(), re.S)


def route_sources():
    files = sorted(UNIT.glob("test_routing_*.cpp"))
    for cookie, path, session in literals(rf"find_route_sources\({STRING},\s*{STRING},\s*{STRING}", files):
        yield f"{session}\n{path}\n{cookie}"
    yield from [
        "JSESSIONID\n/app/x;jsessionid=abc.r1;jreplica=i2?q=1#f\nJROUTE=r1; JSESSIONID=\"abc.r1\"",
        "SID\n/\nSID=0000abc:clone1:clone2; JREPLICA=i3; ZDU_PIN=v2.1700000000.sig",
        "JSESSIONID\n/a;JSESSIONID=s:r3/b;jreplica=\nJROUTE=; JSESSIONID=.; a",
    ]


def set_cookie():
    files = sorted(UNIT.glob("test_routing_*.cpp"))
    for (header,) in literals(rf"parse_set_cookie\({STRING}", files):
        yield header
    for (header,) in literals(STRING, [UNIT / "test_routing_cookie_domain.cpp"]):
        if "=" in header:
            yield header
    yield from [
        "JSESSIONID=abc.r1; Domain=.APP1.example; Path=/; Secure",
        "JROUTE=r1; Max-Age=0",
        'JSESSIONID=""; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        "a=b; domain = 10.0.0.7 ; max-age=-1",
    ]


def manager_query():
    files = sorted(UNIT.glob("test_manager_*.cpp"))
    for (query,) in literals(rf"parse_query\({STRING}", files):
        yield "0" + query
    methods = {"GET": "0", "POST": "1", "HEAD": "2"}
    for method, query in literals(rf"parse_command\({STRING},\s*{STRING}", files):
        yield methods.get(method, "3") + query
    for (query,) in literals(r'"(cmd=(?:[^"\\]|\\.)*)"', files):
        yield "1" + query


def version_pin():
    # Pins signed as sessions/version_pin.cpp signs them, with the target's keys and clock.
    def pin(key, cluster, version, issued):
        m = f"zdu-pin-1\n{len(cluster)}:{cluster}\n{version}\n{issued}".encode()
        sig = codecs.encode(hmac.new(key, m, hashlib.sha256).digest(), "base64").decode()
        sig = sig.strip().replace("+", "-").replace("/", "_").rstrip("=")
        return f"{version}.{issued}.{sig}"

    now = 1_700_000_000
    for cluster, version, key in [("cluster1", "2.0", b"current-key-0123456789"),
                                  ("shop", "1.4.2-rc_1", b"previous-key-9876543210")]:
        yield f"{cluster}\n{version}\n{pin(key, cluster, version, now - 3600)}"
    yield "cluster1\n2.0\n2.0.1700000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    yield "c\nv\n.1.x"


def session_table():
    # FuzzedDataProvider input: any bytes are a valid operation sequence.
    rng = random.Random(16)
    for size in (16, 64, 256, 1024, 4096):
        yield bytes(rng.randrange(256) for _ in range(size))


def config_loader():
    for f in [*sorted((ROOT / "conf-samples").glob("*.xml")), *sorted((UNIT / "golden").glob("*.loadbalancer.xml"))]:
        text = f.read_text()
        if "<loadbalancer" in text:
            yield text
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<loadbalancer>\n'
    for body in raw_literals(sorted(UNIT.glob("test_config_*.cpp"))):
        if "<loadbalancer" in body:
            yield body
        elif "<cluster" in body or "<property" in body:
            yield head + body + "</loadbalancer>\n"


def description():
    head = ('<?xml version="1.0"?>\n<!DOCTYPE cluster-description PUBLIC "-//mod_zdu//DTD Cluster '
            'Description 1.0//EN" "zdu-cluster-description_1_0.dtd">\n')
    for f in [ROOT / "conf-samples" / "cluster-description.xml", *sorted((UNIT / "golden").glob("*description*.xml"))]:
        yield f.read_text()
    files = sorted(UNIT.glob("test_description_*.cpp"))
    for body in raw_literals(files):
        if "<cluster-description" in body:
            yield body if "<!DOCTYPE" in body else head + body
    # with_body("<clusters>" "..."): adjacent literals, spliced as the tests splice them.
    for f in files:
        for m in re.finditer(rf"with_body\(((?:\s*{STRING})+)\s*\)", f.read_text()):
            body = "".join(unescape(x) for x in re.findall(STRING, m.group(1)))
            yield head + "<cluster-description>\n" + body + "</cluster-description>\n"
    # The sample without one of its sections at a time: smaller valid and invalid documents.
    sample = (ROOT / "conf-samples" / "cluster-description.xml").read_text()
    for section in ("applications", "clusters", "servers", "lb-configs", "load-balancers"):
        yield re.sub(rf"<{section}>.*?</{section}>", "", sample, flags=re.S)


def xml_dict(dtd_names, extra):
    """libFuzzer dictionary: the DTDs' element and attribute names as tags and attributes."""
    tokens = set(extra)
    for name in dtd_names:
        text = (ROOT / "dtd" / name).read_text()
        for element in re.findall(r"<!ELEMENT\s+([\w-]+)", text):
            tokens.update({f"<{element}", f"</{element}>", f"<{element}/>"})
        for attlist in re.findall(r"<!ATTLIST\s+[\w-]+(.*?)>", text, re.S):
            tokens.update(f" {a}=\"" for a in re.findall(r"^\s*([\w-]+)\s", attlist, re.M))
    return sorted(tokens)


XML_TOKENS = ['<?xml version="1.0"?>', "<!DOCTYPE ", "<!--", "-->", "<![CDATA[", "]]>", "&amp;",
              "&#x41;", '"', "http://", "https://", "ajp://", ":8080", "true", "false", "/"]
DICTS = {
    "config_loader": xml_dict(["zdu-loadbalancer_1_4.dtd", "glassfish-loadbalancer_1_3.dtd"],
                              XML_TOKENS + ["round-robin", "weighted-round-robin", "adaptive",
                                            "user-defined", "zdu-"]),
    "description": xml_dict(["zdu-cluster-description_1_0.dtd"], XML_TOKENS),
    "route_sources": ["JROUTE=", "JSESSIONID=", "JREPLICA=", "ZDU_PIN=", ";jsessionid=",
                      ";JSESSIONID=", ";jreplica=", "; ", ".", ":", "?", "#", "/", '"', "\n"],
    "set_cookie": ["JROUTE=", "JSESSIONID=", "; ", "Max-Age=", "max-age=-", "Expires=", "1970",
                   "Domain=", "domain=.", "app1.example", "10.0.0.7", '""', "Path=/"],
    "manager_query": ["cmd=", "&", "=", "%", "+", "%00", "%zz", "instance=", "cluster=", "domain=",
                      "url=", "hash=", "timeout=", "version=", "percent=", "context-root=",
                      "reset-overrides=1", "ping", "status", "reload", "push-validate",
                      "push-commit", "enable-", "disable-", "stop-", "drain-", "-instance",
                      "-domain", "-web-module", "set-active-version", "start-canary",
                      "stop-canary", "http://", "[::1]"],
}


def dict_entry(token):
    escaped = "".join(c if c.isprintable() and c not in '\\"' else f"\\x{ord(c):02x}"
                      for c in token)
    return f'"{escaped}"'


TARGETS = {f.__name__: f for f in [route_sources, set_cookie, manager_query, version_pin,
                                   session_table, config_loader, description]}

if __name__ == "__main__":
    total = 0
    for name, seeds in TARGETS.items():
        out = HERE / "corpus" / name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        for seed in seeds():
            data = seed if isinstance(seed, bytes) else seed.encode()
            (out / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)
        files = list(out.iterdir())
        size = sum(f.stat().st_size for f in files)
        total += size
        print(f"{name}: {len(files)} seeds, {size} bytes")
    print(f"total: {total} bytes")
    (HERE / "dict").mkdir(exist_ok=True)
    for name, tokens in DICTS.items():
        lines = [f"# {name}: written by make_corpus.py"] + [dict_entry(t) for t in tokens]
        (HERE / "dict" / f"{name}.dict").write_text("\n".join(lines) + "\n")
