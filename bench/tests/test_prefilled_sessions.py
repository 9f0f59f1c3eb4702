"""The cookies of the 1M-tracked row: ids mod_zdu's bench-only start-up path made, each sent
with the route of the instance that path bound it to. No server is started."""
import unittest

from zdubench import httpds, sessions, targets


def logins(ports):
    return [sessions.Session({"JSESSIONID": f"x.p{p}", "JROUTE": f"r{p}"}, p) for p in ports]


class Prefilled(unittest.TestCase):
    def test_ids_are_mod_zdus_32_character_bench_ids(self):
        self.assertEqual(httpds.prefilled_id(42), "BENCH000000000000000000000000042")
        self.assertEqual(len(httpds.prefilled_id(999_999)), 32)

    def test_each_session_carries_the_route_of_its_instance(self):
        ports = [8001, 8002, 8003]
        target = targets.Target(targets.ZDU_1M, "http://x", ports=ports)
        chosen = sessions.prefilled(target, logins(reversed(ports)), 1000, 1_000_000)
        for s in chosen:
            n = int(s.cookies["JSESSIONID"][len("BENCH"):])
            self.assertEqual(s.port, ports[n % 3])
            self.assertEqual(s.cookies["JROUTE"], f"r{ports[n % 3]}")
        self.assertEqual(len({s.cookies["JSESSIONID"] for s in chosen}), 1000)
        self.assertEqual({s.port for s in chosen[:3]}, set(ports))

    def test_distinct_over_the_whole_million_and_within_it(self):
        target = targets.Target(targets.ZDU_1M, "http://x", ports=[1, 2])
        chosen = sessions.prefilled(target, logins([1, 2]), 100_000, 1_000_000)
        numbers = [int(s.cookies["JSESSIONID"][5:]) for s in chosen]
        self.assertEqual(len(set(numbers)), 100_000)
        self.assertLess(max(numbers), 1_000_000)
        self.assertGreater(max(numbers), 900_000)

    def test_probes_lose_the_route_cookie_only(self):
        target = targets.Target(targets.ZDU_1M, "http://x", ports=[1, 2])
        chosen = sessions.prefilled(target, logins([1, 2]), 4, 1_000_000)
        bare = sessions.without_route(chosen)
        self.assertEqual([s.header() for s in bare],
                         [f"JSESSIONID={s.cookies['JSESSIONID']}" for s in chosen])
        self.assertEqual([s.port for s in bare], [s.port for s in chosen])


if __name__ == "__main__":
    unittest.main()
