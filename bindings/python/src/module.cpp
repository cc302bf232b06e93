// SPDX-License-Identifier: AGPL-3.0-or-later
// pypct._pypct: the native module; `import pypct` re-exports it (pypct/__init__.py).
#include "value.hpp"

PYBIND11_MODULE(_pypct, m) {
    m.doc() = "libpct bindings: Proxmox VE container configs and LXC containers";
    m.attr("__version__") = PCT_PROJECT_VERSION;
    pypct::bind_errors(m);
    pypct::bind_properties(m);
    pypct::bind_settings(m);
    pypct::bind_config(m);
    pypct::bind_lxc(m);
    pypct::bind_runtime(m);
    pypct::bind_storage(m);
    pypct::bind_backups(m);
    pypct::bind_backup(m);
    pypct::bind_volumes(m);
    pypct::bind_locks(m);
    pypct::bind_clone(m);
    pypct::bind_snapshots(m);
    pypct::bind_pending(m);
    pypct::bind_progress(m);
    pypct::bind_cluster(m);
    pypct::apply_docstrings(m);
}
