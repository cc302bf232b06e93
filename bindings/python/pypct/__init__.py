# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct: Proxmox VE container configs (and LXC containers) from Python, over libpct.

Value types (ContainerConfig, Section, NetInterface, MountPoint, ...) cross the boundary as
copies. Attributes that are containers (``cfg.snapshots``, ``section.options``,
``mp.idmap``, ``settings.net``) return a new dict/list each time: change it, then assign it
back. ``cfg.main``, ``cfg.pending`` and ``cfg.section(name)`` are views into the config.

Errors raise one exception class per ``Errc`` (``ParseError``, ``NotFoundError``, ...),
all deriving from ``pypct.Error`` and from the fitting builtin (``ValueError``,
``LookupError``, ``OSError``, ``RuntimeError``).
"""
from ._pypct import (
    AlreadyExistsError,
    Arch,
    CgroupMode,
    ClusterLock,
    ClusterStore,
    ConsoleMode,
    Container,
    ContainerConfig,
    ContainerSettings,
    Device,
    DiagCode,
    DigestMismatchError,
    Diagnostic,
    Errc,
    Error,
    ExecResult,
    ExtraFile,
    Features,
    Host,
    HostFacts,
    IdMapEntry,
    InternalError,
    InvalidArgumentError,
    ListEntry,
    Lock,
    LxcConfig,
    LxcEntry,
    LxcError,
    MountPoint,
    MountReport,
    NetInterface,
    NoQuorumError,
    NotFoundError,
    OsType,
    ParseError,
    ParsedConfig,
    Problem,
    Profile,
    Section,
    StartupOrder,
    State,
    StateError,
    Status,
    StorageError,
    Storages,
    UnsupportedError,
    UnusedVolume,
    VolumeInfo,
    VolumeKind,
    __version__,
    check_type,
    decode_text,
    encode_text,
    format_size,
    list_containers,
    parse_size,
    settable_at_create,
    validate_value,
    validate_vmid,
    vmid_from_path,
)

__all__ = [
    "AlreadyExistsError",
    "Arch",
    "CgroupMode",
    "ClusterLock",
    "ClusterStore",
    "ConsoleMode",
    "Container",
    "ContainerConfig",
    "ContainerSettings",
    "Device",
    "DiagCode",
    "DigestMismatchError",
    "Diagnostic",
    "Errc",
    "Error",
    "ExecResult",
    "ExtraFile",
    "Features",
    "Host",
    "HostFacts",
    "IdMapEntry",
    "InternalError",
    "InvalidArgumentError",
    "ListEntry",
    "Lock",
    "LxcConfig",
    "LxcEntry",
    "LxcError",
    "MountPoint",
    "MountReport",
    "NetInterface",
    "NoQuorumError",
    "NotFoundError",
    "OsType",
    "ParseError",
    "ParsedConfig",
    "Problem",
    "Profile",
    "Section",
    "StartupOrder",
    "State",
    "StateError",
    "Status",
    "StorageError",
    "Storages",
    "UnsupportedError",
    "UnusedVolume",
    "VolumeInfo",
    "VolumeKind",
    "__version__",
    "check_type",
    "decode_text",
    "encode_text",
    "format_size",
    "list_containers",
    "parse_size",
    "settable_at_create",
    "validate_value",
    "validate_vmid",
    "vmid_from_path",
]

# Volume operations (pct resize, move-volume, rescan, df, fsck, fstrim).
from ._pypct import (
    DfRow,
    MoveVolumeReport,
    ResizeReport,
    df,
    format_df,
    fsck,
    fstrim,
    move_volume,
    rescan,
    resize_volume,
)

__all__ += [
    "DfRow",
    "MoveVolumeReport",
    "ResizeReport",
    "df",
    "format_df",
    "fsck",
    "fstrim",
    "move_volume",
    "rescan",
    "resize_volume",
]

# Locks (pct unlock, which lock blocks which operation).
from ._pypct import lock_allows, lock_rules, unlock

__all__ += ["lock_allows", "lock_rules", "unlock"]

# Templates and clones (pct template, pct clone).
from ._pypct import CloneReport, clone, make_template

__all__ += ["CloneReport", "clone", "make_template"]

# Snapshots (pct snapshot, listsnapshot, rollback, delsnapshot).
from ._pypct import (
    SnapshotBlocker,
    SnapshotInfo,
    SnapshotReport,
    check_snapshot_name,
    format_snapshot_tree,
    list_snapshots,
    snapshot_blockers,
    snapshot_create,
    snapshot_delete,
    snapshot_rollback,
)

__all__ += [
    "SnapshotBlocker",
    "SnapshotInfo",
    "SnapshotReport",
    "check_snapshot_name",
    "format_snapshot_tree",
    "list_snapshots",
    "snapshot_blockers",
    "snapshot_create",
    "snapshot_delete",
    "snapshot_rollback",
]

# Pending changes (pct set with Proxmox's pending semantics, --dry-run, pct pending).
from ._pypct import (
    ChangeReport,
    KeyChange,
    PendingEntry,
    equivalent_values,
    format_pending,
    pending_entries,
    plan_config_change,
    update_config,
)

__all__ += [
    "ChangeReport",
    "KeyChange",
    "PendingEntry",
    "equivalent_values",
    "format_pending",
    "pending_entries",
    "plan_config_change",
    "update_config",
]

# Progress of long work (a ``progress=`` callable receives these).
from ._pypct import Progress

__all__ += ["Progress"]

# Backup files on storage (vzdump archive names, retention, side files).
from ._pypct import (
    BackupCompression,
    BackupEntry,
    BackupFileInfo,
    PruneMark,
    PruneOptions,
    archive_info,
    backup_basename,
    backup_dir,
    backup_extension,
    check_protected_limit,
    format_prune_backups,
    list_backups,
    parse_compression,
    parse_prune_backups,
    prune_backups,
    prune_marks,
    remove_backup,
    render_notes_template,
    set_backup_notes,
    set_backup_protected,
    storage_max_protected_backups,
    storage_prune_options,
    temp_archive_name,
)

__all__ += [
    "BackupCompression",
    "BackupEntry",
    "BackupFileInfo",
    "PruneMark",
    "PruneOptions",
    "archive_info",
    "backup_basename",
    "backup_dir",
    "backup_extension",
    "check_protected_limit",
    "format_prune_backups",
    "list_backups",
    "parse_compression",
    "parse_prune_backups",
    "prune_backups",
    "prune_marks",
    "remove_backup",
    "render_notes_template",
    "set_backup_notes",
    "set_backup_protected",
    "storage_max_protected_backups",
    "storage_prune_options",
    "temp_archive_name",
]

# Restore of vzdump backups (pct restore; libpct acts as Proxmox's root@pam).
from ._pypct import merge_restored_config, read_backup_config, restore

__all__ += ["merge_restored_config", "read_backup_config", "restore"]

# vzdump of one container (pct backup).
from ._pypct import BackupMode, BackupReport, backup

__all__ += ["BackupMode", "BackupReport", "backup"]
