# SPDX-License-Identifier: AGPL-3.0-or-later
"""Real containers through pypct: create from the busybox template, the lifecycle, exec,
status, the context manager, the GIL being released during blocking calls, destroy."""
import os
import pty
import threading
import time
from pathlib import Path

import pytest

import pypct
from conftest import unique_vmid


def test_host_and_arguments(tmp_path: Path) -> None:
    host = pypct.Host(str(tmp_path))
    assert host.root == str(tmp_path)
    assert host.config_path(101) == f"{tmp_path}/etc/pve/lxc/101.conf"
    assert host.lxcpath == f"{tmp_path}/var/lib/lxc"
    assert host.list() == [] and pypct.list_containers(host) == []
    assert eval(repr(host), vars(pypct)) == host
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.Host("relative")
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.Container(5, host)
    with pytest.raises(pypct.NotFoundError) as info:
        pypct.Container(101, host)
    assert "does not exist" in str(info.value)
    with pytest.raises(pypct.NotFoundError):
        pypct.Container.create(102, str(tmp_path / "missing.tar.zst"), host=host)
    assert repr(pypct.State.running) == "State.running"


def test_value_types() -> None:
    r = pypct.ExecResult(exit_code=1, out=b"x\n")
    assert eval(repr(r), vars(pypct)) == r
    # subprocess.CompletedProcess's names answer too; a signal is -N there.
    assert (r.stdout, r.stderr, r.returncode) == (b"x\n", b"", 1)
    killed = pypct.ExecResult(exit_code=137, signal=9, err=b"e")
    assert (killed.returncode, killed.stderr) == (-9, b"e")
    with pytest.raises(AttributeError):
        r.returncode = 3  # type: ignore[misc]
    s = pypct.Status(vmid=101, state=pypct.State.running, status="running", mem=1)
    assert eval(repr(s), vars(pypct)) == s
    # As Proxmox's pct status --verbose: tags when set, no lock line without a lock, no cpu.
    tagged = pypct.Status(vmid=101, status="running", tags="a;b", cpu=0.5)
    assert eval(repr(tagged), vars(pypct)) == tagged and tagged != pypct.Status(vmid=101, status="running", tags="a;b")
    lines = tagged.verbose_text().splitlines()
    assert "tags: a;b" in lines
    assert not [line for line in lines if line.startswith(("cpu:", "lock:"))]
    e = pypct.ListEntry(vmid=101, status="stopped", name="ct")
    assert eval(repr(e), vars(pypct)) == e


LIST_TERMINALS = (
    'for f in /proc/self/fd/*; do n=${f##*/}; [ -t "$n" ] && echo tty:$n; done; '
    "[ -e /proc/self/fd/60 ] && echo fd60; true"
)


def check_no_terminal_reaches(ct: pypct.Container) -> None:
    """With a terminal as this process's stdin and another one made inheritable at fd 60, a
    command inside sees neither: its stdio are pipes and nothing else of ours reaches it."""
    master, slave = os.openpty()
    saved_stdin = os.dup(0)
    try:
        os.dup2(slave, 0)
        os.dup2(slave, 60, inheritable=True)
        assert os.isatty(0)
        result = ct.exec(["sh", "-c", LIST_TERMINALS])
    finally:
        os.dup2(saved_stdin, 0)
        for fd in (saved_stdin, 60, slave, master):
            os.close(fd)
    assert result == pypct.ExecResult(exit_code=0, out=b"", err=b"")


def test_exec_leaves_the_controlling_terminal_behind(ct_host: pypct.Host, busybox_template: str) -> None:
    """Run by a process with a controlling terminal (a pty's, from pty.fork), a command has
    none: /dev/tty inside cannot be opened (else it would be ours, to push keys into). In a
    privileged CT, where /dev/tty inside is a working node: the attack at its strongest."""
    vmid = unique_vmid(71)
    options = {"hostname": "py-tty", "memory": "96", "ostype": "debian", "unprivileged": "0"}
    with pypct.Container.create(vmid, busybox_template, options, host=ct_host) as ct:
        ct.start()
        check_no_controlling_terminal_inside(ct)
        ct.stop()
        ct.destroy()


