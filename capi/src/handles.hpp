// SPDX-License-Identifier: AGPL-3.0-or-later
// The C handle types: plain C++ structs behind the opaque C names. Borrowed strings handed out
// by accessors point into the handle's value or live in its `BorrowedStrings`, and die with
// its next modification.
#pragma once

#include <pct/lxcconf.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>
#include <pct/parse/config.hpp>
#include <pct/pct.h>
#include <pct/runtime/container.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/host.hpp>

#include <map>
#include <mutex>
#include <optional>
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

namespace pct::capi {

/// The texts const getters hand out as borrowed `const char*` when the handle holds no such
/// string (a formatted integer, a parsed volume). The C contract lets const functions run
/// concurrently on one handle, so the store has its own mutex; and an entry, once made, is
/// never replaced until the handle is modified (`clear`): a second `_get` of the same sub-key
/// returns the same pointer, so the first caller's pointer stays valid.
class BorrowedStrings {
  public:
    BorrowedStrings() = default;
    /// A copy starts empty: the copy's strings are its own.
    BorrowedStrings(const BorrowedStrings&) {}
    BorrowedStrings& operator=(const BorrowedStrings&) {
        clear();
        return *this;
    }
    ~BorrowedStrings() = default;

    /// The stored text of `slot`, made from `value` on first use (`value` is what the handle
    /// holds now, so an existing entry has the same text).
    [[nodiscard]] const char* keep(std::string_view slot, std::string value) const {
        std::lock_guard lock(m_mutex);
        auto it = m_items.find(slot);
        if (it == m_items.end())
            it = m_items.emplace(std::string(slot), std::move(value)).first;
        return it->second.c_str();
    }
    /// Called by the modifying functions (which the contract gives exclusive access).
    void clear() {
        std::lock_guard lock(m_mutex);
        m_items.clear();
    }

  private:
    mutable std::mutex m_mutex;
    mutable std::map<std::string, std::string, std::less<>> m_items; ///< node-based: stable
};

} // namespace pct::capi

/// A config file: a `ConfigDocument` (text + parse, lossless edits, locked digest-checked
/// commits) and what the C functions need beside it.
struct pct_config {
    pct::storage::ConfigDocument doc;
    std::string digest;                    ///< pct_config_digest(): of the bytes as first parsed
    pct::capi::BorrowedStrings m_borrowed; ///< typed getters
};

/// A property-string value with the texts of `_get` results.
template <class T> struct PropHandle {
    T value;
    bool rootfs = false; ///< mount points only: came from / prints as `rootfs`
    pct::capi::BorrowedStrings m_borrowed;
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
