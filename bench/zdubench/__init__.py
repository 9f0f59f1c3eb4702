"""mod_zdu benchmarks on loopback: nginx backends, httpd with mod_zdu or mod_proxy_balancer,
HAProxy, measured with wrk. bench/run.py is the entry point."""
