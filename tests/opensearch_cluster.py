"""A throw-away OpenSearch cluster of two nodes on loopback, for
tests/test_search_cluster.py.

It runs the distribution `make test` already has (scripts/with-services.sh
exports OPENSEARCH_HOME, OPENSEARCH_JAVA_HOME and OPENSEARCH_USER); outside
`make test` it unzips the copy that script cached in ~/.m2, and downloads
nothing. Both nodes run from that one installation, each with its own
configuration, data and log folder under a scratch directory, in their own
process group, so `stop()` ends them (and everything they started) and
removes the directory whatever state they are in."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

VERSION = os.environ.get("OPENSEARCH_VERSION", "3.5.0")
M2_REPO = Path(os.environ.get("M2_REPO", Path.home() / ".m2" / "repository"))
ZIP = M2_REPO / f"org/opensearch/distribution/integ-test-zip/opensearch/{VERSION}/opensearch-{VERSION}.zip"
SERVICE_USER = "kennisbank-svc"  # scripts/with-services.sh: the engines refuse to run as root
HEAP = "256m"
NAMES = ("node-1", "node-2")


class Unavailable(RuntimeError):
    """The distribution, a Java 21+ runtime or a user to run it as is not here."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def java_home():
    candidates = [os.environ.get("OPENSEARCH_JAVA_HOME"), os.environ.get("JAVA_HOME")]
    candidates += sorted(str(path) for path in Path("/usr/lib/jvm").glob("*"))
    for home in filter(None, candidates):
        java = Path(home, "bin", "java")
        if not java.exists():
            continue
        output = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        major = output.split('"')[1].split(".")[0] if '"' in output else "0"
        if major.isdigit() and int(major) >= 21:
            return home
    raise Unavailable("no Java 21+ runtime (OPENSEARCH_JAVA_HOME, JAVA_HOME or /usr/lib/jvm)")


def run_as():
    """The account the nodes run as: ourselves, unless we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("OPENSEARCH_USER", SERVICE_USER)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise Unavailable(f"running as root and there is no user {name!r} to run OpenSearch as (scripts/with-services.sh creates it)")


class Node:
    def __init__(self, name, directory, http_port, transport_port):
        self.name, self.directory = name, directory
        self.http_port, self.transport_port = http_port, transport_port
        self.url = f"http://127.0.0.1:{http_port}"
        self.process = None

    @property
    def log(self):
        path = self.directory / "logs" / "kennisbank-cluster-test.log"
        return path.read_text(errors="replace")[-6000:] if path.exists() else "(no log yet)"

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


class Cluster:
    def __init__(self):
        self.work = None
        self.nodes = []
        self.lost = []

    def start(self, timeout=240):
        self.user = run_as()
        java = java_home()
        self.work = Path(tempfile.mkdtemp(prefix="kennisbank-cluster-"))
        home = self._distribution()
        ports = [(free_port(), free_port()) for _ in NAMES]
        seeds = ", ".join(f'"127.0.0.1:{transport}"' for _, transport in ports)
        for name, (http, transport) in zip(NAMES, ports):
            node = Node(name, self.work / name, http, transport)
            self._configure(node, home, seeds)
            self.nodes.append(node)
        if self.user:
            subprocess.run(["chown", "-R", f"{self.user.pw_uid}:{self.user.pw_gid}", self.work], check=True)
        # Both at once: a node waits for the other to elect a cluster manager.
        for node in self.nodes:
            self._launch(node, home, java)
        self.wait_for(lambda health: health["number_of_nodes"] == 2, "two nodes joined", timeout)

    def _distribution(self):
        home = os.environ.get("OPENSEARCH_HOME")
        if home and Path(home, "bin", "opensearch").exists():
            return Path(home)
        if not ZIP.exists():
            raise Unavailable(f"no OpenSearch distribution: OPENSEARCH_HOME is not set and {ZIP} is not there (scripts/with-services.sh fetches it)")
        with zipfile.ZipFile(ZIP) as archive:
            archive.extractall(self.work)
        home = self.work / f"opensearch-{VERSION}"
        for script in (home / "bin").iterdir():
            script.chmod(0o755)
        return home

    def _configure(self, node, home, seeds):
        config = node.directory / "config"
        shutil.copytree(home / "config", config)
        for folder in ("data", "logs", "tmp"):
            (node.directory / folder).mkdir()
        (config / "jvm.options.d" / "heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n")
        (config / "opensearch.yml").write_text(
            f"""cluster.name: kennisbank-cluster-test
