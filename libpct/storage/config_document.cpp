// SPDX-License-Identifier: AGPL-3.0-or-later
// The config document: text + parse kept equal through lossless edits (pct::edit), and the
// locked, digest-checked write that every editing path of libpct shares.
#include <pct/edit.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/config_document.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sys/stat.h>

namespace pct::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view host_config_dir = "/etc/pve/lxc/";
constexpr std::string_view host_nodes_dir = "/etc/pve/nodes/";

// The one spelling of the file `path`: its directory resolved by realpath(3) (symlinks, `.`,
// `..`, `//`, a relative path), then its name. The name itself is not resolved: the atomic
// write replaces a symlink there, it does not follow it. A directory that does not resolve
// (missing) is normalised lexically: no file can be written there anyway.
std::string canonical_path(const std::string& path) {
    fs::path given(path);
    fs::path name = given.filename();
    if (name.empty() || name == "." || name == "..")
        return path; // a directory, never a config file: nothing to lock or write
    fs::path dir = given.parent_path();
    std::unique_ptr<char, decltype(&std::free)> real(
        ::realpath(dir.empty() ? "." : dir.c_str(), nullptr), &std::free);
    if (real)
        return (fs::path(real.get()) / name).string();
    std::error_code ec;
    fs::path absolute = fs::absolute(given, ec);
    return (ec ? given : absolute).lexically_normal().string();
}

// Whether two paths name one file (the same lock, however either is spelled).
bool same_file(const std::string& a, const std::string& b) {
    struct stat sa {};
    struct stat sb {};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

// The host root R of a canonical path `R/etc/pve/lxc/NAME`, or `R/etc/pve/nodes/NODE/lxc/NAME`
// (where a Proxmox host's /etc/pve/lxc links to), with the offset of NAME.
std::optional<std::pair<std::string, std::size_t>> host_root_of(const std::string& path) {
    std::size_t name = path.rfind('/') + 1;
    std::string_view dir = std::string_view(path).substr(0, name);
    if (dir.ends_with(host_config_dir))
        return std::pair{path.substr(0, name - host_config_dir.size()), name};
    // `R/etc/pve/nodes/NODE/lxc/`: NODE is one path component.
    constexpr std::string_view lxc = "/lxc/";
    if (!dir.ends_with(lxc))
        return std::nullopt;
    std::string_view nodes = dir.substr(0, dir.size() - lxc.size());
    std::size_t node = nodes.rfind('/');
    if (node == std::string_view::npos || node + 1 == nodes.size())
        return std::nullopt;
    nodes = nodes.substr(0, node + 1);
    if (!nodes.ends_with(host_nodes_dir))
        return std::nullopt;
    return std::pair{path.substr(0, nodes.size() - host_nodes_dir.size()), name};
}

// `R/etc/pve/lxc/<CTID>.conf` (after canonical_path) -> {R, CTID}; nullopt for any other.
std::optional<std::pair<std::string, Vmid>> host_layout_of(const std::string& path) {
    auto root = host_root_of(path);
    if (!root)
        return std::nullopt;
    std::string_view name = std::string_view(path).substr(root->second);
    if (!name.ends_with(".conf") || name.size() == 5)
        return std::nullopt;
    std::string_view digits = name.substr(0, name.size() - 5);
    std::uint64_t id = 0;
    for (char c : digits) {
        if (c < '0' || c > '9' || id > 999999999)
            return std::nullopt;
        id = id * 10 + static_cast<std::uint64_t>(c - '0');
    }
    auto vmid = Host::check_vmid(id);
    if (!vmid || digits.front() == '0')
        return std::nullopt;
    std::string& host_root = root->first;
    return std::pair{host_root.empty() ? std::string("/") : host_root, *vmid};
}

// The write, for a caller holding the lock of `path` (checked by the callers).
Result<std::string> write_held(const std::string& path, std::string_view text,
                               const std::optional<std::string>& expected) {
    struct stat st {};
    bool exists = ::stat(path.c_str(), &st) == 0;
    if (expected) {
        if (!exists)
            return std::unexpected(digest_mismatch(path));
        auto current = read_file(path);
        if (!current)
            return std::unexpected(std::move(current).error());
        if (parse::sha1_hex(*current) != *expected)
            return std::unexpected(digest_mismatch(path));
    }
    mode_t mode = exists ? (st.st_mode & 07777) : 0640;
    if (auto ok = write_file_atomic(path, text, mode); !ok)
        return std::unexpected(std::move(ok).error());
    return parse::sha1_hex(text);
}

Result<void> check_lock(const std::string& lock_path, bool held, const std::string& path) {
    if (held && same_file(lock_path, config_lock_path(path)))
        return {};
    return fail(Errc::invalid_argument,
                fmt::format("lock '{}' does not guard config file '{}'", lock_path, path));
}

} // namespace

Error digest_mismatch(const std::string& path) {
    return error(Errc::digest_mismatch,
                 "detected modified configuration - file changed by other user? Try again.",
                 {.context = path, .key = "digest"});
}

