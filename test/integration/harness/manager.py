"""The zdu-manager as tests drive it: commands with the secret, hot reloads, and the status
document of every httpd child (each answer names the child's pid and the generation it runs)."""
import threading
from urllib.parse import urlencode

from . import process
from .client import Client

SECRET = "s3cret"
HANDLER_CONF = "<Location /zdu-manager>\n    SetHandler zdu-manager\n</Location>\n"
MANAGER_CONF = HANDLER_CONF + f"ZduManagerSecret {SECRET}\n"


def command_path(**params):
    return "/zdu-manager?" + urlencode(params)


def secret_headers(secret=SECRET):
    return {"X-Zdu-Secret": secret} if secret is not None else {}


class Manager:
    def __init__(self, httpd, secret=SECRET):
        self.httpd = httpd
        self.secret = secret

    def command(self, method="GET", secret="default", **params):
        """One command on a connection of its own, as curl would send it."""
        secret = self.secret if secret == "default" else secret
        with Client(self.httpd.base_url) as client:
            return client.request(method, command_path(**params),
                                  headers=secret_headers(secret))

    def reload(self, secret="default"):
        """POST cmd=reload: (HTTP status, JSON answer)."""
        response = self.command("POST", secret=secret, cmd="reload")
        return response.status, response.json()

    def status(self, client=None):
        """cmd=status, on `client`'s connection (so on the child that holds it) when given."""
        if client is None:
            response = self.command(cmd="status")
        else:
            response = client.get(command_path(cmd="status"), headers=secret_headers(self.secret))
        if response.status != 200:
            raise AssertionError(f"cmd=status answered {response.status}: {response.text}")
        return response.json()

    def pid_of(self, client):
        """The httpd child holding client's connection (cmd=ping names it)."""
        response = client.get(command_path(cmd="ping"), headers=secret_headers(self.secret))
        if response.status != 200:
            raise AssertionError(f"cmd=ping answered {response.status}: {response.text}")
        return response.json()["pid"]

    def clients_per_child(self, timeout=10.0, batch=6):
        """{pid: Client} with one kept-alive connection held by each httpd child, found by
        opening connections in concurrent batches (each asks cmd=ping, whose answer names
        the child) until every child of httpd has one. Connections not kept are closed.
        Give httpd threads to spare (e.g. 32 per child): the event MPM closes the idle
        keep-alive connections of a child whose workers are all busy for a moment."""
        found = {}
        opened = []

        def probe(client, into):
            try:
                into.append((self.pid_of(client), client))
            except (OSError, AssertionError, ValueError, KeyError):
                into.append((None, client))

        def every_child_has_one():
            answers, threads = [], []
            batch_clients = [Client(self.httpd.base_url) for _ in range(batch)]
            opened.extend(batch_clients)
            for client in batch_clients:
                threads.append(threading.Thread(target=probe, args=(client, answers)))
                threads[-1].start()
            for t in threads:
                t.join()
            for pid, client in answers:
                if pid is not None and pid not in found:
                    found[pid] = client
            return set(self.httpd.child_pids()) <= set(found)

        done = process.wait_until(every_child_has_one, timeout, interval=0)
        kept = set(map(id, found.values()))
        for client in opened:
            if id(client) not in kept:
                client.close()
        if not done:
            for client in found.values():
                client.close()
            raise AssertionError(f"connections reached children {sorted(found)} of "
                                 f"{sorted(self.httpd.child_pids())}")
        return found

    def status_of_every_child(self, timeout=10.0):
        """{pid: status document} from every child of httpd."""
        clients = self.clients_per_child(timeout)
        try:
            return {pid: self.status(client) for pid, client in clients.items()}
        finally:
            for client in clients.values():
                client.close()
