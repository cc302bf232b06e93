# SPDX-License-Identifier: AGPL-3.0-or-later
"""pypct.Storages: storage.cfg and volumes of a host root in a temporary directory."""
import os
from pathlib import Path

import pytest

import pypct


def make_host(tmp_path: Path, cfg: str) -> pypct.Host:
    (tmp_path / "etc/pve").mkdir(parents=True)
    (tmp_path / "etc/pve/storage.cfg").write_text(cfg)
    return pypct.Host(str(tmp_path))


def test_storages_and_volumes(tmp_path: Path) -> None:
    host = make_host(
        tmp_path,
        "dir: tmpl\n\tpath /srv/tmpl\n\tcontent vztmpl\n\tshared yes\n\n"
        "lvmthin: thin\n\tvgname pve\n",
    )
    st = pypct.Storages(host)
    assert st.ids == ["tmpl", "thin", "local"]
    assert st.type("thin") == "lvmthin"
    assert st.warnings == [
        "file storage.cfg line 4 (section 'tmpl') - unable to parse value of 'shared': "
        "type check ('boolean') failed - got 'yes'"
    ]

    sub = st.alloc_ct_disk("local", 100, 0, os.getuid(), os.getgid())
    assert sub == "local:100/subvol-100-disk-0.subvol"
    assert st.path(sub) == str(tmp_path / "var/lib/vz/images/100/subvol-100-disk-0.subvol")
    assert st.size(sub) == 0
    raw = st.alloc_ct_disk("local", 100, 4096)
    assert raw == "local:100/vm-100-disk-1.raw"
    assert st.size(raw) == 4 << 20
    vols = st.volumes("local", 100)
    assert [v.volid for v in vols] == [sub, raw]
    assert [v.format for v in vols] == ["subvol", "raw"]
    assert vols[1].owner == 100
    assert st.volumes("local", 101) == []
    assert st.has_feature("template", raw)
    assert not st.has_feature("snapshot", raw)
    with pytest.raises(pypct.InvalidArgumentError):
        st.has_feature("fly", raw)
    st.free(raw)
    st.free(sub)
    assert not (tmp_path / "var/lib/vz/images/100").exists()


def test_refusals(tmp_path: Path) -> None:
    host = make_host(tmp_path, "dir: tmpl\n\tpath /srv/tmpl\n\tcontent vztmpl\n\n"
                     "zfspool: tank\n\tpool tank/data\n")
    st = pypct.Storages(host)
    with pytest.raises(pypct.UnsupportedError, match="^content type 'rootdir' is not available "
                       "or configured on storage 'tmpl'$"):
        st.alloc_ct_disk("tmpl", 100, 0)
    with pytest.raises(pypct.UnsupportedError,
                       match="^storage type 'zfspool' is not supported by this build$"):
        st.volumes("tank")
    with pytest.raises(pypct.NotFoundError, match="^storage 'nope' does not exist$"):
        st.volumes("nope")
    with pytest.raises(pypct.InvalidArgumentError,
                       match="^unable to parse volume filename 'vm-100-disk-0'$"):
        st.path("local:100/vm-100-disk-0")
    with pytest.raises(pypct.NotFoundError):
        st.path("local:100/vm-100-disk-3.raw")


def test_volume_info_value() -> None:
    v = pypct.VolumeInfo(volid="local:100/vm-100-disk-0.raw", size=5, owner=100)
    assert v == pypct.VolumeInfo(volid="local:100/vm-100-disk-0.raw", size=5, owner=100)
    assert v.format == "raw"
    with pytest.raises(pypct.InvalidArgumentError):
        pypct.VolumeInfo(volid="x", format="ext4")