def check_no_controlling_terminal_inside(ct: pypct.Container) -> None:
    pid, master = pty.fork()
    if pid == 0:  # the child: a session of its own, the pty its controlling terminal
        code = 1
        try:
            result = ct.exec(["sh", "-c", "(: </dev/tty) 2>/dev/null && echo devtty-open || echo no-devtty"])
            os.write(1, b"said:" + result.out)
            code = 0
        finally:
            os._exit(code)
    shown = b""
    try:
        while chunk := os.read(master, 4096):
            shown += chunk
    except OSError:  # EIO: the child's end closed the pty
        pass
    os.close(master)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert shown.replace(b"\r", b"") == b"said:no-devtty\n"


def test_container_lifecycle(ct_host: pypct.Host, busybox_template: str) -> None:
    vmid = unique_vmid(70)
    options = {"hostname": "py-ct", "memory": "128", "ostype": "debian"}
    with pypct.Container.create(vmid, busybox_template, options, host=ct_host) as ct:
        assert ct.vmid == vmid and not ct.closed
        assert repr(ct) == f"<pypct.Container vmid={vmid} state='STOPPED'>"
        assert ct.state == pypct.State.stopped and not ct.running and ct.init_pid == 0
        stopped = ct.status()
        assert (stopped.status, stopped.name, stopped.maxmem) == ("stopped", "py-ct", 128 << 20)
        with pytest.raises(pypct.StateError):
            ct.exec(["true"])
        with pytest.raises(pypct.AlreadyExistsError):
            pypct.Container.create(vmid, busybox_template, host=ct_host)
        # Unprivileged by default, as current Proxmox; the create lock is gone.
        written = pypct.ContainerConfig.load(ct_host.config_path(vmid))
        assert written.main.get("unprivileged") == "1" and written.main.get("lock") is None

        assert isinstance(ct.start(), list)
        assert repr(ct) == f"<pypct.Container vmid={vmid} state='RUNNING'>"
        assert ct.running and ct.init_pid > 0
        with pytest.raises(pypct.StateError) as info:
            ct.start()
        assert str(info.value) == f"CT {vmid} already running"

        result = ct.exec(["sh", "-c", "echo hi; echo oops >&2; exit 2"])
        assert result == pypct.ExecResult(exit_code=2, out=b"hi\n", err=b"oops\n")
        assert ct.exec(["cat"], input=b"\x00binary\xff").out == b"\x00binary\xff"
        assert ct.exec(["sh", "-c", 'printf %s "$FOO"; pwd'], env=["FOO=bar"], cwd="/tmp").out == b"bar/tmp\n"
        assert ct.exec(["id", "-u"], uid=65534).out == b"65534\n"
        assert ct.exec(["no-such-command"]).exit_code == 127
        check_no_terminal_reaches(ct)
        with pytest.raises(pypct.StateError):
            ct.exec(["sleep", "5"], timeout=0.3)
        with pytest.raises(pypct.InvalidArgumentError):
            ct.exec([])

        status = ct.status()
        assert status.status == "running" and status.state == pypct.State.running
        assert status.pid == ct.init_pid and status.mem > 0
        assert "status: running\n" in status.verbose_text()
        [entry] = pypct.list_containers(ct_host)
        assert (entry.vmid, entry.status, entry.name) == (vmid, "running", "py-ct")

        ct.suspend()
        assert ct.state == pypct.State.frozen
        ct.resume()
        assert ct.state == pypct.State.running
        with pytest.raises(pypct.StateError):
            ct.resume()

        # The GIL is released while a command runs: this thread keeps running meanwhile.
        done = threading.Event()
        worker = threading.Thread(target=lambda: (ct.exec(["sleep", "1"]), done.set()))
        ticks = 0
        worker.start()
        deadline = time.monotonic() + 10
        while not done.is_set() and time.monotonic() < deadline:
            ticks += 1
            time.sleep(0.001)
        worker.join()
        assert done.is_set() and ticks > 100

        with pytest.raises(pypct.StateError):
            ct.destroy()  # running, no force
        ct.shutdown(timeout=60)  # busybox halts in ~2 s; a loaded host can take longer
        assert ct.state == pypct.State.stopped
        ct.start()
        ct.reboot(timeout=20, force=True)
        assert ct.running
        ct.stop()
        assert ct.state == pypct.State.stopped
        assert isinstance(ct.lxc_log(), str)
        ct.destroy()
    assert ct.closed
    assert repr(ct) == f"<pypct.Container vmid={vmid} closed>"
    with pytest.raises(pypct.StateError) as closed:
        ct.start()
    assert "closed" in str(closed.value)
    with pytest.raises(pypct.NotFoundError):
        pypct.Container(vmid, ct_host)


