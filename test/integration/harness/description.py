"""Cluster descriptions (lbxml-gen's input) for tests that run lbxml-gen against real httpd
front-ends: the document, front-ends that take pushes, and the command itself.

    front_ends = start_push_front_ends(self, backends, 3)
    secret = write_secret(directory)
    path.write_text(description_xml(servers(backends), manager_urls(front_ends), secret,
                                    server_refs=server_refs(backends)))
    lbxml_gen("apply-http-lb-changes", "--description", path, "lb1")
"""
import os
import pwd
import subprocess

from . import paths
from .httpd_conf import UNPRIVILEGED_USER
from .manager import HANDLER_CONF, SECRET
from .testcase import cluster_of
from .xml import loadbalancer_xml

PUSH_CONF = HANDLER_CONF + f"ZduManagerSecret {SECRET}\nZduConfigPush On\n"
NO_POLL = {"reload-poll-interval-in-seconds": 0}  # only pushes change the config

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cluster-description PUBLIC "-//mod_zdu//DTD Cluster Description 1.0//EN" "zdu-cluster-description_1_0.dtd">
<cluster-description>
  <applications>
    <application name="{app}" context-root="{context_root}"/>
  </applications>
  <clusters>
    <cluster name="{cluster}"{cluster_attrs}>
{servers}
      <application-ref ref="{app}"/>
    </cluster>
  </clusters>
  <lb-configs>
    <lb-config name="{lb_config}">
      <cluster-ref ref="{cluster}"{policy}>
{server_refs}        <application-ref ref="{app}"/>
      </cluster-ref>
{properties}
    </lb-config>
  </lb-configs>
  <load-balancers>
    <load-balancer name="{lb}" lb-config-name="{lb_config}" secret-file="{secret_file}">
{front_ends}
    </load-balancer>
  </load-balancers>
</cluster-description>
"""


def servers(backends, version=None, weights=None):
    """One <server> line per backend: its version unless `version` is given, and a weight
    when `weights` ({instance: weight}, 100 for the others) is given."""
    def weight(b):
        return "" if weights is None else f' weight="{weights.get(b.instance, 100)}"'
    return "\n".join(f'      <server name="{b.instance}" listeners="{b.listener}" '
                     f'version="{version or b.version}"{weight(b)}/>' for b in backends)


def server_refs(backends, disabled=()):
    return "".join(f'        <server-ref ref="{b.instance}" lb-enabled="'
                   f'{"false" if b.instance in disabled else "true"}"/>\n' for b in backends)


def description_xml(server_lines, front_end_urls, secret_file, server_refs="",
                    policy="round-robin", properties=None, app="app", context_root="/app",
                    cluster="c1", lb="lb1", lb_config=None, cluster_attrs=""):
    """A description of one application in one cluster, served by load balancer `lb` whose
    front-ends are `front_end_urls` (their managers). properties default to NO_POLL."""
    props = properties if properties is not None else NO_POLL
    return TEMPLATE.format(
        app=app, context_root=context_root, cluster=cluster, cluster_attrs=cluster_attrs,
        servers=server_lines, server_refs=server_refs, lb=lb, lb_config=lb_config or f"{lb}-config",
        secret_file=secret_file,
        policy=f' lb-policy="{policy}"' if policy else "",
        properties="\n".join(f'      <property name="{k}" value="{v}"/>'
                             for k, v in props.items()),
        front_ends="\n".join(f'      <front-end url="{u}"/>' for u in front_end_urls))


def lbxml_gen(*args, timeout=120, **run_opts):
    """lbxml-gen run to completion; its output captured unless run_opts say otherwise."""
    opts = {"capture_output": True, **run_opts}
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], text=True,
                          timeout=timeout, **opts)


def let_children_write(httpd):
    """httpd's children run as the unprivileged user when the tests run as root, and a push
    writes its temp file and the .bak beside the xml: they must own the server root."""
    if os.geteuid() == 0:
        pw = pwd.getpwnam(UNPRIVILEGED_USER)
        os.chown(httpd.root, pw.pw_uid, pw.pw_gid)


def start_push_front_ends(test, backends, count, extra_conf=PUSH_CONF, **httpd_opts):
    """`count` front-ends of one cluster on `backends` that take pushes, each polling nothing."""
    start_xml = loadbalancer_xml([cluster_of(backends)], NO_POLL)
    front_ends = [test.start_httpd(start_xml, extra_conf=extra_conf, **httpd_opts)
                  for _ in range(count)]
    for h in front_ends:
        let_children_write(h)
    return front_ends


def manager_urls(front_ends):
    return [h.url("/zdu-manager") for h in front_ends]


def write_secret(directory, secret=SECRET):
    path = directory / "secret"
    path.write_text(secret + "\n")
    return path
