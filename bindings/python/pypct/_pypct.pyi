# SPDX-License-Identifier: AGPL-3.0-or-later
"""The native module of pypct (seeded by stubgen, maintained by hand; docstrings live here).

Value types are copied across the boundary: attributes holding lists or dicts return a new
list/dict on each access, so change it and assign it back (``mp.idmap = [...]``).
``ContainerConfig.main``/``.pending`` and ``ContainerConfig.section()`` return views into the
config, so ``cfg.main["memory"] = "512"`` changes ``cfg``.
"""
import builtins
from typing import ClassVar, Iterator

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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

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
    message: str
    context: str
    line: int
    column: int
    key: str
    subkey: str
    sys_errno: int
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
    bridge: str | None
    firewall: bool | None
    gw: str | None
    gw6: str | None
    host_managed: bool | None
    hwaddr: str | None
    ip: str | None
    ip6: str | None
    link_down: bool | None
    mtu: int | None
    rate: str | None
    """Mbit/s, the exact decimal text (an int or float is accepted and converted)."""
    tag: int | None
    trunks: str | None
    type: str | None
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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class IdMapEntry(metaclass=_Pybind11Type):
    """One ``u|g:CT:HOST:COUNT`` entry of a per-mount idmap."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    kind: str
    ct: int
    host: int
    count: int
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
    mp: str | None
    size: int | None
    acl: bool | None
    backup: bool | None
    keepattrs: bool | None
    mountoptions: str | None
    idmap_passthrough: bool | None
    idmap: list[IdMapEntry]
    quota: bool | None
    replicate: bool | None
    ro: bool | None
    shared: bool | None
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
    def __init__(self, *, volume: str = ...) -> None: ...
    @staticmethod
    def parse(text: str) -> UnusedVolume: ...
    def render(self) -> str: ...
    def __copy__(self) -> UnusedVolume: ...
    def __deepcopy__(self, memo: object) -> UnusedVolume: ...
    def __eq__(self, other: object) -> bool: ...

class Device(metaclass=_Pybind11Type):
    """``devN``: a host device passed through."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    path: str | None
    mode: str | None
    uid: int | None
    gid: int | None
    deny_write: bool | None
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
    def parse(text: str) -> Device: ...
    def render(self) -> str: ...
    def __copy__(self) -> Device: ...
    def __deepcopy__(self, memo: object) -> Device: ...
    def __eq__(self, other: object) -> bool: ...