def test_create_keys_and_volumes(ct_host: pypct.Host, busybox_template: str) -> None:
    assert pypct.settable_at_create("description") and pypct.settable_at_create("mp255")
    assert pypct.settable_at_create("net31") and not pypct.settable_at_create("net32")
    assert not pypct.settable_at_create("lock") and not pypct.settable_at_create("unused0")
    vmid = unique_vmid(71)
    for name in ("-1", "1e3", "abc"):
        with pytest.raises(pypct.InvalidArgumentError) as info:
            pypct.Container.create(vmid, busybox_template, {"rootfs": f"local:{name}"}, host=ct_host)
        assert str(info.value) == f"unable to parse directory volume name '{name}'"
        assert info.value.key == "rootfs"
    with pytest.raises(pypct.InvalidArgumentError) as info:
        pypct.Container.create(vmid, busybox_template, {"lock": "backup"}, host=ct_host)
    assert info.value.key == "lock"
    assert not Path(ct_host.root, "var/lib/vz/images").exists()
    options = {"description": "made by pypct", "rootfs": "local:0.5", "ostype": "debian"}
    with pypct.Container.create(vmid, busybox_template, options, host=ct_host) as ct:
        text = Path(ct_host.config_path(vmid)).read_text()
        assert text.startswith("#made by pypct\n")
        assert f"rootfs: local:{vmid}/vm-{vmid}-disk-0.raw,size=512M\n" in text
        ct.destroy()


def test_lifecycle_options_and_refused_mounts(ct_host: pypct.Host, busybox_template: str) -> None:
    vmid = unique_vmid(72)
    with pypct.Container.create(vmid, busybox_template, {"ostype": "debian"}, host=ct_host) as ct:
        conf = Path(ct_host.config_path(vmid))
        plain = conf.read_text()
        # Mount points and hook scripts are honoured: a missing bind source or hook script
        # refuses the start with Proxmox's message, nothing started.
        for key, value, error, text in (
            ("mp0", "/nonexistent-pct-src,mp=/data", pypct.NotFoundError, "does not exist"),
            ("hookscript", "local:snippets/h.pl", pypct.StateError,
             f"hookscript error for {vmid} on pre-start: script 'local:snippets/h.pl' does not exist"),
        ):
            conf.write_text(plain + f"{key}: {value}\n")
            with pytest.raises(error) as refused:
                ct.start()
            assert refused.value.key == key
            assert text in str(refused.value)
            assert ct.state == pypct.State.stopped
        conf.write_text(plain + "lock: backup\n")
        with pytest.raises(pypct.StateError):
            ct.start()
        with pytest.raises(pypct.InvalidArgumentError) as bad_level:
            ct.start(skiplock=True, log_level="WARN\nlxc.apparmor.profile = unconfined")
        assert bad_level.value.key == "log_level"
        ct.start(timeout=30.0, skiplock=True, log_level="notice")
        lxc_conf = Path(ct_host.lxcpath, str(vmid), "config").read_text()
        assert "lxc.log.level = NOTICE\n" in lxc_conf
        with pytest.raises(pypct.StateError):
            ct.stop()  # locked
        ct.stop(skiplock=True, timeout=20.0)
        assert ct.state == pypct.State.stopped
        conf.write_text(plain)
        ct.start()
        ct.shutdown(timeout=60, force=True)
        assert ct.state == pypct.State.stopped
        ct.destroy()


def test_create_options_of_pct_create(ct_host: pypct.Host, busybox_template: str) -> None:
    """pct create's own options: a pool is refused before anything is made, ``unique`` gives
    a given MAC a new value, ``start`` starts the new container."""
    vmid = unique_vmid(72)
    with pytest.raises(pypct.UnsupportedError) as refused:
        pypct.Container.create(vmid, busybox_template, host=ct_host, pool="pool1")
    assert str(refused.value) == "pools are not supported by libpct"
    assert not os.path.exists(ct_host.config_path(vmid))
    given = "BC:24:11:00:00:01"
    net = f"name=eth0,bridge=vmbr-none,hwaddr={given}"
    options = {"ostype": "debian", "net0": net}
    with pypct.Container.create(vmid, busybox_template, options, host=ct_host, unique=True) as ct:
        written = pypct.ContainerConfig.load(ct_host.config_path(vmid)).main.get("net0")
        assert written is not None and "hwaddr=BC:24:11:" in written and given not in written
        ct.destroy()
    with pypct.Container.create(vmid, busybox_template, {"ostype": "debian"}, host=ct_host, start=True) as ct:
        assert ct.running
        ct.stop()
        ct.destroy()