Result<void> check_unlocked(const ContainerConfig& config, bool allow_mounted) {
    auto lock = config.main.get("lock");
    if (!lock || (allow_mounted && *lock == "mounted"))
        return {};
    return fail(Errc::bad_state, fmt::format("CT is locked ({})", *lock), {.key = "lock"});
}

std::string config_lock_path(const std::string& path) {
    std::string canonical = canonical_path(path);
    if (auto host = host_layout_of(canonical))
        return Host(host->first).lock_path(host->second);
    std::size_t slash = canonical.rfind('/');
    if (slash == std::string::npos)
        return "." + canonical + ".lock";
    return canonical.substr(0, slash + 1) + "." + canonical.substr(slash + 1) + ".lock";
}

Result<FileLock> lock_config_file(const std::string& path, std::chrono::milliseconds timeout) {
    std::string lock_path = config_lock_path(path);
    auto lock = FileLock::acquire(lock_path, timeout);
    // A host's lock folder is made on first use only: it lives in /run, which a reboot empties.
    if (!lock && lock.error().sys_errno == ENOENT && host_layout_of(canonical_path(path))) {
        if (auto ok = make_dirs(lock_path.substr(0, lock_path.rfind('/'))); !ok)
            return std::unexpected(std::move(ok).error());
        lock = FileLock::acquire(lock_path, timeout);
    }
    return lock;
}

Result<std::string> write_config_text(const FileLock& lock, const std::string& path,
                                      std::string_view text,
                                      const std::optional<std::string>& expected_digest) {
    if (auto ok = check_lock(lock.path(), lock.held(), path); !ok)
        return std::unexpected(std::move(ok).error());
    return write_held(path, text, expected_digest);
}

Result<std::string> write_config_text(const std::string& path, std::string_view text,
                                      const std::optional<std::string>& expected_digest,
                                      std::chrono::milliseconds timeout) {
    auto lock = lock_config_file(path, timeout);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    return write_held(path, text, expected_digest);
}

ConfigDocument::ConfigDocument() {
    m_options.vmid = 100;
    m_parsed = *parse::config({}, m_options);
    m_base = m_parsed.digest.str();
}

ConfigDocument::ConfigDocument(const ConfigDocument& other)
    : m_text(other.m_text), m_parsed(other.m_parsed), m_options(other.m_options),
      m_path(other.m_path), m_base(other.m_base) {
    std::lock_guard lock(other.m_written_mutex);
    m_written = other.m_written;
}

ConfigDocument::ConfigDocument(ConfigDocument&& other) noexcept
    : m_text(std::move(other.m_text)), m_parsed(std::move(other.m_parsed)),
      m_options(std::move(other.m_options)), m_path(std::move(other.m_path)),
      m_base(std::move(other.m_base)), m_written(std::move(other.m_written)) {}

ConfigDocument& ConfigDocument::operator=(ConfigDocument other) noexcept {
    m_text = std::move(other.m_text);
    m_parsed = std::move(other.m_parsed);
    m_options = std::move(other.m_options);
    m_path = std::move(other.m_path);
    m_base = std::move(other.m_base);
    m_written = std::move(other.m_written);
    return *this;
}

std::string ConfigDocument::base_digest() const {
    std::lock_guard lock(m_written_mutex);
    if (m_path.empty())
        return m_base;
    auto it = m_written.find(canonical_path(m_path));
    return it != m_written.end() ? it->second : m_base;
}

void ConfigDocument::set_base_digest(std::string digest) {
    std::lock_guard lock(m_written_mutex);
    if (!m_path.empty())
        m_written.erase(canonical_path(m_path));
    m_base = std::move(digest);
}

Result<ConfigDocument> ConfigDocument::parse(std::string text, parse::ConfigOptions options) {
    auto parsed = parse::config(text, options);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    ConfigDocument doc;
    doc.m_options = std::move(options);
    doc.m_parsed = std::move(*parsed);
    doc.m_base = doc.m_parsed.digest.str();
    doc.m_text = std::move(text);
    doc.m_path = doc.m_options.file;
    return doc;
}

Result<ConfigDocument> ConfigDocument::load(const std::string& path, parse::ConfigOptions options) {
    auto text = read_file(path);
    if (!text)
        return std::unexpected(std::move(text).error());
    if (options.vmid == 0)
        options.vmid = parse::vmid_from_path(path);
    options.file = path;
    auto doc = parse(std::move(*text), std::move(options));
    if (!doc) {
        Error e = std::move(doc).error();
        if (e.context.empty())
            e.context = path;
        return std::unexpected(std::move(e));
    }
    doc->m_path = path;
    return doc;
}

Result<ConfigDocument> ConfigDocument::load(const Host& host, Vmid vmid) {
    std::string path = host.config_path(vmid);
    parse::ConfigOptions options;
    options.vmid = vmid.value;
    auto doc = load(path, std::move(options));
    if (!doc && doc.error().code == Errc::not_found) {
        return fail(Errc::not_found, fmt::format("Configuration file '{}' does not exist", path),
                    {.context = path});
    }
    return doc;
}

