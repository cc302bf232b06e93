# SPDX-License-Identifier: AGPL-3.0-or-later
"""The native module of pypct (seeded by stubgen, maintained by hand; docstrings live here).

Value types are copied across the boundary: attributes holding lists or dicts return a new
list/dict on each access, so change it and assign it back (``mp.idmap = [...]``).
``ContainerConfig.main``/``.pending`` and ``ContainerConfig.section()`` return views into the
config, so ``cfg.main["memory"] = "512"`` changes ``cfg``.
"""
import builtins
from typing import Callable, ClassVar, Iterator

__version__: str

class _Pybind11Type(type):
    """pybind11's metaclass (``pybind11_builtins.pybind11_type``) of every class below."""

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

class Errc(metaclass=_Pybind11Type):
    """Stable error codes (the C ABI's ``PCT_E*`` = -value)."""

    invalid_argument: ClassVar[Errc]
    parse: ClassVar[Errc]
    not_found: ClassVar[Errc]
    already_exists: ClassVar[Errc]
    io: ClassVar[Errc]
    lxc: ClassVar[Errc]
    bad_state: ClassVar[Errc]
    unsupported: ClassVar[Errc]
    internal: ClassVar[Errc]
    digest_mismatch: ClassVar[Errc]
    no_quorum: ClassVar[Errc]
    __members__: ClassVar[dict[str, Errc]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``Errc.parse.name == "parse"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class Error(Exception):
    """Base class of every libpct error; the attributes locate the problem."""

    code: Errc
    """The error code of the class (and of the instance)."""
    context: str
    """The file (or other object) the error is about; may be empty."""
    line: int
    """1-based line in ``context``, 0 when not about a line."""
    column: int
    """1-based column, 0 when unknown."""
    key: str
    """The config key (``net0``), empty when none."""
    subkey: str
    """The property-string sub-key (``bridge``), empty when none."""
    sys_errno: int
    """errno for operating-system failures, else 0."""

class ParseError(Error, ValueError):
    """Text that cannot be parsed (config line, property string, size)."""

class InvalidArgumentError(Error, ValueError):
    """A value breaks the schema, or an argument is out of range."""

class NotFoundError(Error, LookupError):
    """A container, file, key or snapshot does not exist."""

class AlreadyExistsError(Error):
    """A container id, key or snapshot name is taken."""

class StorageError(Error, OSError):
    """The operating system refused (``errno``/``strerror``/``filename`` are set)."""

class LxcError(Error, RuntimeError):
    """liblxc failed."""

class StateError(Error, RuntimeError):
    """The container is in the wrong state (running, locked, closed handle)."""

class UnsupportedError(Error):
    """Valid, but this host or build cannot do it."""

class InternalError(Error):
    """A bug in libpct."""

class DigestMismatchError(Error, RuntimeError):
    """The config file changed since it was read: load it again and redo the edit."""

class NoQuorumError(Error, RuntimeError):
    """The cluster store has no quorum: nothing was written."""

class Problem(metaclass=_Pybind11Type):
    """One validation problem (a ``pct::Error`` as a value)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    code: Errc
    """The error code (``Errc``)."""
    message: str
    """What is wrong, in Proxmox's words where Proxmox has them."""
    context: str
    """Where: a file path or a section name."""
    line: int
    """The 1-based line (0: none)."""
    column: int
    """The 1-based column (0: none)."""
    key: str
    """The config key concerned ("" when none)."""
    subkey: str
    """The property-string sub-key concerned ("" when none)."""
    sys_errno: int
    """The errno of a failed system call (0: none)."""
    def __init__(
        self,
        *,
        code: Errc = ...,
        message: str = ...,
        context: str = ...,
        line: int = ...,
        column: int = ...,
        key: str = ...,
        subkey: str = ...,
        sys_errno: int = ...,
    ) -> None: ...
    def __copy__(self) -> Problem: ...
    def __deepcopy__(self, memo: object) -> Problem: ...
    def __eq__(self, other: object) -> bool: ...

# --------------------------------------------------------------------------------------------
# Property-string values
# --------------------------------------------------------------------------------------------

class NetInterface(metaclass=_Pybind11Type):
    """``netN``: a veth interface on a bridge. Absent sub-keys are ``None``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    name: str
    """``name``: the interface name inside the container (``eth0``)."""
    bridge: str | None
    """``bridge``: the host bridge the veth joins."""
    firewall: bool | None
    """``firewall``: route through Proxmox's firewall bridge."""
    gw: str | None
    """``gw``: the IPv4 default gateway."""
    gw6: str | None
    """``gw6``: the IPv6 default gateway."""
    host_managed: bool | None
    """``host-managed``: the host configures the addresses (DHCP in the host)."""
    hwaddr: str | None
    """``hwaddr``: the MAC address."""
    ip: str | None
    """``ip``: an IPv4 address with prefix, ``dhcp`` or ``manual``."""
    ip6: str | None
    """``ip6``: an IPv6 address with prefix, ``auto``, ``dhcp`` or ``manual``."""
    link_down: bool | None
    """``link_down``: the interface is created disconnected."""
    mtu: int | None
    """``mtu``: the MTU (default: the bridge's)."""
    rate: str | None
    """Mbit/s, the exact decimal text (an int or float is accepted and converted)."""
    tag: int | None
    """``tag``: the VLAN tag."""
    trunks: str | None
    """``trunks``: the VLAN ids passed through, ``;``-separated."""
    type: str | None
    """``type``: always ``veth``."""
    def __init__(
        self,
        *,
        name: str = ...,
        bridge: str | None = ...,
        firewall: bool | None = ...,
        gw: str | None = ...,
        gw6: str | None = ...,
        host_managed: bool | None = ...,
        hwaddr: str | None = ...,
        ip: str | None = ...,
        ip6: str | None = ...,
        link_down: bool | None = ...,
        mtu: int | None = ...,
        rate: str | float | None = ...,
        tag: int | None = ...,
        trunks: str | None = ...,
        type: str | None = ...,
    ) -> None: ...
    @staticmethod
    def parse(text: str) -> NetInterface:
        """Parses a ``netN`` property string; raises ParseError (with ``subkey``)."""
    def render(self) -> str:
        """The property string in Proxmox's order; raises InvalidArgumentError."""
    def __copy__(self) -> NetInterface: ...
    def __deepcopy__(self, memo: object) -> NetInterface: ...
    def __eq__(self, other: object) -> bool: ...

class VolumeKind(metaclass=_Pybind11Type):
    """What a mount point's volume string denotes."""

    volume: ClassVar[VolumeKind]
    bind: ClassVar[VolumeKind]
    device: ClassVar[VolumeKind]
    __members__: ClassVar[dict[str, VolumeKind]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``VolumeKind.volume.name == "volume"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class IdMapEntry(metaclass=_Pybind11Type):
    """One ``u|g:CT:HOST:COUNT`` entry of a per-mount idmap."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    kind: str
    """``u`` (user ids) or ``g`` (group ids)."""
    ct: int
    """The first id inside the container."""
    host: int
    """The first id on the host."""
    count: int
    """How many ids the range maps."""
    def __init__(
        self, *, kind: str = ..., ct: int = ..., host: int = ..., count: int = ...
    ) -> None: ...
    def __copy__(self) -> IdMapEntry: ...
    def __deepcopy__(self, memo: object) -> IdMapEntry: ...
    def __eq__(self, other: object) -> bool: ...

class MountPoint(metaclass=_Pybind11Type):
    """``rootfs`` / ``mpN``. ``size`` is in bytes; ``idmap`` is a copy (assign it back)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    volume: str
    """The volume: ``STORAGE:NAME``, a host path (bind mount) or a device."""
    mp: str | None
    """``mp``: the path inside the container."""
    size: int | None
    """``size``: the volume size as written (e.g. ``8G``)."""
    acl: bool | None
    """``acl``: ACL support on or off (None: the file system's default)."""
    backup: bool | None
    """``backup``: include the volume in backups (mount points only)."""
    keepattrs: bool | None
    """``keepattrs``: keep the volume's root directory owner and mode."""
    mountoptions: str | None
    """``mountoptions``: extra options, ``;``-separated."""
    idmap_passthrough: bool | None
    """The ``idmap`` entries passed through 1:1 (per-mount id mapping)."""
    idmap: list[IdMapEntry]
    """The per-mount ``idmap`` ranges (a copy: change it, then assign it back)."""
    quota: bool | None
    """``quota``: user quotas inside the container."""
    replicate: bool | None
    """``replicate``: include the volume in storage replication."""
    ro: bool | None
    """``ro``: mounted read-only."""
    shared: bool | None
    """``shared``: the volume exists on every node (no migration copy)."""
    def __init__(
        self,
        *,
        volume: str = ...,
        mp: str | None = ...,
        size: int | None = ...,
        acl: bool | None = ...,
        backup: bool | None = ...,
        keepattrs: bool | None = ...,
        mountoptions: str | None = ...,
        idmap_passthrough: bool | None = ...,
        idmap: list[IdMapEntry] = ...,
        quota: bool | None = ...,
        replicate: bool | None = ...,
        ro: bool | None = ...,
        shared: bool | None = ...,
    ) -> None: ...
    @property
    def kind(self) -> VolumeKind:
        """volume / bind / device, derived from ``volume`` as Proxmox does."""
    @staticmethod
    def parse(text: str) -> MountPoint:
        """Parses an ``mpN`` property string (``mp`` required)."""
    @staticmethod
    def parse_rootfs(text: str) -> MountPoint:
        """Parses a ``rootfs`` property string."""
    def render(self) -> str:
        """The ``mpN`` property string."""
    def render_rootfs(self) -> str:
        """The ``rootfs`` property string."""
    def __copy__(self) -> MountPoint: ...
    def __deepcopy__(self, memo: object) -> MountPoint: ...
    def __eq__(self, other: object) -> bool: ...

class UnusedVolume(metaclass=_Pybind11Type):
    """``unusedN``: a volume no longer attached."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    volume: str
    """The volume id of the unused volume."""
    def __init__(self, *, volume: str = ...) -> None: ...
    @staticmethod
    def parse(text: str) -> UnusedVolume:
        """Parses an ``unusedN`` value; raises ParseError."""
    def render(self) -> str:
        """The ``unusedN`` value."""
    def __copy__(self) -> UnusedVolume: ...
    def __deepcopy__(self, memo: object) -> UnusedVolume: ...
    def __eq__(self, other: object) -> bool: ...

class Device(metaclass=_Pybind11Type):
    """``devN``: a host device passed through."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    path: str | None
    """``path``: the host device node (e.g. ``/dev/ttyUSB0``)."""
    mode: str | None
    """``mode``: the access mode of the node inside the container (octal text)."""
    uid: int | None
    """``uid``: the owner of the node inside the container."""
    gid: int | None
    """``gid``: the group of the node inside the container."""
    deny_write: bool | None
    """``deny-write``: the container gets the device read-only."""
    def __init__(
        self,
        *,
        path: str | None = ...,
        mode: str | None = ...,
        uid: int | None = ...,
        gid: int | None = ...,
        deny_write: bool | None = ...,
    ) -> None: ...
    @staticmethod
    def parse(text: str) -> Device:
        """Parses a ``devN`` property string; raises ParseError (with ``subkey``)."""
    def render(self) -> str:
        """The ``devN`` property string in Proxmox's canonical order."""
    def __copy__(self) -> Device: ...
    def __deepcopy__(self, memo: object) -> Device: ...
    def __eq__(self, other: object) -> bool: ...

class Features(metaclass=_Pybind11Type):
    """``features``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    force_rw_sys: bool | None
    """``force_rw_sys``: mount /sys read-write in unprivileged containers."""
    fuse: bool | None
    """``fuse``: allow FUSE file systems."""
    keyctl: bool | None
    """``keyctl``: allow the keyctl() system call (unprivileged only)."""
    mknod: bool | None
    """``mknod``: allow mknod() of a few device nodes (experimental)."""
    mount: str | None
    """``mount``: the file system types the container may mount, ``;``-separated."""
    nesting: bool | None
    """``nesting``: allow nested containers (/proc and /sys of the host visible)."""
    def __init__(
        self,
        *,
        force_rw_sys: bool | None = ...,
        fuse: bool | None = ...,
        keyctl: bool | None = ...,
        mknod: bool | None = ...,
        mount: str | None = ...,
        nesting: bool | None = ...,
    ) -> None: ...
    @staticmethod
    def parse(text: str) -> Features:
        """Parses a ``features`` property string; raises ParseError (with ``subkey``)."""
    def render(self) -> str:
        """The ``features`` property string in Proxmox's canonical order."""
    def __copy__(self) -> Features: ...
    def __deepcopy__(self, memo: object) -> Features: ...
    def __eq__(self, other: object) -> bool: ...

class StartupOrder(metaclass=_Pybind11Type):
    """``startup``: ``[order=]N,up=N,down=N``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    order: int | None
    """``order``: the start position (lower starts first)."""
    up: int | None
    """``up``: seconds to wait after starting this container."""
    down: int | None
    """``down``: seconds to wait for this container's shutdown."""
    def __init__(
        self, *, order: int | None = ..., up: int | None = ..., down: int | None = ...
    ) -> None: ...
    @staticmethod
    def parse(text: str) -> StartupOrder:
        """Parses a ``startup`` property string; raises ParseError (with ``subkey``)."""
    def render(self) -> str:
        """The ``startup`` property string in Proxmox's canonical order."""
    def __copy__(self) -> StartupOrder: ...
    def __deepcopy__(self, memo: object) -> StartupOrder: ...
    def __eq__(self, other: object) -> bool: ...

def parse_size(text: str) -> int:
    """Proxmox's ``parse_size`` (``8G``, ``1.5GiB``, bytes) to bytes; raises ParseError."""

def format_size(bytes: int) -> str:
    """Proxmox's ``format_size``: the largest of K/M/G/T that divides exactly."""

# --------------------------------------------------------------------------------------------
# Typed settings
# --------------------------------------------------------------------------------------------

class Arch(metaclass=_Pybind11Type):
    amd64: ClassVar[Arch]
    i386: ClassVar[Arch]
    arm64: ClassVar[Arch]
    armhf: ClassVar[Arch]
    riscv32: ClassVar[Arch]
    riscv64: ClassVar[Arch]
    __members__: ClassVar[dict[str, Arch]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``Arch.amd64.name == "amd64"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class ConsoleMode(metaclass=_Pybind11Type):
    shell: ClassVar[ConsoleMode]
    console: ClassVar[ConsoleMode]
    tty: ClassVar[ConsoleMode]
    __members__: ClassVar[dict[str, ConsoleMode]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``ConsoleMode.tty.name == "tty"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class Lock(metaclass=_Pybind11Type):
    backup: ClassVar[Lock]
    create: ClassVar[Lock]
    destroyed: ClassVar[Lock]
    disk: ClassVar[Lock]
    fstrim: ClassVar[Lock]
    migrate: ClassVar[Lock]
    mounted: ClassVar[Lock]
    rollback: ClassVar[Lock]
    snapshot: ClassVar[Lock]
    snapshot_delete: ClassVar[Lock]
    __members__: ClassVar[dict[str, Lock]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``Lock.backup.name == "backup"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class OsType(metaclass=_Pybind11Type):
    debian: ClassVar[OsType]
    devuan: ClassVar[OsType]
    ubuntu: ClassVar[OsType]
    centos: ClassVar[OsType]
    fedora: ClassVar[OsType]
    opensuse: ClassVar[OsType]
    archlinux: ClassVar[OsType]
    alpine: ClassVar[OsType]
    gentoo: ClassVar[OsType]
    nixos: ClassVar[OsType]
    unmanaged: ClassVar[OsType]
    __members__: ClassVar[dict[str, OsType]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``OsType.debian.name == "debian"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class ContainerSettings(metaclass=_Pybind11Type):
    """One section with every schema key in its real type (``Section.settings()``)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    arch: Arch | None
    """``arch``: OS architecture; None when not set."""
    cmode: ConsoleMode | None
    """``cmode``: console mode; None when not set."""
    console: bool | None
    """``console``: attach a console device; None when not set."""
    cores: int | None
    """``cores``: the CPU cores the container may use; None when not set."""
    cpulimit: str | None
    """``cpulimit``: the CPU usage limit (number of cores, may be fractional); None when not set."""
    cpuunits: int | None
    """``cpuunits``: the CPU weight; None when not set."""
    debug: bool | None
    """``debug``: more verbose container start logs; None when not set."""
    description: str | None
    """``description``: the description; None when not set."""
    entrypoint: str | None
    """``entrypoint``: the command run as init (application containers); None when not set."""
    env: list[str]
    """``env``: environment variables for init, NUL-separated; None when not set."""
    features: Features | None
    """``features``: the allowed advanced features; None when not set."""
    hookscript: str | None
    """``hookscript``: the hook script volume; None when not set."""
    hostname: str | None
    """``hostname``: the host name; None when not set."""
    lock: Lock | None
    """``lock``: the lock of an operation in progress; None when not set."""
    memory: int | None
    """``memory``: RAM in MiB; None when not set."""
    nameserver: str | None
    """``nameserver``: DNS servers; None when not set."""
    onboot: bool | None
    """``onboot``: start at host boot; None when not set."""
    ostype: str | None
    """``ostype``: the OS type (selects the setup code); None when not set."""
    parent: str | None
    """``parent``: the snapshot this state follows; None when not set."""
    protection: bool | None
    """``protection``: protect from removal and disk changes; None when not set."""
    rootfs: MountPoint | None
    """``rootfs``: the root volume; None when not set."""
    searchdomain: str | None
    """``searchdomain``: DNS search domains; None when not set."""
    snaptime: int | None
    """``snaptime``: a snapshot's time (snapshot sections); None when not set."""
    startup: StartupOrder | None
    """``startup``: start/shutdown order; None when not set."""
    swap: int | None
    """``swap``: swap in MiB; None when not set."""
    tags: str | None
    """``tags``: tags, ``;``-separated; None when not set."""
    template: bool | None
    """``template``: the container is a template; None when not set."""
    timezone: str | None
    """``timezone``: the time zone; None when not set."""
    tty: int | None
    """``tty``: the number of ttys; None when not set."""
    unprivileged: bool | None
    """``unprivileged``: run with a user namespace (read-only after create); None when not set."""
    net: dict[int, NetInterface]
    """``net0`` .. ``net31`` by index (a copy: change it, then assign it back)."""
    mp: dict[int, MountPoint]
    """``mp0`` .. ``mp255`` by index (a copy: change it, then assign it back)."""
    unused: dict[int, UnusedVolume]
    """``unused0`` .. ``unused255`` by index (a copy: change it, then assign it back)."""
    dev: dict[int, Device]
    """``dev0`` .. ``dev255`` by index (a copy: change it, then assign it back)."""
    def __init__(
        self,
        *,
        arch: Arch | None = ...,
        cmode: ConsoleMode | None = ...,
        console: bool | None = ...,
        cores: int | None = ...,
        cpulimit: str | float | None = ...,
        cpuunits: int | None = ...,
        debug: bool | None = ...,
        description: str | None = ...,
        entrypoint: str | None = ...,
        env: list[str] = ...,
        features: Features | None = ...,
        hookscript: str | None = ...,
        hostname: str | None = ...,
        lock: Lock | None = ...,
        memory: int | None = ...,
        nameserver: str | None = ...,
        onboot: bool | None = ...,
        ostype: str | None = ...,
        parent: str | None = ...,
        protection: bool | None = ...,
        rootfs: MountPoint | None = ...,
        searchdomain: str | None = ...,
        snaptime: int | None = ...,
        startup: StartupOrder | None = ...,
        swap: int | None = ...,
        tags: str | None = ...,
        template: bool | None = ...,
        timezone: str | None = ...,
        tty: int | None = ...,
        unprivileged: bool | None = ...,
        net: dict[int, NetInterface] = ...,
        mp: dict[int, MountPoint] = ...,
        unused: dict[int, UnusedVolume] = ...,
        dev: dict[int, Device] = ...,
    ) -> None: ...
    def os_type(self) -> OsType | None:
        """``ostype`` as an OsType, or None when it is absent or outside the enum."""
    def __copy__(self) -> ContainerSettings: ...
    def __deepcopy__(self, memo: object) -> ContainerSettings: ...
    def __eq__(self, other: object) -> bool: ...

# --------------------------------------------------------------------------------------------
# Config files
# --------------------------------------------------------------------------------------------

class LxcEntry(metaclass=_Pybind11Type):
    """One raw ``lxc.*`` line, in file order."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    key: str
    """The ``lxc.*`` key."""
    value: str
    """Its value, as written."""
    def __init__(self, *, key: str = ..., value: str = ...) -> None: ...
    def __copy__(self) -> LxcEntry: ...
    def __deepcopy__(self, memo: object) -> LxcEntry: ...
    def __eq__(self, other: object) -> bool: ...

class Section(metaclass=_Pybind11Type):
    """One section of a config file: options as Proxmox stores them, description, raw lxc.

    ``section[key] = value`` runs the file parser's type check and stores the normalized
    value (``yes`` -> ``1``); ``options`` and ``lxc`` return copies.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]
    options: dict[str, str]
    """The ``key: value`` options (a copy: change it, then assign it back)."""
    description: str
    """The description (the ``#`` comment lines), decoded."""
    lxc: list[LxcEntry]
    """The raw ``lxc.*`` lines, in file order."""
    def __init__(
        self, *, options: dict[str, str] = ..., description: str = ..., lxc: list[LxcEntry] = ...
    ) -> None: ...
    def get(self, key: str, default: str | None = None) -> str | None:
        """The stored value of ``key``, or ``default``."""
    def keys(self) -> list[str]:
        """The option keys, in file order."""
    def items(self) -> list[tuple[str, str]]:
        """The ``(key, value)`` options, in file order."""
    def empty(self) -> bool:
        """True when the section would print nothing."""
    def settings(self) -> ContainerSettings:
        """Every key in its real type; raises InvalidArgumentError on a value that does not fit."""
    @staticmethod
    def from_settings(settings: ContainerSettings) -> Section:
        """A fresh section holding ``settings`` in stored-value form."""
    def __contains__(self, key: str) -> bool: ...
    def __getitem__(self, key: str) -> str: ...
    def __setitem__(self, key: str, value: str) -> None: ...
    def __delitem__(self, key: str) -> None: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __copy__(self) -> Section: ...
    def __deepcopy__(self, memo: object) -> Section: ...
    def __eq__(self, other: object) -> bool: ...

class ContainerConfig(metaclass=_Pybind11Type):
    """A whole config file: ``main``, ``pending`` (``[pve:pending]``) and ``snapshots``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    main: Section
    """A view of the main section: changes through it change this config."""
    pending: Section
    """A view of the ``[pve:pending]`` section: changes through it change this config."""
    snapshots: dict[str, Section]
    """The snapshot sections by name (a copy: change it, then assign it back)."""
    def __init__(
        self, *, main: Section = ..., pending: Section = ..., snapshots: dict[str, Section] = ...
    ) -> None: ...
    @staticmethod
    def parse(text: str | bytes, vmid: int = 100, strict: bool = False) -> ContainerConfig:
        """Parses config text (warnings are dropped: use ParsedConfig to see them).

        Strict mode raises ParseError (with line, key, subkey) on the first problem. In both
        modes, text with a NUL byte (binary data) or ``bytes`` that are not UTF-8 raise
        ParseError naming the byte offset, line and key.
        """
    @staticmethod
    def load(path: str, vmid: int | None = None, strict: bool = False) -> ContainerConfig:
        """Reads and parses a file; ``vmid`` defaults to the CTID in the file name.

        Raises NotFoundError when it does not exist, InvalidArgumentError when it is not a
        regular file (a FIFO, a device) or is larger than 64 MiB, ParseError (byte offset,
        line, key) when it holds a NUL byte or is not UTF-8.
        """
    def render(self) -> str:
        """The canonical text, byte-exact like Proxmox's writer."""
    def validate(self) -> list[Problem]:
        """Every API-level problem of the config (empty when valid)."""
    def section(self, name: str = "") -> Section:
        """A view of a section: "" (main), "pve:pending" or a snapshot name."""
    def generate_lxc(
        self, host: HostFacts | None = None, profile: Profile = ..., vmid: int = 100
    ) -> LxcConfig:
        """The LXC config of the main section; ``host=None`` detects this host's facts."""
    def __copy__(self) -> ContainerConfig: ...
    def __deepcopy__(self, memo: object) -> ContainerConfig: ...
    def __eq__(self, other: object) -> bool: ...

class DiagCode(metaclass=_Pybind11Type):
    """Codes of the parser's warnings (C: ``PCT_DIAG_*``)."""

    invalid_line: ClassVar[DiagCode]
    unknown_key: ClassVar[DiagCode]
    invalid_value: ClassVar[DiagCode]
    delete_outside_pending: ClassVar[DiagCode]
    lxc_key_rejected: ClassVar[DiagCode]
    lxc_key_deprecated: ClassVar[DiagCode]
    __members__: ClassVar[dict[str, DiagCode]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``DiagCode.unknown_key.name ==
        "unknown_key"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class Diagnostic(metaclass=_Pybind11Type):
    """One problem found while reading a file, with Proxmox's exact warning text."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    code: DiagCode
    """What kind of problem (``DiagCode``)."""
    message: str
    """Proxmox's warning text."""
    line: int
    """The 1-based line of the file (0: not tied to a line)."""
    column: int
    """The 1-based column (0: the whole line)."""
    key: str
    """The config key concerned ("" when none)."""
    subkey: str
    """The property-string sub-key concerned ("" when none)."""
    section: str
    """The section: "" (main), "pve:pending" or a snapshot name."""
    def __init__(
        self,
        *,
        code: DiagCode = ...,
        message: str = ...,
        line: int = ...,
        column: int = ...,
        key: str = ...,
        subkey: str = ...,
        section: str = ...,
    ) -> None: ...
    def __copy__(self) -> Diagnostic: ...
    def __deepcopy__(self, memo: object) -> Diagnostic: ...
    def __eq__(self, other: object) -> bool: ...

class ParsedConfig(metaclass=_Pybind11Type):
    """A parsed file that keeps its text: ``set``/``delete`` edit the text in place
    (comments, order and unknown keys stay) and parse it again, so ``config`` always matches
    ``text``. ``digest`` is the SHA-1 of the bytes first parsed (edits do not change it).

    ``save`` writes under the file's lock and, to the file it came from (``load``, or
    ``file=`` with ``digest=`` as what that file held), only while the file still holds what
    this object read or last wrote there: otherwise DigestMismatchError, and the client loads
    again and redoes its edit, so concurrent writers never lose an update.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(
        self,
        text: str = "",
        vmid: int = 100,
        strict: bool = False,
        file: str = "",
        digest: str | None = None,
    ) -> None: ...
    @staticmethod
    def parse(text: str | bytes, vmid: int = 100, strict: bool = False) -> ParsedConfig:
        """Parses config text (lossless: ``render()`` gives the text back); warnings instead of
        errors unless ``strict``."""
    @staticmethod
    def load(path: str, vmid: int | None = None, strict: bool = False) -> ParsedConfig:
        """Reads and parses a config file; the CTID from its name unless given."""
    @property
    def config(self) -> ContainerConfig:
        """A copy of the parsed config."""
    @property
    def digest(self) -> str:
        """The SHA-1 of the text read (Proxmox's ``digest``), for a later check."""
    @property
    def warnings(self) -> list[Diagnostic]:
        """The problems found while reading, with Proxmox's texts."""
    @property
    def text(self) -> str:
        """The current text (the lossless form)."""
    @property
    def vmid(self) -> int:
        """The CTID the config belongs to."""
    @property
    def strict(self) -> bool:
        """Whether it was parsed in strict mode."""
    @property
    def file(self) -> str:
        """The file it was loaded from ("" for text)."""
    def get(self, key: str, section: str = "") -> str | None:
        """The stored value of ``key`` in ``section`` ("" main, "pve:pending", a snapshot), or
        None."""
    def set(self, key: str, value: str, section: str = "") -> None:
        """Sets a key with the file parser's type check (as ``pct_config_set`` does: also no
        line breaks, ``delete`` only in [pve:pending] naming valid keys, ``snapstate`` only
        ``prepare``/``delete``); raises InvalidArgumentError and leaves the text unchanged."""
    def delete(self, key: str, section: str = "") -> None:
        """Removes every line of ``key``; raises NotFoundError when there is none."""
    def pending_deletes(self) -> list[str]:
        """The pending ``delete`` list as written, in file order (a forced entry keeps its
        ``!``); empty without one."""
    def pending_delete_add(self, key: str, force: bool = False) -> None:
        """Adds ``key`` (``!key`` when ``force``; a listed key gets the new flag) and writes the
        list back sorted and ``,``-joined, creating ``[pve:pending]`` if needed; raises
        InvalidArgumentError for an invalid key, or when an entry already listed is not one."""
    def pending_delete_remove(self, key: str) -> None:
        """Removes ``key`` (without its ``!``); the ``delete`` line goes when the list empties;
        raises NotFoundError when it is not listed, InvalidArgumentError when another entry
        listed is not a valid key."""
    def render(self) -> str:
        """The canonical text."""
    def save(self, path: str | None = None, lossless: bool = True) -> None:
        """Writes the lossless (or canonical) text atomically to ``path`` (default: the
        object's file) under that file's lock; raises DigestMismatchError when the object's
        file changed since it was read (nothing is written), StateError when the lock stays
        taken for 10 s, StorageError on I/O errors."""
    def validate(self) -> list[Problem]:
        """Every API-level problem of the config (empty when valid)."""
    def __copy__(self) -> ParsedConfig: ...
    def __deepcopy__(self, memo: object) -> ParsedConfig: ...
    def __eq__(self, other: object) -> bool: ...

def validate_value(key: str, value: str) -> list[Problem]:
    """Every problem of one value for one key (empty when valid)."""

def validate_vmid(vmid: int) -> int:
    """The CTID if it is valid (100..999999999); raises InvalidArgumentError."""

def check_type(key: str, value: str) -> str:
    """The file parser's type check: the normalized stored value, or ParseError."""

def encode_text(text: str) -> str:
    """Proxmox's ``encode_text`` (percent-escaping for description lines)."""

def decode_text(text: str) -> str:
    """Proxmox's ``decode_text``."""

def vmid_from_path(path: str) -> int:
    """The CTID a file name gives (``101.conf`` -> 101), else 100."""

# --------------------------------------------------------------------------------------------
# LXC config generation
# --------------------------------------------------------------------------------------------

class Profile(metaclass=_Pybind11Type):
    proxmox: ClassVar[Profile]
    native: ClassVar[Profile]
    __members__: ClassVar[dict[str, Profile]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``Profile.generated.name == "generated"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class CgroupMode(metaclass=_Pybind11Type):
    v1: ClassVar[CgroupMode]
    v2: ClassVar[CgroupMode]
    hybrid: ClassVar[CgroupMode]
    __members__: ClassVar[dict[str, CgroupMode]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``CgroupMode.v2.name == "v2"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class HostFacts(metaclass=_Pybind11Type):
    """Everything about the host that changes the generated LXC config."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    lxc_version: str
    """The liblxc version the generated config is written for."""
    cgroup: CgroupMode
    """The cgroup layout of the host (v1, v2 or hybrid)."""
    bridge_mtu: dict[str, int]
    """The MTU of each host bridge, for ``netN`` without ``mtu``."""
    all_bridges_exist: bool
    """Treat every bridge as present (no check against the host)."""
    mac_prefix: str
    """The prefix of generated MAC addresses."""
    mac_counter: int
    """The next generated MAC's counter (for reproducible output)."""
    apparmor: bool
    """Whether the host has AppArmor (profile lines are written)."""
    lxc_config_dir: str
    """Where liblxc's common configs live (``/usr/share/lxc/config``)."""
    lxcpath: str
    """The LXC path of the host (``/var/lib/lxc``)."""
    cpuset: list[int] | None
    """The CPUs of the host's ``lxc`` cpuset (None: not known)."""
    syscalld_socket: str
    """The socket of Proxmox's syscall daemon (mknod feature)."""
    # The include files of lxc_config_dir by name; None: look in the directory.
    lxc_config_files: list[str] | None
    """The common config files that exist (None: check the host)."""
    def __init__(
        self,
        *,
        lxc_version: str = ...,
        cgroup: CgroupMode = ...,
        bridge_mtu: dict[str, int] = ...,
        all_bridges_exist: bool = ...,
        mac_prefix: str = ...,
        mac_counter: int = ...,
        apparmor: bool = ...,
        lxc_config_dir: str = ...,
        lxcpath: str = ...,
        cpuset: list[int] | None = ...,
        syscalld_socket: str = ...,
        lxc_config_files: list[str] | None = ...,
    ) -> None: ...
    @staticmethod
    def proxmox_reference() -> HostFacts:
        """The conformance host facts (lxc 6.0, cgroup v2, every bridge with MTU 1500)."""
    @staticmethod
    def detect(lxcpath: str = "/var/lib/lxc") -> HostFacts:
        """This host's facts."""
    def __copy__(self) -> HostFacts: ...
    def __deepcopy__(self, memo: object) -> HostFacts: ...
    def __eq__(self, other: object) -> bool: ...

class ExtraFile(metaclass=_Pybind11Type):
    """A file the generator writes beside the config (e.g. ``rules.seccomp``)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    path: str
    """Where the file goes, relative to the container's lxc directory."""
    content: str
    """The file's text."""
    def __init__(self, *, path: str = ..., content: str = ...) -> None: ...
    def __copy__(self) -> ExtraFile: ...
    def __deepcopy__(self, memo: object) -> ExtraFile: ...
    def __eq__(self, other: object) -> bool: ...

class LxcConfig(metaclass=_Pybind11Type):
    """A generated LXC config: ``key = value`` lines, extra files, warnings."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    config: str
    """The text of ``<lxcpath>/<CTID>/config``."""
    files: list[ExtraFile]
    """The files written beside it."""
    warnings: list[str]
    """Proxmox's warnings about the config, in order."""
    def __init__(
        self, *, config: str = "", files: list[ExtraFile] = ..., warnings: list[str] = ...
    ) -> None: ...
    def __copy__(self) -> LxcConfig: ...
    def __deepcopy__(self, memo: object) -> LxcConfig: ...
    def __eq__(self, other: object) -> bool: ...

# --------------------------------------------------------------------------------------------
# Containers (liblxc; needs root)
# --------------------------------------------------------------------------------------------

class Host(metaclass=_Pybind11Type):
    """A Proxmox host layout under ``root`` (``root/etc/pve/lxc/<CTID>.conf``, ...)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self, root: str = "/") -> None: ...
    @property
    def root(self) -> str:
        """The host root this handle works under (``/`` for the real host)."""
    @property
    def lxcpath(self) -> str:
        """The LXC path under the root (``<root>/var/lib/lxc``)."""
    def config_path(self, vmid: int) -> str:
        """The path of container ``vmid``'s config file (``<root>/etc/pve/lxc/<vmid>.conf``)."""
    def list(self) -> list[ListEntry]:
        """Every container with a config, ascending by CTID (``pct list``)."""
    def __copy__(self) -> Host: ...
    def __deepcopy__(self, memo: object) -> Host: ...
    def __eq__(self, other: object) -> bool: ...

class State(metaclass=_Pybind11Type):
    """liblxc's container states."""

    stopped: ClassVar[State]
    starting: ClassVar[State]
    running: ClassVar[State]
    stopping: ClassVar[State]
    aborting: ClassVar[State]
    freezing: ClassVar[State]
    frozen: ClassVar[State]
    thawed: ClassVar[State]
    __members__: ClassVar[dict[str, State]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name, as in the enumeration (``State.running.name == "running"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (stable: the C ABI uses the same numbers)."""

class ListEntry(metaclass=_Pybind11Type):
    """One row of ``pct list``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    vmid: int
    """The container's CTID."""
    state: State
    """The container's state."""
    status: str
    """``running`` or ``stopped``, as ``pct list`` prints it."""
    lock: str
    """The config's ``lock`` ("" when none)."""
    name: str
    """The container's hostname."""
    def __init__(
        self, *, vmid: int = ..., state: State = ..., status: str = ..., lock: str = ...,
        name: str = ...
    ) -> None: ...
    def __copy__(self) -> ListEntry: ...
    def __deepcopy__(self, memo: object) -> ListEntry: ...
    def __eq__(self, other: object) -> bool: ...

class Status(metaclass=_Pybind11Type):
    """State and resource use (Proxmox's ``vmstatus`` fields; sizes in bytes)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    vmid: int
    """The CTID."""
    state: State
    """The container's state."""
    status: str
    """``running`` or ``stopped``."""
    name: str
    """The host name."""
    lock: str
    """The config's ``lock`` ("" when none)."""
    tags: str
    """The config's tags."""
    is_template: bool
    """True for a template."""
    pid: int
    """The host PID of init (0 when stopped)."""
    uptime: int
    """Seconds since the start (0 when stopped)."""
    cpus: float
    """The CPUs it may use (``cores``, else the host's)."""
    cpu: float
    """CPU usage since the last call, as a fraction of ``cpus``."""
    cpu_time_ns: int
    """CPU time used in total, in nanoseconds."""
    mem: int
    """Memory in use, in bytes."""
    maxmem: int
    """The memory limit, in bytes."""
    swap: int
    """Swap in use, in bytes."""
    maxswap: int
    """The swap limit, in bytes."""
    disk: int
    """Bytes used on the root volume."""
    maxdisk: int
    """The root volume's size, in bytes."""
    diskread: int
    """Bytes read from block devices."""
    diskwrite: int
    """Bytes written to block devices."""
    netin: int
    """Bytes received on all interfaces."""
    netout: int
    """Bytes sent on all interfaces."""
    def __init__(
        self,
        *,
        vmid: int = ...,
        state: State = ...,
        status: str = ...,
        name: str = ...,
        lock: str = ...,
        tags: str = ...,
        is_template: bool = ...,
        pid: int = ...,
        uptime: int = ...,
        cpus: float = ...,
        cpu: float = ...,
        cpu_time_ns: int = ...,
        mem: int = ...,
        maxmem: int = ...,
        swap: int = ...,
        maxswap: int = ...,
        disk: int = ...,
        maxdisk: int = ...,
        diskread: int = ...,
        diskwrite: int = ...,
        netin: int = ...,
        netout: int = ...,
    ) -> None: ...
    def verbose_text(self) -> str:
        """``key: value`` lines as ``pct status --verbose`` prints them."""
    def __copy__(self) -> Status: ...
    def __deepcopy__(self, memo: object) -> Status: ...
    def __eq__(self, other: object) -> bool: ...

class ExecResult(metaclass=_Pybind11Type):
    """A finished command: exit code (128 + signal when killed) and its whole output."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    exit_code: int
    """The command's exit status (-1 when a signal ended it)."""
    signal: int
    """The signal that ended the command; 0 when it exited."""
    out: bytes
    """What the command wrote to stdout (when captured)."""
    err: bytes
    """What the command wrote to stderr (when captured)."""
    def __init__(
        self, *, exit_code: int = ..., signal: int = ..., out: bytes = ..., err: bytes = ...
    ) -> None: ...
    @property
    def stdout(self) -> bytes:
        """The command's standard output (the same bytes as `out`)."""
    @property
    def stderr(self) -> bytes:
        """The command's standard error (the same bytes as `err`)."""
    @property
    def returncode(self) -> int:
        """The exit status as subprocess.CompletedProcess gives it: -N when signal N killed
        the command, else `exit_code`."""
    def __copy__(self) -> ExecResult: ...
    def __deepcopy__(self, memo: object) -> ExecResult: ...
    def __eq__(self, other: object) -> bool: ...

class Container(metaclass=_Pybind11Type):
    """A container handle: ``with pypct.Container(101) as ct: ct.start()``.

    It owns a liblxc reference until ``close()`` (or the end of the ``with`` block); a closed
    handle raises StateError. Blocking calls (create, start, stop, shutdown, reboot, suspend,
    resume, status, exec, destroy) release the GIL. One handle serialises its calls.
    """

    def __init__(self, vmid: int, host: Host | None = None) -> None:
        """Opens container ``vmid`` of ``host`` (default: the real host, root "/")."""
    @staticmethod
    def create(
        vmid: int,
        ostemplate: str,
        options: dict[str, str] = ...,
        storage: str = "local",
        force: bool = False,
        ignore_unpack_errors: bool = False,
        host: Host | None = None,
        *,
        password: str | None = None,
        ssh_public_keys: str = "",
        start: bool = False,
        unique: bool = False,
        pool: str = "",
    ) -> Container:
        """Creates a container from a template tarball (``pct create``), stopped unless
        ``start``.

        Unprivileged unless ``options`` has ``unprivileged: "0"`` (``unprivileged: 1`` is
        written, as current Proxmox does); the template is unpacked inside the container's id
        map. ``password`` and ``ssh_public_keys`` (the keys' text) are for root inside;
        ``unique`` gives every ``netN`` a new MAC; a ``pool`` raises UnsupportedError (libpct
        has no pools). A failure once the work has begun ("unable to create CT N - ...")
        removes what it made; a killed create leaves a ``lock: create`` config that
        ``destroy()`` removes.
        """
    @property
    def vmid(self) -> int:
        """The container's CTID."""
    @property
    def closed(self) -> bool:
        """True after ``close()`` (or leaving a ``with`` block): the handle can no longer be
        used."""
    @property
    def state(self) -> State:
        """The container's state now, as liblxc reports it."""
    @property
    def running(self) -> bool:
        """True while the container runs."""
    @property
    def init_pid(self) -> int:
        """The host PID of the container's init; 0 when it is not running."""
    def start(
        self, timeout: float = 30.0, skiplock: bool = False, log_level: str = "WARN"
    ) -> list[str]:
        """Starts it (pending changes applied); returns the generator's warnings.

        log_level is liblxc's (TRACE .. FATAL, any case; InvalidArgumentError otherwise).
        rootfs and mp0..mp255 are mounted in the container's own mount namespace; a mount
        point that cannot be mounted raises with Proxmox's message and its key, a failing
        pre-start hookscript raises StateError."""
    def stop(self, skiplock: bool = False, timeout: float = 30.0) -> None:
        """Kills it and waits up to timeout seconds for STOPPED."""
    def shutdown(self, timeout: float = 60.0, force: bool = False) -> None:
        """``pct shutdown``: a clean shutdown, waiting up to ``timeout`` seconds; with ``force``
        it is killed after that."""
    def reboot(self, timeout: float = 60.0, force: bool = False) -> list[str]:
        """``pct reboot``: a clean shutdown, then a start that applies pending changes; returns
        the start's warnings."""
    def suspend(self) -> None:
        """``pct suspend``: freezes every process of the container."""
    def resume(self) -> None:
        """``pct resume``: thaws a suspended container."""
    def status(self) -> Status:
        """``pct status --verbose``: state and resource use (Proxmox's vmstatus fields)."""
    def exec(
        self,
        argv: list[str],
        env: list[str] = ...,
        keep_env: bool = False,
        cwd: str = "/",
        uid: int | None = None,
        gid: int | None = None,
        input: bytes = b"",
        timeout: float | None = None,
    ) -> ExecResult:
        """Runs a command inside and captures its output (exit code 127: not found).

        The command's stdin, stdout and stderr are pipes; no other descriptor of this process
        (not one made inheritable, such as a terminal) reaches it."""
    def push(
        self,
        source: str,
        destination: str,
        *,
        user: str | None = None,
        group: str | None = None,
        perms: int | None = None,
    ) -> None:
        """``pct push``: copies the host file ``source`` to ``destination`` inside the running
        container (resolved inside its root only; a symlink there is refused). ``user`` and
        ``group`` (names from the container's passwd/group, or ids) default to its root;
        ``perms`` (e.g. 0o640) to 0o644 for a new file."""
    def pull(
        self,
        source: str,
        destination: str,
        *,
        user: str | None = None,
        group: str | None = None,
        perms: int | None = None,
    ) -> None:
        """``pct pull``: copies ``source`` inside the running container (symlinks followed
        inside its root only) to the host file ``destination`` (never through a symlink).
        ``user``/``group`` are host accounts (default: the caller)."""
    def destroy(self, force: bool = False) -> None:
        """``pct destroy``: removes the container, its config and the volumes it owns; ``force``
        stops a running one first."""
    def lxc_log(self) -> str:
        """The liblxc log of the last start (empty when there is none)."""
    def mount(self) -> MountReport:
        """``pct mount``: sets ``lock: mounted`` and mounts rootfs and mp0..mp255 under
        ``<lxcpath>/<CTID>/rootfs`` in this process's mount namespace (the lock stays when
        mounting fails; nothing stays mounted)."""
    def unmount(self) -> None:
        """``pct unmount``: unmounts them (reverse key order) and removes the ``mounted`` lock."""
    def close(self) -> None:
        """Releases the liblxc handle; later calls raise ``StateError``. Idempotent."""
    def __enter__(self) -> Container: ...
    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool: ...

def list_containers(host: Host | None = None) -> list[ListEntry]:
    """Every container of ``host`` (default: the real host)."""

def restore(
    vmid: int,
    archive: str,
    *,
    options: dict[str, str] = ...,
    storage: str = "local",
    unique: bool = False,
    ignore_unpack_errors: bool = False,
    force: bool = False,
    start: bool = False,
    bwlimit: int = 0,
    progress: Callable[[Progress], object] | None = None,
    log: Callable[[str], object] | None = None,
    input_fd: int = -1,
    host: Host | None = None,
) -> Container:
    """Restores a vzdump backup into container ``vmid`` (``pct restore``), stopped unless
    ``start``.

    ``archive`` is ``STORAGE:backup/FILE``, an absolute path, or ``"-"`` to read an
    uncompressed archive from ``input_fd`` (then ``options`` needs a ``rootfs``). ``options``
    override the archive's config keys; without ``rootfs`` the archive's volumes are made
    again with their sizes (Proxmox's simple mode). Privileged unless ``unprivileged`` is
    given or the archive says so; files are unpacked in the target's id map. ``unique`` gives
    every archived ``netN`` a new MAC; ``force`` replaces a stopped container; ``bwlimit`` caps
    the read rate (KiB/s); ``progress`` hears phase ``"restore"``, ``log`` each log line. A
    failure ("unable to restore CT N - ...") removes everything the call made. libpct acts as
    Proxmox's root@pam.
    """

class BackupMode(metaclass=_Pybind11Type):
    """vzdump's backup modes."""

    stop: ClassVar[BackupMode]
    suspend: ClassVar[BackupMode]
    snapshot: ClassVar[BackupMode]
    __members__: ClassVar[dict[str, BackupMode]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name (``"snapshot"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (the C ABI's ``PCT_BACKUP_MODE_*``)."""

class BackupReport(metaclass=_Pybind11Type):
    """What a finished backup produced: the archive's path (and volume id on a storage), the
    log beside it, the mode actually used, its size, the archives pruning removed, the
    warnings logged."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    archive: str
    """The finished archive's full path."""
    volid: str
    """``STORE:backup/FILE`` when written to a storage, else ""."""
    log_path: str
    """The task log beside the archive."""
    mode: BackupMode
    """The mode actually used (stop for a stopped CT; suspend when a volume cannot snapshot)."""
    archive_size: int
    """The archive's size in bytes."""
    pruned: list[str]
    """The archives pruning removed."""
    warnings: list[str]
    """The warnings the backup logged."""
    def __init__(
        self,
        *,
        archive: str = ...,
        volid: str = ...,
        log_path: str = ...,
        mode: BackupMode = ...,
        archive_size: int = ...,
        pruned: list[str] = ...,
        warnings: list[str] = ...,
    ) -> None: ...
    def __copy__(self) -> BackupReport: ...
    def __deepcopy__(self, memo: object) -> BackupReport: ...
    def __eq__(self, other: object) -> bool: ...

def backup(
    vmid: int,
    *,
    storage: str | None = None,
    dumpdir: str | None = None,
    mode: BackupMode = ...,
    compress: BackupCompression = ...,
    zstd: int = 1,
    exclude_path: list[str] = ...,
    stdexcludes: bool = True,
    notes_template: str | None = None,
    protected: bool = False,
    remove: bool = True,
    tmpdir: str | None = None,
    bwlimit: int = 0,
    progress: Callable[[Progress], object] | None = None,
    log: Callable[[str], object] | None = None,
    host: Host | None = None,
) -> BackupReport:
    """Backs up container ``vmid`` as vzdump does (``pct backup``): a Proxmox-format archive
    ``vzdump-lxc-<vmid>-<time>.tar[.gz|.lzo|.zst]`` in ``dumpdir`` or the storage's backup
    directory (default ``local``), its ``.log`` beside it. ``mode`` snapshot (default; falls
    back to suspend where volumes cannot snapshot), suspend or stop (a stopped CT is always
    backed up in stop mode). ``protected``, ``notes_template`` and pruning by the storage's
    ``prune-backups`` (``remove``) apply to storage targets. ``progress`` hears phase
    ``"backup"``, ``log`` each log line (``"INFO: ..."``). StateError when the CT is locked,
    StorageError when tar, the compressor or rsync fail; a failure leaves only the ``.log``.
    """

def read_backup_config(archive: str) -> str:
    """The text of the first ``./etc/vzdump/pct.conf`` in a backup archive file (any
    compression); InvalidArgumentError when there is none (or it is above 1 MiB),
    UnsupportedError for an OpenVZ backup, StorageError when tar cannot read the archive."""

def merge_restored_config(
    archived: ContainerConfig, given: ContainerConfig, *, root: bool = True, unique: bool = False
) -> ContainerConfig:
    """Proxmox's restore merge (sanitize_and_merge_config): ``archived``'s keys copied into
    ``given`` unless set there or never copied (``rootfs``, ``mpN``, ``unusedN``, ``template``,
    ``unprivileged``, ``digest``, ``parent``, snapshots); raw ``lxc.*`` entries only for
    ``root``; with ``unique`` every archived ``netN`` gets a new MAC and replaces the given."""

def settable_at_create(key: str) -> bool:
    """Whether ``Container.create`` takes this config key: the schema's API keys (``net0`` ..
    ``net31``, ``mp0`` .. ``mp255``, ``dev0`` .. ``dev255``, ``description``, ...) except
    ``lock`` and ``unusedN``, which only create itself decides."""

# --- mount points (pct mount / pct unmount) ---

class MountReport(metaclass=_Pybind11Type):
    """What ``Container.mount()`` did."""

    def __init__(self) -> None: ...
    @property
    def path(self) -> str:
        """Where the rootfs is mounted: ``<lxcpath>/<CTID>/rootfs``."""
    @property
    def warnings(self) -> list[str]:
        """Proxmox's mount warnings (quota on a bind mount, ...)."""

# --- Storage (storage.cfg and volumes) ---

class VolumeInfo(metaclass=_Pybind11Type):
    """One image of a storage (``pvesm list``)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(
        self,
        *,
        volid: str,
        format: str = "raw",
        size: int = 0,
        used: int = 0,
        owner: int | None = None,
    ) -> None: ...
    @property
    def volid(self) -> str:
        """The volume id (``STORAGE:NAME``)."""
    @property
    def format(self) -> str:
        """``raw``, ``subvol``, ``qcow2`` or ``vmdk``."""
    @property
    def size(self) -> int:
        """Bytes (virtual size); 0 for a subvol."""
    @property
    def used(self) -> int:
        """Bytes used on the storage."""
    @property
    def owner(self) -> int | None:
        """The CTID that owns it (0: none)."""

class Storages(metaclass=_Pybind11Type):
    """The storages of a host: storage.cfg read once, each storage activated once, for one
    operation. Types ``dir`` and ``btrfs``; others raise ``UnsupportedError`` ("storage type
    'T' is not supported by this build"). Errors carry Proxmox's texts."""

    def __init__(self, host: Host) -> None: ...
    @property
    def ids(self) -> list[str]:
        """Storage ids in file order, the built-in ``local`` included."""
    @property
    def warnings(self) -> list[str]:
        """Proxmox's warnings about storage.cfg (skipped lines and sections)."""
    def type(self, storage: str) -> str:
        """The type of storage ``storage`` (``dir``, ``btrfs``, ...)."""
    def volumes(self, storage: str, vmid: int | None = None) -> list[VolumeInfo]:
        """The images on ``storage`` (of container ``vmid`` when given), as ``pvesm list``."""
    def alloc_ct_disk(
        self, storage: str, vmid: int, size_kib: int, root_uid: int = 0, root_gid: int = 0
    ) -> str:
        """A container volume as ``pct create`` makes it: ``size_kib`` > 0 a raw image with
        ext4 (root owned by ``root_uid:root_gid``), 0 a subvol chowned to them. Returns the
        volume id."""
    def free(self, volid: str) -> None:
        """Frees a volume (``pvesm free``)."""
    def path(self, volid: str, snap: str | None = None) -> str:
        """The host path of a volume (or its snapshot), after activating it."""
    def size(self, volid: str) -> int:
        """Bytes; 0 for a subvol."""
    def has_feature(self, feature: str, volid: str, snap: str | None = None) -> bool:
        """Proxmox's feature table: ``snapshot``, ``clone``, ``template``, ``copy``,
        ``sparseinit``, ``rename``, ``replicate``."""

# ---- volume operations (storage.md §6) ----

class DfRow(metaclass=_Pybind11Type):
    """One row of ``pct df``: sizes in bytes."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    key: str
    """``rootfs``, ``mp0``, ..."""
    volume: str
    """The volume string of the entry."""
    total: int
    """Size in bytes."""
    used: int
    """Bytes used."""
    avail: int
    """Bytes available."""
    path: str
    """The mount point inside the container (``/`` for rootfs)."""
    def __init__(self) -> None: ...

class ResizeReport(metaclass=_Pybind11Type):
    """What ``resize_volume`` did."""

    def __init__(self) -> None: ...
    @property
    def new_size(self) -> int:
        """The new size in bytes, as written into the entry's ``size``."""
    @property
    def warnings(self) -> list[str]:
        """"Failed to update the container's filesystem: ..." (a warning, as in Proxmox)."""

class MoveVolumeReport(metaclass=_Pybind11Type):
    """What ``move_volume`` did."""

    def __init__(self) -> None: ...
    @property
    def new_volume(self) -> str:
        """The volume id now in the entry."""
    @property
    def unused_key(self) -> str:
        """The ``unusedN`` the old volume went to ("" when it was freed)."""
    @property
    def warnings(self) -> list[str]:
        """Proxmox's warnings (e.g. a source that could not be freed)."""

def resize_volume(
    vmid: int, disk: str, size: str, digest: str | None = None, host: Host | None = None
) -> ResizeReport:
    """``pct resize``: grows ``rootfs``/``mpN`` (``+N`` relative, no unit = bytes) and its ext4."""

def move_volume(
    vmid: int,
    volume: str,
    storage: str | None = None,
    *,
    target_vmid: int | None = None,
    target_volume: str | None = None,
    delete: bool = False,
    digest: str | None = None,
    target_digest: str | None = None,
    bwlimit: int = 0,
    progress: Callable[[Progress], None] | None = None,
    host: Host | None = None,
) -> MoveVolumeReport:
    """``pct move-volume``: to another storage, or with ``target_vmid`` to another container.
    ``progress`` is called with the copy's reports (phase ``"copy"``)."""

def rescan(
    vmid: int | None = None, dryrun: bool = False, host: Host | None = None
) -> list[str]:
    """``pct rescan``: Proxmox's messages, orphan volumes added as ``unusedN``, sizes updated."""

def df(vmid: int, host: Host | None = None) -> list[DfRow]:
    """``pct df``: one row per ``rootfs``/``mpN`` (a stopped CT is mounted for the call)."""
def format_df(rows: list[DfRow]) -> str:
    """The ``pct df`` table."""

def fsck(vmid: int, device: str = "rootfs", force: bool = False, host: Host | None = None) -> str:
    """``pct fsck``: ``fsck -a -l`` (``-f`` with ``force``) on a raw volume of a stopped CT;
    returns its output."""
def fstrim(vmid: int, ignore_mountpoints: bool = False, host: Host | None = None) -> list[str]:
    """``pct fstrim``: ``fstrim -v`` on each writable mount point; returns its output lines."""

# ---- locks (pct unlock, the lock table) ----

def unlock(vmid: int, host: Host | None = None) -> str:
    """``pct unlock``: removes the config's lock, whatever it is; returns the lock removed."""

def lock_allows(operation: str, lock: str) -> bool:
    """Whether the ``pct`` command ``operation`` may run on a CT with ``lock: LOCK``."""

def lock_rules() -> list[tuple[str, bool, str, str]]:
    """The lock table: ``(operation, checked, passes, source)`` per operation."""

# ---- templates and clones (pct template, pct clone) ----

class CloneReport(metaclass=_Pybind11Type):
    """What ``clone`` made."""

    def __init__(self) -> None: ...
    @property
    def full(self) -> bool:
        """Whether the volumes were copied (True) or linked to the template's base (False)."""
    @property
    def volumes(self) -> list[tuple[str, str]]:
        """``(key, new volume id)`` in key order (rootfs, mp0, ...)."""
    @property
    def messages(self) -> list[str]:
        """Proxmox's progress lines and warnings."""

def make_template(vmid: int, host: Host | None = None) -> None:
    """``pct template``: the stopped CT's volumes become base volumes, ``template: 1``."""

def clone(
    vmid: int,
    newid: int,
    *,
    full: bool | None = None,
    storage: str | None = None,
    hostname: str | None = None,
    description: str | None = None,
    snapname: str | None = None,
    bwlimit: int = 0,
    progress: Callable[[Progress], None] | None = None,
    host: Host | None = None,
) -> CloneReport:
    """``pct clone``: a full copy (any storage) or, by default for a template, a linked clone.
    ``progress`` is called with each full copy's reports (phase ``"copy"``, one per volume)."""

# ---- snapshots (config-format.md §8, storage.md §7.3-7.4) ----

class SnapshotReport(metaclass=_Pybind11Type):
    """What a snapshot operation reported."""

    def __init__(self) -> None: ...
    @property
    def warnings(self) -> list[str]:
        """Proxmox's warnings, in order (e.g. a volume error under ``force``)."""

class SnapshotInfo(metaclass=_Pybind11Type):
    """One snapshot as ``pct listsnapshot`` shows it; ``current`` is the running state."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    name: str
    """The snapshot's name (``current`` for the running state)."""
    parent: str
    """The snapshot it was taken after ("" for the first)."""
    snaptime: int
    """When it was taken (seconds since the epoch; 0 for ``current``)."""
    description: str
    """Its description."""
    snapstate: str
    """``prepare`` or ``delete`` while an operation is unfinished, else ""."""
    current: bool
    """True for the entry of the running state."""
    def __init__(self) -> None: ...

class SnapshotBlocker(metaclass=_Pybind11Type):
    """A mount point that prevents snapshots: its key, volume and why."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    key: str
    """The mount point key (``rootfs``, ``mpN``)."""
    volume: str
    """Its volume."""
    reason: str
    """Why it cannot be snapshotted."""
    def __init__(self) -> None: ...

def snapshot_create(
    vmid: int, name: str, description: str = "", host: Host | None = None
) -> SnapshotReport:
    """``pct snapshot``: every volume snapshotted (a running CT frozen meanwhile); refused with
    the first blocking mount point (``UnsupportedError``) before anything is written."""

def snapshot_delete(
    vmid: int, name: str, force: bool = False, host: Host | None = None
) -> SnapshotReport:
    """``pct delsnapshot``: volume snapshots, then the section; parents re-linked."""

def snapshot_rollback(
    vmid: int, name: str, start: bool = False, host: Host | None = None
) -> SnapshotReport:
    """``pct rollback``: hard stop, volumes rolled back, the snapshot's config; ``start`` after."""

def list_snapshots(vmid: int, host: Host | None = None) -> list[SnapshotInfo]:
    """By age, the ``current`` pseudo entry last."""

def format_snapshot_tree(snapshots: list[SnapshotInfo]) -> str:
    """``pct listsnapshot``'s tree."""

def snapshot_blockers(vmid: int, host: Host | None = None) -> list[SnapshotBlocker]:
    """Every ``rootfs``/``mpN`` that prevents a snapshot (empty: possible)."""

def check_snapshot_name(name: str) -> None:
    """Raises ``InvalidArgumentError`` for a reserved or malformed snapshot name."""

# ---- pending changes (config-format §8) ----

class KeyChange(metaclass=_Pybind11Type):
    """What a change did (or would do) to one key."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self) -> None: ...
    @property
    def key(self) -> str:
        """The config key."""
    @property
    def action(self) -> str:
        """``set``, ``delete`` or ``revert``."""
    @property
    def effect(self) -> str:
        """``applied`` (stopped CT), ``live`` (running CT, now), ``pending`` (until the next
        start, see ``reason``) or ``unchanged``."""
    @property
    def reason(self) -> str:
        """Why it stays pending or failed ("" when applied)."""
    @property
    def current(self) -> str | None:
        """The value before the change (None: unset)."""
    @property
    def next(self) -> str | None:
        """The value after the change (None: deleted)."""

class ChangeReport(metaclass=_Pybind11Type):
    """What ``set_config`` did (or, dry-run, would do) to each key."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self) -> None: ...
    @property
    def keys(self) -> list[KeyChange]:
        """Deletes first, then sets, each by key, then reverts."""
    @property
    def warnings(self) -> list[str]:
        """Proxmox's warnings, in order."""
    @property
    def errors(self) -> list[str]:
        """Per-key apply/hot-plug errors: the change was written, those keys stay pending."""

class PendingEntry(metaclass=_Pybind11Type):
    """One key of ``pct pending``: main value, pending value, pending deletion (1, 2 forced)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self) -> None: ...
    @property
    def key(self) -> str:
        """The config key."""
    @property
    def value(self) -> str | None:
        """The value in the main section (None: unset)."""
    @property
    def pending(self) -> str | None:
        """The pending value (None: no pending change)."""
    @property
    def delete(self) -> int:
        """1 when a deletion is pending, 2 when forced, 0 otherwise."""

def update_config(
    vmid: int,
    set: dict[str, str] | None = None,
    *,
    delete: list[str] | None = None,
    revert: list[str] | None = None,
    digest: str | None = None,
    host: Host | None = None,
) -> ChangeReport:
    """``pct set`` with Proxmox's pending semantics (``!KEY`` in ``delete`` = forced)."""

def plan_config_change(
    vmid: int,
    set: dict[str, str] | None = None,
    *,
    delete: list[str] | None = None,
    revert: list[str] | None = None,
    digest: str | None = None,
    host: Host | None = None,
) -> ChangeReport:
    """``pct set --dry-run``: what ``update_config`` would do now, writing nothing."""

def equivalent_values(key: str, a: str, b: str) -> bool:
    """Whether two values of ``key`` are the same once normalized (MAC case, sizes, tags)."""

def pending_entries(vmid: int, host: Host | None = None) -> list[PendingEntry]:
    """``pct pending``'s entries of container ``vmid``: every key with its main and pending
    value."""
def format_pending(entries: list[PendingEntry]) -> str:
    """``pct pending``'s ``cur``/``new``/``del`` lines."""

class Progress(metaclass=_Pybind11Type):
    """One progress report of long work (extraction, copies, backup, restore), passed to a
    ``progress=`` callable."""
    def __init__(self) -> None: ...
    @property
    def phase(self) -> str:
        """What is being done: 'extract', 'backup', ..."""
    @property
    def bytes(self) -> int:
        """Bytes done so far."""
    @property
    def total(self) -> int:
        """The expected end of ``bytes``; 0 if unknown."""
    @property
    def rate(self) -> float:
        """Bytes per second since the phase began."""
    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at ``rate``; None when unknown."""
    @property
    def done(self) -> bool:
        """True on the last report of the phase."""

# ---- backup files on storage (vzdump-format §1, §5, §6.2) ----

class BackupCompression(metaclass=_Pybind11Type):
    """The compressors vzdump writes container archives with."""

    none: ClassVar[BackupCompression]
    gzip: ClassVar[BackupCompression]
    lzo: ClassVar[BackupCompression]
    zstd: ClassVar[BackupCompression]
    __members__: ClassVar[dict[str, BackupCompression]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name (``"zstd"``)."""
    @property
    def value(self) -> int:
        """The member's integer value (the C ABI's ``PCT_BACKUP_COMPRESS_*``)."""

class PruneMark(metaclass=_Pybind11Type):
    """Proxmox's mark of a backup after pruning."""

    keep: ClassVar[PruneMark]
    remove: ClassVar[PruneMark]
    protected: ClassVar[PruneMark]
    renamed: ClassVar[PruneMark]
    __members__: ClassVar[dict[str, PruneMark]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str:
        """The member's name (``"keep"``, ``"remove"``, ...)."""
    @property
    def value(self) -> int:
        """The member's integer value."""

class BackupFileInfo(metaclass=_Pybind11Type):
    """What pve-storage's archive_info learns from a backup file name."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    filename: str
    """The archive's file name."""
    type: str
    """The guest type of the name: "lxc", "qemu" or "openvz"."""
    vmid: int
    """The guest id of the name."""
    ctime: int | None
    """The backup time parsed from a standard name (local time), None otherwise."""
    is_std_name: bool
    """True for ``vzdump-<type>-<vmid>-YYYY_MM_DD-HH_MM_SS.<ext>``."""
    format: str
    """The archive format: "tar" or "vma" (``.tgz`` is "tar")."""
    compression: str
    """The compressor's extension without its dot ("zst", "gz", "lzo", "bz2"), "" when none."""
    log_filename: str
    """The name of its task log (``<basename>.log``)."""
    notes_filename: str
    """The name of its notes file (``<archive>.notes``)."""
    protected_filename: str
    """The name of its protection marker (``<archive>.protected``)."""
    def __init__(
        self,
        *,
        filename: str = ...,
        type: str = ...,
        vmid: int = ...,
        ctime: int | None = ...,
        is_std_name: bool = ...,
        format: str = ...,
        compression: str = ...,
        log_filename: str = ...,
        notes_filename: str = ...,
        protected_filename: str = ...,
    ) -> None: ...
    def __copy__(self) -> BackupFileInfo: ...
    def __deepcopy__(self, memo: object) -> BackupFileInfo: ...
    def __eq__(self, other: object) -> bool: ...

class BackupEntry(metaclass=_Pybind11Type):
    """One backup file of a dump directory."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    path: str
    """The archive's full path."""
    info: BackupFileInfo
    """What its file name says (``archive_info``)."""
    size: int
    """The archive's size in bytes."""
    is_protected: bool
    """True when a ``.protected`` file sits beside it."""
    notes: str
    """The text of its ``.notes`` file ("" when none)."""
    def __init__(
        self,
        *,
        path: str = ...,
        info: BackupFileInfo = ...,
        size: int = ...,
        is_protected: bool = ...,
        notes: str = ...,
    ) -> None: ...
    def __copy__(self) -> BackupEntry: ...
    def __deepcopy__(self, memo: object) -> BackupEntry: ...
    def __eq__(self, other: object) -> bool: ...

class PruneOptions(metaclass=_Pybind11Type):
    """The ``prune-backups`` retention rules: how many backups of each period to keep."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    keep_all: bool
    """Keep every backup (no other option may be set with it)."""
    keep_last: int | None
    """Keep the newest N backups."""
    keep_hourly: int | None
    """Keep the newest backup of each of the last N hours that have one."""
    keep_daily: int | None
    """Keep the newest backup of each of the last N days that have one."""
    keep_weekly: int | None
    """Keep the newest backup of each of the last N ISO weeks that have one."""
    keep_monthly: int | None
    """Keep the newest backup of each of the last N months that have one."""
    keep_yearly: int | None
    """Keep the newest backup of each of the last N years that have one."""
    def __init__(
        self,
        *,
        keep_all: bool = ...,
        keep_last: int | None = ...,
        keep_hourly: int | None = ...,
        keep_daily: int | None = ...,
        keep_weekly: int | None = ...,
        keep_monthly: int | None = ...,
        keep_yearly: int | None = ...,
    ) -> None: ...
    def __copy__(self) -> PruneOptions: ...
    def __deepcopy__(self, memo: object) -> PruneOptions: ...
    def __eq__(self, other: object) -> bool: ...

def backup_basename(vmid: int, start: int) -> str:
    """``vzdump-lxc-<vmid>-YYYY_MM_DD-HH_MM_SS`` of ``start`` (epoch seconds) in local time."""

def backup_extension(compression: BackupCompression) -> str:
    """``.tar``, ``.tar.gz``, ``.tar.lzo`` or ``.tar.zst``."""

def parse_compression(value: str) -> BackupCompression:
    """vzdump's ``--compress`` value: ``0``, ``1``, ``gzip``, ``lzo``, ``zstd``."""

def temp_archive_name(final_name: str) -> str:
    """The name an archive is written under until complete (last extension -> ``.dat``)."""

def archive_info(filename: str) -> BackupFileInfo | None:
    """pve-storage's archive_info of a file name, or None when it is not a backup."""

def render_notes_template(
    template: str,
    vmid: int,
    guestname: str = "",
    node: str = "",
    cluster: str = "standalone node",
) -> str:
    """vzdump's notes template: escapes ``\\n`` and ``\\\\``, variables ``{{cluster}}``,
    ``{{guestname}}`` (``CT<vmid>`` when empty), ``{{node}}``, ``{{vmid}}``."""

def parse_prune_backups(text: str) -> PruneOptions:
    """Parses a ``prune-backups`` property string with Proxmox's rules."""

def format_prune_backups(options: PruneOptions) -> str:
    """The ``prune-backups`` property string of ``options`` (keys sorted)."""

def list_backups(dir: str, vmid: int | None = None) -> list[BackupEntry]:
    """The backup files of a dump directory, sorted by name."""

def prune_marks(
    entries: list[BackupEntry], options: PruneOptions
) -> list[tuple[BackupEntry, PruneMark]]:
    """pve-storage's prune marks of ``entries`` (in their order)."""

def prune_backups(dir: str, vmid: int, options: PruneOptions, dry_run: bool = False) -> list[str]:
    """Prunes the container backups of ``vmid`` in ``dir``; returns the archives marked for
    removal (removed unless ``dry_run``)."""

def remove_backup(archive_path: str) -> None:
    """Removes an archive with its .log and .notes; refuses a protected one."""

def set_backup_protected(archive_path: str, protect: bool) -> None:
    """Creates or deletes ``<archive>.protected``."""

def set_backup_notes(archive_path: str, notes: str) -> None:
    """Writes ``<archive>.notes``, or deletes it for empty notes."""

def check_protected_limit(dir: str, vmid: int, max_protected: int, storage: str) -> None:
    """Raises StateError when ``max_protected`` (>= 0) backups of ``vmid`` are protected."""

def backup_dir(host: Host, storage: str) -> str:
    """The dump directory of a storage (activating it); refuses one without backup content."""

def storage_prune_options(host: Host, storage: str) -> PruneOptions:
    """A storage's ``prune-backups`` (``keep-all`` when unset)."""

def storage_max_protected_backups(host: Host, storage: str) -> int:
    """A storage's ``max-protected-backups``; -1 (unlimited) when unset."""
class ClusterLock(metaclass=_Pybind11Type):
    """A held operation lock of one CT on an etcd lease, renewed in the background; a context
    manager that releases it on exit. Made by ``ClusterStore.acquire`` only."""

    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @property
    def ctid(self) -> int:
        """The CT the lock is for."""
    @property
    def fence(self) -> int:
        """The fencing token: the lock key's create revision."""
    @property
    def held(self) -> bool:
        """False once the lease was lost (or not renewed within its TTL)."""
    def release(self) -> None:
        """Deletes the lock (revokes its lease)."""
    def __enter__(self) -> ClusterLock: ...
    def __exit__(self, *args: object) -> None: ...

class ClusterStore(metaclass=_Pybind11Type):
    """CTIDs, configs, locks and node liveness shared by several hosts through etcd. Every
    call fails fast without quorum (NoQuorumError) and writes all or nothing."""

    def __init__(self, endpoints: str, node: str, prefix: str = "") -> None:
        """Connects to ``endpoints`` ("host:port,...") and registers ``node`` as alive."""
    @property
    def node(self) -> str:
        """This host's node name in the cluster."""
    @property
    def prefix(self) -> str:
        """The key prefix of this cluster in etcd (``/pct/v1/<name>/``)."""
    def allocate_ctid(self, initial_config: str) -> int:
        """Takes the lowest free CTID >= 100 with its first config; returns it."""
    def claim_ctid(self, ctid: int, initial_config: str) -> None:
        """Takes ``ctid``; AlreadyExistsError "CT N already exists (on node X)"."""
    def read_config(self, ctid: int) -> tuple[str, str, int]:
        """``(text, digest, revision)`` of the CT's config."""
    def write_config(
        self,
        ctid: int,
        text: str,
        revision: int = 0,
        digest: str = "",
        lock: ClusterLock | None = None,
    ) -> int:
        """Replaces the config if it still has ``revision`` (or ``digest``): else
        DigestMismatchError; StateError when locked by another or the lock was lost. Returns
        the new revision."""
    def remove(self, ctid: int, lock: ClusterLock | None = None) -> None:
        """Frees the CTID and deletes its config."""
    def list(self) -> builtins.list[tuple[int, str]]:
        """``[(ctid, node), ...]`` in ascending order."""
    def nodes(self) -> builtins.list[str]:
        """The nodes alive now, sorted."""
    def acquire(self, ctid: int, operation: str, ttl: int = 10) -> ClusterLock:
        """Takes the CT's operation lock; StateError "CT N is locked (OP on node X)"."""