class Features(metaclass=_Pybind11Type):
    """``features``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    force_rw_sys: bool | None
    fuse: bool | None
    keyctl: bool | None
    mknod: bool | None
    mount: str | None
    nesting: bool | None
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
    def parse(text: str) -> Features: ...
    def render(self) -> str: ...
    def __copy__(self) -> Features: ...
    def __deepcopy__(self, memo: object) -> Features: ...
    def __eq__(self, other: object) -> bool: ...

class StartupOrder(metaclass=_Pybind11Type):
    """``startup``: ``[order=]N,up=N,down=N``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    order: int | None
    up: int | None
    down: int | None
    def __init__(
        self, *, order: int | None = ..., up: int | None = ..., down: int | None = ...
    ) -> None: ...
    @staticmethod
    def parse(text: str) -> StartupOrder: ...
    def render(self) -> str: ...
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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class ContainerSettings(metaclass=_Pybind11Type):
    """One section with every schema key in its real type (``Section.settings()``)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    arch: Arch | None
    cmode: ConsoleMode | None
    console: bool | None
    cores: int | None
    cpulimit: str | None
    cpuunits: int | None
    debug: bool | None
    description: str | None
    entrypoint: str | None
    env: list[str]
    features: Features | None
    hookscript: str | None
    hostname: str | None
    lock: Lock | None
    memory: int | None
    nameserver: str | None
    onboot: bool | None
    ostype: str | None
    parent: str | None
    protection: bool | None
    rootfs: MountPoint | None
    searchdomain: str | None
    snaptime: int | None
    startup: StartupOrder | None
    swap: int | None
    tags: str | None
    template: bool | None
    timezone: str | None
    tty: int | None
    unprivileged: bool | None
    net: dict[int, NetInterface]
    mp: dict[int, MountPoint]
    unused: dict[int, UnusedVolume]
    dev: dict[int, Device]
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
    value: str
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
    description: str
    lxc: list[LxcEntry]
    def __init__(
        self, *, options: dict[str, str] = ..., description: str = ..., lxc: list[LxcEntry] = ...
    ) -> None: ...
    def get(self, key: str, default: str | None = None) -> str | None:
        """The stored value of ``key``, or ``default``."""
    def keys(self) -> list[str]: ...
    def items(self) -> list[tuple[str, str]]: ...
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
    pending: Section
    snapshots: dict[str, Section]
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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class Diagnostic(metaclass=_Pybind11Type):
    """One problem found while reading a file, with Proxmox's exact warning text."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    code: DiagCode
    message: str
    line: int
    column: int
    key: str
    subkey: str
    section: str
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
    def parse(text: str | bytes, vmid: int = 100, strict: bool = False) -> ParsedConfig: ...
    @staticmethod
    def load(path: str, vmid: int | None = None, strict: bool = False) -> ParsedConfig: ...
    @property
    def config(self) -> ContainerConfig:
        """A copy of the parsed config."""
    @property
    def digest(self) -> str: ...
    @property
    def warnings(self) -> list[Diagnostic]: ...
    @property
    def text(self) -> str:
        """The current text (the lossless form)."""
    @property
    def vmid(self) -> int: ...
    @property
    def strict(self) -> bool: ...
    @property
    def file(self) -> str: ...
    def get(self, key: str, section: str = "") -> str | None: ...
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
    def validate(self) -> list[Problem]: ...
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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class HostFacts(metaclass=_Pybind11Type):
    """Everything about the host that changes the generated LXC config."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    lxc_version: str
    cgroup: CgroupMode
    bridge_mtu: dict[str, int]
    all_bridges_exist: bool
    mac_prefix: str
    mac_counter: int
    apparmor: bool
    lxc_config_dir: str
    lxcpath: str
    cpuset: list[int] | None
    syscalld_socket: str
    # The include files of lxc_config_dir by name; None: look in the directory.
    lxc_config_files: list[str] | None
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
    content: str
    def __init__(self, *, path: str = ..., content: str = ...) -> None: ...
    def __copy__(self) -> ExtraFile: ...
    def __deepcopy__(self, memo: object) -> ExtraFile: ...
    def __eq__(self, other: object) -> bool: ...

class LxcConfig(metaclass=_Pybind11Type):
    """A generated LXC config: ``key = value`` lines, extra files, warnings."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    config: str
    files: list[ExtraFile]
    warnings: list[str]
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
    def root(self) -> str: ...
    @property
    def lxcpath(self) -> str: ...
    def config_path(self, vmid: int) -> str: ...
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
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

class ListEntry(metaclass=_Pybind11Type):
    """One row of ``pct list``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    vmid: int
    state: State
    status: str
    lock: str
    name: str
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
    state: State
    status: str
    name: str
    lock: str
    tags: str
    is_template: bool
    pid: int
    uptime: int
    cpus: float
    cpu: float
    cpu_time_ns: int
    mem: int
    maxmem: int
    swap: int
    maxswap: int
    disk: int
    maxdisk: int
    diskread: int
    diskwrite: int
    netin: int
    netout: int
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
    signal: int
    out: bytes
    err: bytes
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
    def vmid(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    @property
    def state(self) -> State: ...
    @property
    def running(self) -> bool: ...
    @property
    def init_pid(self) -> int: ...
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
    def shutdown(self, timeout: float = 60.0, force: bool = False) -> None: ...
    def reboot(self, timeout: float = 60.0, force: bool = False) -> list[str]: ...
    def suspend(self) -> None: ...
    def resume(self) -> None: ...
    def status(self) -> Status: ...
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
    def destroy(self, force: bool = False) -> None: ...
    def lxc_log(self) -> str: ...
    def mount(self) -> MountReport:
        """``pct mount``: sets ``lock: mounted`` and mounts rootfs and mp0..mp255 under
        ``<lxcpath>/<CTID>/rootfs`` in this process's mount namespace (the lock stays when
        mounting fails; nothing stays mounted)."""
    def unmount(self) -> None:
        """``pct unmount``: unmounts them (reverse key order) and removes the ``mounted`` lock."""
    def close(self) -> None: ...
    def __enter__(self) -> Container: ...
    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool: ...

def list_containers(host: Host | None = None) -> list[ListEntry]:
    """Every container of ``host`` (default: the real host)."""

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
    def volid(self) -> str: ...
    @property
    def format(self) -> str:
        """``raw``, ``subvol``, ``qcow2`` or ``vmdk``."""
    @property
    def size(self) -> int:
        """Bytes (virtual size); 0 for a subvol."""
    @property
    def used(self) -> int: ...
    @property
    def owner(self) -> int | None: ...

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
    def type(self, storage: str) -> str: ...
    def volumes(self, storage: str, vmid: int | None = None) -> list[VolumeInfo]: ...
    def alloc_ct_disk(
        self, storage: str, vmid: int, size_kib: int, root_uid: int = 0, root_gid: int = 0
    ) -> str:
        """A container volume as ``pct create`` makes it: ``size_kib`` > 0 a raw image with
        ext4 (root owned by ``root_uid:root_gid``), 0 a subvol chowned to them. Returns the
        volume id."""
    def free(self, volid: str) -> None: ...
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
    volume: str
    total: int
    used: int
    avail: int
    path: str
    def __init__(self) -> None: ...

class ResizeReport(metaclass=_Pybind11Type):
    def __init__(self) -> None: ...
    @property
    def new_size(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...

class MoveVolumeReport(metaclass=_Pybind11Type):
    def __init__(self) -> None: ...
    @property
    def new_volume(self) -> str: ...
    @property
    def unused_key(self) -> str:
        """The ``unusedN`` the old volume went to ("" when it was freed)."""
    @property
    def warnings(self) -> list[str]: ...

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
    host: Host | None = None,
) -> MoveVolumeReport:
    """``pct move-volume``: to another storage, or with ``target_vmid`` to another container."""

def rescan(
    vmid: int | None = None, dryrun: bool = False, host: Host | None = None
) -> list[str]:
    """``pct rescan``: Proxmox's messages, orphan volumes added as ``unusedN``, sizes updated."""

