// SPDX-License-Identifier: AGPL-3.0-or-later
#include "../model/keys_impl.hpp"
#include "ct_setup.hpp"
#include "impl.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <random>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pct::runtime {

using detail::make_error;

namespace {

std::string host_arch() {
    utsname u{};
    ::uname(&u);
    std::string_view m = u.machine;
    if (m == "aarch64")
        return "arm64";
    if (m == "i686" || m == "i386")
        return "i386";
    if (m.starts_with("armv7"))
        return "armhf";
    if (m == "riscv64")
        return "riscv64";
    return "amd64";
}

std::string os_release_id(const std::string& rootfs) {
    auto text = detail::read_file_in_root(rootfs, "etc/os-release");
    if (!text)
        text = detail::read_file_in_root(rootfs, "usr/lib/os-release");
    if (!text)
        return {};
    std::size_t pos = 0;
    while (pos < text->size()) {
        auto nl = text->find('\n', pos);
        std::string line =
            text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text->size() : nl + 1;
        if (line.starts_with("ID=")) {
            std::string id = line.substr(3);
            std::erase(id, '"');
            std::erase(id, '\'');
            return id;
        }
    }
    return {};
}

std::string detect_ostype(const std::string& rootfs) {
    auto has = [&](const char* rel) { return detail::read_file_in_root(rootfs, rel).has_value(); };
    std::string id = os_release_id(rootfs);
    if (has("etc/debian_version")) {
        if (id == "ubuntu")
            return "ubuntu";
        if (id == "devuan" || has("etc/devuan_version"))
            return "devuan";
        return "debian";
    }
    if (has("etc/alpine-release"))
        return "alpine";
    if (has("etc/arch-release"))
        return "archlinux";
    if (has("etc/fedora-release"))
        return "fedora";
    if (has("etc/centos-release") || has("etc/redhat-release"))
        return "centos";
    if (has("etc/gentoo-release"))
        return "gentoo";
    if (has("etc/SuSE-release") || id.starts_with("opensuse"))
        return "opensuse";
    if (has("etc/NIXOS"))
        return "nixos";
    return "unmanaged";
}

Result<std::string> compressor_flag(const std::string& file) {
    auto ends = [&](std::string_view s) { return std::string_view(file).ends_with(s); };
    if (ends(".tar.gz") || ends(".tgz"))
        return std::string("-z");
    if (ends(".tar.zst") || ends(".tzst"))
        return std::string("--zstd");
    if (ends(".tar.xz") || ends(".txz"))
        return std::string("-J");
    if (ends(".tar.bz2") || ends(".tbz2"))
        return std::string("-j");
    if (ends(".tar"))
        return std::string();
    return std::unexpected(make_error(Errc::invalid_argument,
                                      fmt::format("unable to detect the compression of '{}' "
                                                  "(expected .tar, .tar.gz, .tar.xz or .tar.zst)",
                                                  file),
                                      file));
}

// Unpacks like Proxmox's create (numeric owners, xattrs, ./dev/* excluded); tar's stderr is the
// error message.
Result<void> unpack(const std::string& archive, const std::string& rootfs, bool ignore_errors) {
    auto flag = compressor_flag(archive);
    if (!flag)
        return std::unexpected(std::move(flag).error());
    std::vector<std::string> args = {"tar", "-x", "-p", "-f", archive};
    if (!flag->empty())
        args.push_back(*flag);
    for (const char* a : {"--one-file-system", "--sparse", "--numeric-owner", "--acls", "--xattrs",
                          "--xattrs-include=user.*", "--xattrs-include=security.capability",
                          "--warning=no-file-ignored", "--warning=no-xattr-write",
                          "--skip-old-files", "--anchored", "--exclude", "./dev/*"})
        args.emplace_back(a);
    args.emplace_back("-C");
    args.push_back(rootfs);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
        return std::unexpected(storage::io_error("pipe for unpacking", archive, errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, "tar", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    if (rc != 0) {
        ::close(err_pipe[0]);
        return std::unexpected(storage::io_error("run tar for", archive, rc));
    }
    std::string errors;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(err_pipe[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            errors.append(buf, static_cast<std::size_t>(n));
    ::close(err_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (code == 0 || (code == 2 && ignore_errors))
        return {};
    while (!errors.empty() && errors.back() == '\n')
        errors.pop_back();
    return std::unexpected(make_error(
        Errc::io,
        fmt::format("unable to unpack '{}' (tar exit code {}): {}", archive, code, errors),
        archive));
}

bool dir_empty(const std::string& path) {
    DIR* d = ::opendir(path.c_str());
    if (!d)
        return true;
    bool empty = true;
    while (dirent* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..") {
            empty = false;
            break;
        }
    }
    ::closedir(d);
    return empty;
}

std::string random_mac() {
    std::random_device rd;
    auto byte = [&] { return rd() & 0xff; };
    return fmt::format("BC:24:11:{:02X}:{:02X}:{:02X}", byte(), byte(), byte());
}

// The storage and size (bytes) of Proxmox's allocation form `STORAGE:SIZE_GiB`; sizes are
// truncated to whole MiB (`size_kib = int(GiB * 1024) * 1024`) as Proxmox's create_disks does.
std::optional<std::pair<std::string, std::uint64_t>> allocation_form(std::string_view volume) {
    if (!storage::is_allocation_form(volume))
        return std::nullopt;
    auto colon = volume.find(':');
    double gib = std::stod(std::string(volume.substr(colon + 1)));
    return std::pair{std::string(volume.substr(0, colon)),
                     static_cast<std::uint64_t>(gib * 1024.0) * 1024 * 1024};
}

// A volume given to create must be what Proxmox can use: the allocation form, a host path,
// or an existing container disk of a storage (`local:abc`, `local:-1` and `local:1e3` are
// none of these and Proxmox refuses them).
Result<void> check_given_volume(std::string_view key, std::string_view volume) {
    if (allocation_form(volume))
        return {};
    auto id = storage::parse_volume_id(volume);
    if (!id)
        return std::unexpected(with_key(std::move(id).error(), key));
    if (id->storage.empty())
        return {};
    if (auto ok = storage::check_dir_image_name(id->name); !ok)
        return std::unexpected(with_key(std::move(ok).error(), key));
    return {};
}

bool is_bare_size(std::string_view text) {
    return storage::is_allocation_form(fmt::format("x:{}", text));
}

// The volumes of `rootfs` and `mpN` (a bare size N means `storage:N`), checked before anything
// is locked, destroyed or allocated.
Result<void> check_volumes(const std::map<std::string, std::string>& options,
                           const std::string& storage_id) {
    for (const auto& [key, value] : options) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp)
            return std::unexpected(with_key(std::move(mp).error(), key));
        std::string volume = is_bare_size(mp->volume) ? storage_id + ":" + mp->volume : mp->volume;
        if (auto ok = check_given_volume(key, volume); !ok)
            return ok;
    }
    return {};
}

} // namespace

Result<Container> create(const storage::Host& host, Vmid vmid, const CreateOptions& options) {
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    for (const auto& [key, value] : options.options) {
        if (!settable_at_create(key) && schema::find(key))
            return std::unexpected(
                with_key(make_error(Errc::invalid_argument,
                                    fmt::format("option '{}' cannot be given to create", key)),
                         key));
        auto problems = validate::value(key, value);
        if (!problems.empty())
            return std::unexpected(with_key(std::move(problems.front()), key));
    }
    if (auto ok = check_volumes(options.options, options.storage); !ok)
        return std::unexpected(std::move(ok).error());
    auto archive = host.template_path(options.ostemplate);
    if (!archive)
        return std::unexpected(std::move(archive).error());
    struct stat st {};
    if (::stat(archive->c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::unexpected(
            make_error(Errc::not_found, fmt::format("can't find file '{}'", *archive), *archive));
    if (auto flag = compressor_flag(*archive); !flag)
        return std::unexpected(std::move(flag).error());

    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    if (host.exists(vmid)) {
        if (!options.force)
            return std::unexpected(make_error(Errc::already_exists,
                                              fmt::format("CT {} already exists", vmid.value),
                                              host.config_path(vmid)));
        auto old = Container::open(host, vmid);
        if (!old)
            return std::unexpected(std::move(old).error());
        if (old->running())
            return std::unexpected(
                make_error(Errc::bad_state,
                           fmt::format("unable to replace CT {}: it is running", vmid.value)));
        lock->release(); // destroy() takes the lock itself
        if (auto ok = old->destroy({}); !ok)
            return std::unexpected(std::move(ok).error());
        auto relock = host.lock(vmid);
        if (!relock)
            return std::unexpected(std::move(relock).error());
        *lock = std::move(*relock);
        if (host.exists(vmid))
            return std::unexpected(
                make_error(Errc::already_exists, fmt::format("CT {} already exists", vmid.value)));
    }

    ContainerConfig config;
    for (const auto& [key, value] : options.options) {
        if (key == "description") // kept as the `#` comment lines of the section, as Proxmox
            config.main.description = value;
        else
            config.main.options[key] = value;
    }
    auto& opts = config.main.options;

    // rootfs: allocate a volume for the allocation form (a bare size N means STORAGE:N), else
    // use the given one.
    std::string rootfs_text = opts.contains("rootfs") ? opts["rootfs"] : options.storage + ":4";
    auto rootfs = parse::rootfs(rootfs_text);
    if (!rootfs)
        return std::unexpected(with_key(std::move(rootfs).error(), "rootfs"));
    if (is_bare_size(rootfs->volume))
        rootfs->volume = options.storage + ":" + rootfs->volume;
    std::string allocated; // volume to free when a later step fails
    if (auto alloc = allocation_form(rootfs->volume)) {
        auto vol = host.allocate_subvol(vmid, alloc->first);
        if (!vol)
            return std::unexpected(with_key(std::move(vol).error(), "rootfs"));
        allocated = *vol;
        rootfs->volume = *vol;
        if (alloc->second > 0)
            rootfs->size = alloc->second;
    }
    std::function<void()> cleanup = [&] {
        if (!allocated.empty())
            (void)host.free_volume(vmid, allocated);
    };
    auto rootdir = host.volume_path(vmid, rootfs->volume);
    if (!rootdir) {
        cleanup();
        return std::unexpected(with_key(std::move(rootdir).error(), "rootfs"));
    }
    if (allocated.empty()) {
        bool existed = ::stat(rootdir->c_str(), &st) == 0;
        if (auto ok = storage::make_dirs(*rootdir); !ok)
            return std::unexpected(std::move(ok).error());
        if (!dir_empty(*rootdir)) {
            if (!options.force)
                return std::unexpected(with_key(
                    make_error(Errc::already_exists,
                               fmt::format("rootfs directory '{}' is not empty", *rootdir)),
                    "rootfs"));
        } else {
            // Given and empty (or new): undo our files on failure, keep the directory if it was
            // the caller's.
            cleanup = [&host, vmid, dir = *rootdir, existed] {
                (void)host;
                (void)vmid;
                std::error_code ec;
                if (!existed) {
                    std::filesystem::remove_all(dir, ec);
                    return;
                }
                for (auto& entry : std::filesystem::directory_iterator(dir, ec))
                    std::filesystem::remove_all(entry.path(), ec);
            };
        }
    }
    auto rendered = render::rootfs(*rootfs);
    if (!rendered) {
        cleanup();
        return std::unexpected(with_key(std::move(rendered).error(), "rootfs"));
    }
    opts["rootfs"] = *rendered;

    // Stable MACs: a netN without hwaddr gets one now, as Proxmox's create does.
    for (auto& [key, value] : opts) {
        if (!pct::detail::is_net_key(key))
            continue;
        auto net = parse::net(value);
        if (!net) {
            cleanup();
            return std::unexpected(with_key(std::move(net).error(), key));
        }
        if (!net->hwaddr)
            net->hwaddr = random_mac();
        if (!net->type)
            net->type = "veth";
        auto text = render::net(*net);
        if (!text) {
            cleanup();
            return std::unexpected(with_key(std::move(text).error(), key));
        }
        value = *text;
    }

    if (auto ok = unpack(*archive, *rootdir, options.ignore_unpack_errors); !ok) {
        cleanup();
        return std::unexpected(std::move(ok).error());
    }
    if (!opts.contains("ostype"))
        opts["ostype"] = detect_ostype(*rootdir);
    if (!opts.contains("arch"))
        opts["arch"] = host_arch();
    if (!opts.contains("hostname"))
        opts["hostname"] = fmt::format("CT{}", vmid.value);
    if (!opts.contains("memory"))
        opts["memory"] = "512";
    if (!opts.contains("swap"))
        opts["swap"] = "512";

    if (auto ok = host.create_config(*lock, config); !ok) {
        cleanup();
        return std::unexpected(std::move(ok).error());
    }
    lock->release();
    return Container::open(host, vmid);
}

} // namespace pct::runtime