node.name: {node.name}
network.host: 127.0.0.1
http.port: {node.http_port}
transport.port: {node.transport_port}
discovery.seed_hosts: [{seeds}]
cluster.initial_cluster_manager_nodes: [{", ".join(NAMES)}]
path.data: {node.directory / "data"}
path.logs: {node.directory / "logs"}
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
"""
        )

    def _launch(self, node, home, java):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "OPENSEARCH_JAVA_HOME": java,
            "OPENSEARCH_PATH_CONF": str(node.directory / "config"),
            "OPENSEARCH_TMPDIR": str(node.directory / "tmp"),
        }
        user = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []} if self.user else {}
        # Foreground: bin/opensearch execs the JVM, so the process is the node.
        node.process = subprocess.Popen(
            [home / "bin" / "opensearch"],
            cwd=node.directory,  # jvm.options writes gc logs and heap dumps relative to it
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(node.directory / "logs" / "stderr.log", "wb"),
            start_new_session=True,
            **user,
        )

    def client(self, node):
        from opensearchpy import OpenSearch

        return OpenSearch(hosts=[node.url], timeout=30, max_retries=0)

    def running(self):
        return next(node for node in self.nodes if node not in self.lost)

    def get(self, path, **params):
        """A _cat API of the cluster as JSON, asked of a node that runs."""
        return self.client(self.running()).transport.perform_request("GET", path, params={"format": "json", **params})

    def health(self):
        return self.client(self.running()).cluster.health()

    def node_named(self, name):
        return next(node for node in self.nodes if node.name == name)

    def cluster_manager(self):
        return self.node_named(self.get("/_cat/cluster_manager")[0]["node"])

    def voting_nodes(self):
        """Names of the nodes whose votes elect the cluster manager."""
        ids = self.client(self.running()).cluster.state(metric="metadata")["metadata"]["cluster_coordination"]["last_committed_config"]
        names = {node["id"]: node["name"] for node in self.get("/_cat/nodes", h="id,name", full_id="true")}
        return {names[node_id] for node_id in ids}

    def shards(self, indexes):
        """{(index, "p" or "r"): (node name or None, state)} of one-shard indexes."""
        rows = self.get(f"/_cat/shards/{','.join(indexes)}", h="index,shard,prirep,state,node")
        return {(row["index"], row["prirep"]): (row["node"], row["state"]) for row in rows}

    def fail_primaries_on(self, node, indexes):
        """Fail the primary copies on `node`: the replicas elsewhere are
        promoted and a new replica is copied back to `node`."""
        commands = [
            {"cancel": {"index": index, "shard": 0, "node": node.name, "allow_primary": True}}
            for index in indexes
            if self.shards([index])[(index, "p")][0] == node.name
        ]
        if commands:
            self.client(self.running()).cluster.reroute(body={"commands": commands})

    def lose(self, node):
        """Lose the node as a crash or a pulled plug would: SIGKILL, no shutdown."""
        self.lost.append(node)
        node.kill()

    def wait_for(self, condition, what, timeout=120):
        """Poll the cluster's health until `condition(health)` holds; on a
        timeout or a node that died, fail with the nodes' logs."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            dead = [n for n in self.nodes if n.process.poll() is not None and n not in self.lost]
            if dead:
                raise AssertionError(f"{dead[0].name} exited ({dead[0].process.returncode}) before {what}:\n{dead[0].log}")
            try:
                last = self.health()
                if condition(last):
                    return last
            except Exception as exc:  # not up yet
                last = repr(exc)
            time.sleep(1)
        logs = "\n".join(f"--- {n.name}\n{n.log}" for n in self.nodes)
        raise AssertionError(f"cluster not {what} after {timeout} s (last health: {last})\n{logs}")

    def stop(self):
        for node in self.nodes:
            try:
                node.kill()
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)