const Section* ConfigDocument::section(std::string_view name) const noexcept {
    const ContainerConfig& c = m_parsed.config;
    if (name.empty())
        return &c.main;
    if (name == "pve:pending")
        return &c.pending;
    auto it = c.snapshots.find(name);
    return it == c.snapshots.end() ? nullptr : &it->second;
}

Result<const Section*> ConfigDocument::existing_section(std::string_view name) const {
    if (const Section* s = section(name))
        return s;
    return fail(Errc::not_found, fmt::format("snapshot '{}' does not exist", name));
}

Result<void> ConfigDocument::adopt(std::string text) {
    auto parsed = parse::config(text, m_options);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    m_parsed = std::move(*parsed);
    m_text = std::move(text);
    return {};
}

Result<void> ConfigDocument::adopt(Result<std::string> edited) {
    if (!edited)
        return std::unexpected(std::move(edited).error());
    return adopt(std::move(*edited));
}

Result<void> ConfigDocument::set(std::string_view section_name, std::string_view key,
                                 std::string_view value) {
    edit::Target target{std::string(section_name), std::string(key)};
    if (key == "description" && value.empty()) {
        // Clearing an absent description is no error (the C ABI's and pypct's contract).
        const Section* s = section(section_name);
        if (auto ok = edit::check(target); !ok)
            return ok;
        if (!s || s->description.empty())
            return {};
        return adopt(edit::remove(m_text, target));
    }
    auto stored = edit::checked_value(section_name, key, value);
    if (!stored)
        return std::unexpected(std::move(stored).error());
    return adopt(edit::set(m_text, target, *stored));
}

Result<void> ConfigDocument::remove(std::string_view section_name, std::string_view key) {
    if (auto s = existing_section(section_name); !s)
        return std::unexpected(std::move(s).error());
    return adopt(edit::remove(m_text, edit::Target{std::string(section_name), std::string(key)}));
}

Result<void> ConfigDocument::lxc_append(std::string_view section_name, std::string_view key,
                                        std::string_view value) {
    return adopt(edit::lxc_append(m_text, section_name, key, value));
}

Result<void> ConfigDocument::lxc_remove(std::string_view section_name, std::size_t index) {
    if (auto s = existing_section(section_name); !s)
        return std::unexpected(std::move(s).error());
    return adopt(edit::lxc_remove(m_text, section_name, index));
}

Result<void> ConfigDocument::pending_delete_add(std::string_view key, bool force) {
    return adopt(edit::pending_delete_add(m_text, key, force));
}

Result<void> ConfigDocument::pending_delete_remove(std::string_view key) {
    return adopt(edit::pending_delete_remove(m_text, key));
}

Result<void> ConfigDocument::commit(std::chrono::milliseconds timeout) {
    if (m_path.empty())
        return fail(Errc::invalid_argument, "the config document has no file to commit to");
    return save(m_path, m_text, timeout);
}

Result<void> ConfigDocument::commit(const FileLock& lock) {
    if (auto ok = check_lock(lock.path(), lock.held(), m_path); !ok)
        return ok;
    return save_held(m_path, m_text);
}

Result<void> ConfigDocument::commit(const ConfigLock& lock) {
    if (auto ok = check_lock(lock.path(), lock.held(), m_path); !ok)
        return ok;
    return save_held(m_path, m_text);
}

Result<void> ConfigDocument::save(const std::string& path, std::string_view text,
                                  std::chrono::milliseconds timeout) const {
    auto lock = lock_config_file(path, timeout);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    return save_held(path, text);
}

Result<void> ConfigDocument::save_held(const std::string& path, std::string_view text) const {
    if (path.empty())
        return fail(Errc::invalid_argument, "the config document has no file to commit to");
    // Held across the write: two threads saving one document serialise here as well.
    std::lock_guard lock(m_written_mutex);
    // Files are told apart by their one spelling: a save to `./100.conf` is a save to the
    // document's `/etc/pve/lxc/100.conf` and checks its digest.
    std::string canonical = canonical_path(path);
    std::optional<std::string> expected;
    if (auto it = m_written.find(canonical); it != m_written.end())
        expected = it->second;
    else if (!m_path.empty() && canonical == canonical_path(m_path))
        expected = m_base;
    auto digest = write_held(path, text, expected);
    if (!digest)
        return std::unexpected(std::move(digest).error());
    m_written[canonical] = std::move(*digest);
    return {};
}

Result<ConfigDocument> update(const std::string& path, const DocumentEdit& edit,
                              parse::ConfigOptions options, std::chrono::milliseconds timeout) {
    auto lock = lock_config_file(path, timeout);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto doc = ConfigDocument::load(path, std::move(options));
    if (!doc)
        return std::unexpected(std::move(doc).error());
    if (auto ok = edit(*doc); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = doc->commit(*lock); !ok)
        return std::unexpected(std::move(ok).error());
    return doc;
}

} // namespace pct::storage
