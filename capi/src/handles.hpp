// SPDX-License-Identifier: AGPL-3.0-or-later
// The C handle types: plain C++ structs behind the opaque C names. Borrowed strings handed out
// by accessors live in the handle (`m_borrowed`) and die with its next modification.
#pragma once

#include <pct/lxcconf.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>
#include <pct/parse/config.hpp>
#include <pct/pct.h>
#include <pct/runtime/container.hpp>
#include <pct/storage/host.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

struct pct_string_list {
    std::vector<std::string> items;
};

struct pct_diag {
    int code = 0;
    std::string message;
    std::string key;
    std::string subkey;
    std::string section;
    std::string file;
    int line = 0;
    int column = 0;
};

struct pct_diag_list {
    std::vector<pct_diag> items;
};

/// A config file: `text` is the source of truth; `parsed` is always `parse::config(text)`.
struct pct_config {
    std::string text;
    pct::parse::ConfigOptions options;
    pct::parse::ParsedConfig parsed;
    std::string digest; ///< of the bytes as first parsed
    mutable std::map<std::string, std::string, std::less<>> m_borrowed; ///< typed getters
};

/// A property-string value with a cache for the text of `_get` results.
template <class T> struct PropHandle {
    T value;
    bool rootfs = false; ///< mount points only: came from / prints as `rootfs`
    mutable std::map<std::string, std::string, std::less<>> m_borrowed;
};

struct pct_net : PropHandle<pct::NetInterface> {};
struct pct_mount_point : PropHandle<pct::MountPoint> {};
struct pct_device : PropHandle<pct::Device> {};
struct pct_features : PropHandle<pct::Features> {};
struct pct_startup : PropHandle<pct::StartupOrder> {};

struct pct_lxc_result {
    pct::lxcconf::Generated generated;
};

struct pct_host {
    pct::storage::Host host;
};

/// Calls on one handle are serialised (the C contract says one thread at a time; the lock
/// turns a violation into waiting instead of a data race inside liblxc).
struct pct_container {
    pct::runtime::Container ct;
    mutable std::mutex m_mutex;
};

struct pct_exec_result {
    pct::runtime::ExecResult result;
};
