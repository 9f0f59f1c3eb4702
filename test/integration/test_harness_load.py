"""The load generator and the manager helper of the reload tests can see what they claim to
see: failed requests, dropped connections, sessions that moved, and every httpd child."""
import unittest

from harness import HarnessTestCase, ZduTestCase, process
from harness.load import SessionLoad
from harness.manager import MANAGER_CONF, Manager


class LoadSeesFailures(HarnessTestCase):
    def test_a_dead_server_shows_as_failures_and_reconnections(self):
        backend = self.start_backend("b1")
        with SessionLoad(backend.base_url, clients=3) as load:
            load.wait_requests(30)
            backend.kill9()
            self.assertTrue(process.wait_until(lambda: len(load.failures) >= 3, 10.0))
            load.phase = "back"
            backend.start()  # the same port: the clients connect again
            load.wait_requests(30)
        self.assertEqual(load.moved(), [], "one instance: nothing to move to")
        self.assertEqual({phase for _, phase, _ in load.failures} - {"back"}, {"before"})
        self.assertEqual(len(load.reconnected()), 3, "each client had to connect again")


class LoadSeesMovedSessions(ZduTestCase):
    def test_sessions_of_a_killed_instance_show_as_moved(self):
        httpd, backends = self.start_cluster(versions=("1.0", "1.0"))
        with SessionLoad(httpd.base_url, clients=8) as load:
            load.wait_requests(50)
            backends[0].kill9()
            load.wait_requests(50)
        on_i1 = {s.index for s in load.sessions if s.home == "i1"}
        self.assertTrue(on_i1, "round-robin put sessions on i1")
        self.assertEqual({k for k, _, _ in load.moved()}, on_i1)


class EveryChild(ZduTestCase):
    def test_one_connection_held_by_each_child(self):
        # With 8 threads, a child whose workers are all busy for a moment closes its idle
        # keep-alive connections "so that they may connect to another process" (event MPM).
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=MANAGER_CONF, threads=32)
        manager = Manager(httpd)
        per_child = manager.clients_per_child()
        for client in per_child.values():
            self.addCleanup(client.close)
        self.assertEqual(sorted(per_child), sorted(httpd.child_pids()))
        self.assertEqual(len(per_child), 3)
        for pid, client in per_child.items():
            self.assertEqual((manager.pid_of(client), client.connections), (pid, 1),
                             "the connection stays on its child")
        self.assertEqual(set(manager.status_of_every_child()), set(per_child))


if __name__ == "__main__":
    unittest.main()
