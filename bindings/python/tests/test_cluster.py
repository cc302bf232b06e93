"""pypct.ClusterStore on a throw-away 3-member etcd (scripts/cluster); skipped without etcd."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

import pypct

SCRIPT = os.path.join(os.environ.get("PCT_SOURCE_DIR", ""), "scripts", "cluster")


@pytest.fixture
def endpoints() -> Iterator[str]:
    if shutil.which("etcd") is None or not os.path.exists(SCRIPT):
        pytest.skip("etcd is not installed (apt-get install etcd-server)")
    directory = tempfile.mkdtemp(prefix="pct-py-etcd.")
    port = 30000 + (os.getpid() % 3000) * 10
    try:
        started = subprocess.run(
            ["bash", SCRIPT, "start", directory, str(port)],
            capture_output=True,
            text=True,
            env={**os.environ, "PCT_ETCD_LOGLEVEL": "error"},
            timeout=30,
        )
        assert started.returncode == 0, started.stderr
        line = next(x for x in started.stdout.splitlines() if x.startswith("PCT_ETCD_ENDPOINTS="))
        yield line.split("=", 1)[1]
    finally:
        subprocess.run(["bash", SCRIPT, "stop", directory], timeout=30)


def test_ctids_configs_and_locks(endpoints: str) -> None:
    n1 = pypct.ClusterStore(endpoints, "n1", prefix="/py/")
    n2 = pypct.ClusterStore(endpoints, "n2", prefix="/py/")
    assert n1.node == "n1" and n1.prefix == "/py/"
    assert n1.allocate_ctid("memory: 512\n") == 100
    with pytest.raises(pypct.AlreadyExistsError) as taken:
        n2.claim_ctid(100, "x\n")
    assert "CT 100 already exists (on node n1)" in str(taken.value)
    n2.claim_ctid(200, "hostname: b\n")

    text, digest, revision = n2.read_config(100)
    assert text == "memory: 512\n" and len(digest) == 40 and revision > 0
    written = n2.write_config(100, "memory: 1024\n", revision=revision)
    assert written > revision
    with pytest.raises(pypct.DigestMismatchError):
        n1.write_config(100, "lost\n", revision=revision)
    with pytest.raises(pypct.DigestMismatchError):
        n1.write_config(100, "lost\n", digest=digest)
    with pytest.raises(pypct.NotFoundError):
        n1.read_config(999)

    with n1.acquire(100, "backup", ttl=3) as lock:
        assert lock.held and lock.fence > 0 and lock.ctid == 100
        with pytest.raises(pypct.StateError) as busy:
            n2.acquire(100, "migrate")
        assert "CT 100 is locked (backup on node n1)" in str(busy.value)
        with pytest.raises(pypct.StateError):
            n2.write_config(100, "x\n", revision=written)
        n1.write_config(100, "guarded\n", revision=written, lock=lock)
    assert not lock.held
    n2.remove(100)
    assert n1.list() == [(200, "n2")]
    assert n1.nodes() == ["n1", "n2"]
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.ClusterStore(endpoints, "bad/node")