def df(vmid: int, host: Host | None = None) -> list[DfRow]: ...
def format_df(rows: list[DfRow]) -> str:
    """The ``pct df`` table."""

def fsck(vmid: int, device: str = "rootfs", force: bool = False, host: Host | None = None) -> str: ...
def fstrim(vmid: int, ignore_mountpoints: bool = False, host: Host | None = None) -> list[str]: ...

# ---- locks (pct unlock, the lock table) ----

def unlock(vmid: int, host: Host | None = None) -> str:
    """``pct unlock``: removes the config's lock, whatever it is; returns the lock removed."""

def lock_allows(operation: str, lock: str) -> bool:
    """Whether the ``pct`` command ``operation`` may run on a CT with ``lock: LOCK``."""

def lock_rules() -> list[tuple[str, bool, str, str]]:
    """The lock table: ``(operation, checked, passes, source)`` per operation."""

# ---- templates and clones (pct template, pct clone) ----

class CloneReport(metaclass=_Pybind11Type):
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
    host: Host | None = None,
) -> CloneReport:
    """``pct clone``: a full copy (any storage) or, by default for a template, a linked clone."""

# ---- snapshots (config-format.md §8, storage.md §7.3-7.4) ----

class SnapshotReport(metaclass=_Pybind11Type):
    def __init__(self) -> None: ...
    @property
    def warnings(self) -> list[str]:
        """Proxmox's warnings, in order (e.g. a volume error under ``force``)."""

class SnapshotInfo(metaclass=_Pybind11Type):
    """One snapshot as ``pct listsnapshot`` shows it; ``current`` is the running state."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    name: str
    parent: str
    snaptime: int
    description: str
    snapstate: str
    current: bool
    def __init__(self) -> None: ...

class SnapshotBlocker(metaclass=_Pybind11Type):
    """A mount point that prevents snapshots: its key, volume and why."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    key: str
    volume: str
    reason: str
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
    def key(self) -> str: ...
    @property
    def action(self) -> str:
        """``set``, ``delete`` or ``revert``."""
    @property
    def effect(self) -> str:
        """``applied`` (stopped CT), ``live`` (running CT, now), ``pending`` (until the next
        start, see ``reason``) or ``unchanged``."""
    @property
    def reason(self) -> str: ...
    @property
    def current(self) -> str | None: ...
    @property
    def next(self) -> str | None: ...

class ChangeReport(metaclass=_Pybind11Type):
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self) -> None: ...
    @property
    def keys(self) -> list[KeyChange]:
        """Deletes first, then sets, each by key, then reverts."""
    @property
    def warnings(self) -> list[str]: ...
    @property
    def errors(self) -> list[str]:
        """Per-key apply/hot-plug errors: the change was written, those keys stay pending."""

class PendingEntry(metaclass=_Pybind11Type):
    """One key of ``pct pending``: main value, pending value, pending deletion (1, 2 forced)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self) -> None: ...
    @property
    def key(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def pending(self) -> str | None: ...
    @property
    def delete(self) -> int: ...

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

def pending_entries(vmid: int, host: Host | None = None) -> list[PendingEntry]: ...
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

class ClusterLock(metaclass=_Pybind11Type):
    """A held operation lock of one CT on an etcd lease, renewed in the background; a context
    manager that releases it on exit. Made by ``ClusterStore.acquire`` only."""

    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @property
    def ctid(self) -> int: ...
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
    def node(self) -> str: ...
    @property
    def prefix(self) -> str: ...
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
