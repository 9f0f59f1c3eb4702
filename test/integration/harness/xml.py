"""loadbalancer.xml text from plain dicts, so tests state only what they care about.

    loadbalancer_xml([{
        "name": "c1", "policy": "round-robin",
        "instances": [{"name": "i1", "listeners": "http://127.0.0.1:8081", "version": "1.0"}],
        "web_modules": [{"context_root": "/app", "idempotent": [("/*.jsp", 3)]}],
        "health_checker": {"url": "/health", "interval": 1, "timeout": 2},
    }], properties={"reload-poll-interval-in-seconds": 1})

Attributes left out are left to the DTD's defaults. Listeners may be strings, lists, or objects
with a `listener` attribute (harness Backends).
"""
from xml.sax.saxutils import escape, quoteattr

GLASSFISH_DOCTYPE = ('<!DOCTYPE loadbalancer PUBLIC "-//Sun Microsystems Inc.//DTD Sun Java '
                     'System Application Server 9.1//EN" "glassfish-loadbalancer_1_3.dtd">')
ZDU_DOCTYPE = ('<!DOCTYPE loadbalancer PUBLIC "-//mod_zdu//DTD Load Balancer 1.4//EN" '
               '"zdu-loadbalancer_1_4.dtd">')

# dict key -> xml attribute, in the order GlassFish writes them; extensions last.
CLUSTER_ATTRS = {"name": "name", "policy": "policy", "policy_module": "policy-module",
                 "session_cookie": "session-cookie", "active_version": "active-version",
                 "canary_version": "canary-version", "canary_percent": "canary-percent"}
INSTANCE_ATTRS = {"name": "name", "enabled": "enabled",
                  "disable_timeout": "disable-timeout-in-minutes", "listeners": "listeners",
                  "weight": "weight", "version": "version", "route": "route", "domain": "domain"}
WEB_MODULE_ATTRS = {"context_root": "context-root", "enabled": "enabled",
                    "disable_timeout": "disable-timeout-in-minutes", "error_url": "error-url",
                    "logout_url_pattern": "logout-url-pattern",
                    "session_timeout": "session-timeout-in-minutes",
                    "stale_session": "stale-session"}
HEALTH_ATTRS = {"url": "url", "interval": "interval-in-seconds", "timeout": "timeout-in-seconds"}
EXTENSION_KEYS = {"session_cookie", "version", "route", "domain", "active_version",
                  "canary_version", "canary_percent", "logout_url_pattern", "session_timeout",
                  "stale_session"}


def loadbalancer_xml(clusters, properties=None, doctype="auto"):
    """doctype: "auto" (the mod_zdu DTD only when an extension attribute is used), "glassfish",
    "zdu", None for no DOCTYPE, or a literal DOCTYPE line."""
    if isinstance(clusters, dict):
        clusters = [clusters]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    chosen = _doctype(clusters, doctype)
    if chosen:
        lines.append(chosen)
    lines.append("<loadbalancer>")
    for cluster in clusters:
        lines += _cluster(cluster)
    lines += _properties(properties)
    lines.append("</loadbalancer>")
    return "\n".join(lines) + "\n"


def uses_extensions(clusters):
    keys = set()
    for cluster in clusters:
        keys |= {k for k, v in cluster.items() if v is not None}
        for element in cluster.get("instances", []) + cluster.get("web_modules", []):
            keys |= {k for k, v in element.items() if v is not None}
    return bool(keys & EXTENSION_KEYS)


def _doctype(clusters, doctype):
    if doctype == "auto":
        return ZDU_DOCTYPE if uses_extensions(clusters) else GLASSFISH_DOCTYPE
    return {"glassfish": GLASSFISH_DOCTYPE, "zdu": ZDU_DOCTYPE}.get(doctype, doctype)


def _cluster(cluster):
    children = {"instances", "web_modules", "health_checker"}
    lines = [f"  <cluster{_attrs(cluster, CLUSTER_ATTRS, children)}>"]
    for instance in cluster.get("instances", []):
        instance = dict(instance, listeners=_listeners(instance.get("listeners")))
        lines.append(f"    <instance{_attrs(instance, INSTANCE_ATTRS)}/>")
    for module in cluster.get("web_modules", []):
        lines += _web_module(module)
    if cluster.get("health_checker") is not None:
        lines.append(f"    <health-checker{_attrs(cluster['health_checker'], HEALTH_ATTRS)}/>")
    lines.append("  </cluster>")
    return lines


def _web_module(module):
    patterns = module.get("idempotent", [])
    head = f"    <web-module{_attrs(module, WEB_MODULE_ATTRS, {'idempotent'})}"
    if not patterns:
        return [head + "/>"]
    lines = [head + ">"]
    for pattern in patterns:
        url, retries = _pattern(pattern)
        retries_attr = "" if retries is None else f" no-of-retries={quoteattr(str(retries))}"
        lines.append(f"      <idempotent-url-pattern url-pattern={quoteattr(url)}{retries_attr}/>")
    lines.append("    </web-module>")
    return lines


def _pattern(pattern):
    """A pattern as "url", (url, retries) or {"url_pattern": ..., "no_of_retries": ...}."""
    if isinstance(pattern, str):
        return pattern, None
    if isinstance(pattern, dict):
        return pattern["url_pattern"], pattern.get("no_of_retries")
    return pattern[0], pattern[1]


def _properties(properties):
    if not properties:
        return []
    items = properties.items() if isinstance(properties, dict) else properties
    lines = []
    for name, value, *description in items:
        attrs = f"name={quoteattr(str(name))} value={quoteattr(_text(value))}"
        if description:
            lines += [f"  <property {attrs}>",
                      f"    <description>{escape(description[0])}</description>",
                      "  </property>"]
        else:
            lines.append(f"  <property {attrs}/>")
    return lines


def _listeners(listeners):
    if listeners is None or isinstance(listeners, str):
        return listeners
    if hasattr(listeners, "listener"):
        return listeners.listener
    return " ".join(getattr(item, "listener", item) for item in listeners)


def _attrs(element, names, children=frozenset()):
    unknown = set(element) - set(names) - set(children)
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; known: {sorted(names)}")
    return "".join(f" {attr}={quoteattr(_text(element[key]))}"
                   for key, attr in names.items() if element.get(key) is not None)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
