// SPDX-License-Identifier: AGPL-3.0-or-later
// Template extraction at `create`: every compression Proxmox names (plain, gz/tgz, xz, zst,
// bz2) and hostile templates (members with `../`, absolute names, hard links to files outside,
// a symlink and then a write through it), privileged and unprivileged: nothing is written
// outside the rootfs, and a refused template leaves nothing behind.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace pct;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;

namespace {

// The busybox template as a plain tar in `dir`.
std::string plain_template(const test::TempDir& dir) {
    std::string out = dir.sub("busybox.tar");
    auto r = sh(fmt::format("zstd -q -d -c '{}' > '{}'", test::busybox_template(), out));
    if (r.status != 0)
        throw std::runtime_error("cannot unpack the busybox template: " + r.out);
    return out;
}

// A hostile archive: for 1..8 levels of `../`, a member named through them, a symlink to
// them and then a member written through the symlink, a hard link to a file up there; a
// symlink to an absolute host folder and a write through it, an absolute member name, a
// hard link to an absolute host file, and a chain of symlinks. Every file it tries to put
// outside has `marker` in its name.
constexpr const char* hostile_script = R"PY(
import io, sys, tarfile
out, marker, outside_abs = sys.argv[1], sys.argv[2], sys.argv[3]
t = tarfile.open(out, "w", format=tarfile.GNU_FORMAT)
def add(path, kind=tarfile.REGTYPE, link="", data=b"evil\n"):
    i = tarfile.TarInfo(path)
    i.type, i.linkname, i.mode = kind, link, 0o755 if kind == tarfile.DIRTYPE else 0o644
    if kind == tarfile.REGTYPE:
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
    else:
        t.addfile(i)
add("./etc", tarfile.DIRTYPE)
add("./etc/hostname", data=b"inside\n")
for n in range(1, 9):
    up = "../" * n
    add(f"./{up}{marker}-dotdot")
    add(f"{up}{marker}-plain")
    add(f"./up{n}", tarfile.SYMTYPE, up.rstrip("/"))
    add(f"./up{n}/{marker}-via-symlink")
    add(f"./hard{n}", tarfile.LNKTYPE, f"{up}{marker}-target")
    add(f"./hardvia{n}", tarfile.LNKTYPE, f"up{n}/{marker}-target")
add("./abs", tarfile.SYMTYPE, outside_abs)
add(f"./abs/{marker}-via-absolute-symlink")
add(f"{outside_abs}/{marker}-absolute-name")
add("./hardabs", tarfile.LNKTYPE, f"{outside_abs}/{marker}-target")
add("./chain", tarfile.SYMTYPE, "up3")
add(f"./chain/{marker}-via-chain")
t.close()
)PY";

struct stat lstat_of(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + path);
    return st;
}

// Every path under `top` (not following symlinks, not below `skip`) whose name has `marker`.
std::vector<std::string> marked_files(const std::string& top, const std::string& marker,
                                      const std::string& skip) {
    std::vector<std::string> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(top, ec); it != fs::end(it); it.increment(ec)) {
        std::string p = it->path().string();
        if (!skip.empty() && p.starts_with(skip)) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->path().filename().string().find(marker) != std::string::npos &&
            !it->path().filename().string().ends_with("-target"))
            found.push_back(p);
    }
    return found;
}

} // namespace

TEST_CASE("runtime create: templates in every compression Proxmox names") {
    if (test::skip_containers("runtime create extract"))
        return;
    CtHost env;
    test::TempDir tpl("pct-tpl");
    std::string tar = plain_template(tpl);
    Vmid id = test::unique_vmid(84);
    env.guard(id);
    const std::vector<std::pair<std::string, std::string>> formats = {
        {".tar", "cat"},      {".tar.gz", "gzip -c"},   {".tgz", "gzip -c"},
        {".tar.xz", "xz -c"}, {".tar.bz2", "bzip2 -c"}, {".tar.zst", "zstd -q -c"}};
    for (const auto& [suffix, compress] : formats) {
        CAPTURE(suffix);
        std::string archive = tpl.sub("busybox" + suffix + ".d") + "/busybox" + suffix;
        fs::create_directories(fs::path(archive).parent_path());
        auto made = sh(fmt::format("{} < '{}' > '{}'", compress, tar, archive));
        REQUIRE_MESSAGE(made.status == 0, made.out);
        runtime::CreateOptions o;
        o.ostemplate = archive;
        o.options = {{"ostype", "debian"}, {"rootfs", "local:0"}};
        auto ct = runtime::create(env.host(), id, o);
        REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
        auto conf = env.host().read_config(id);
        REQUIRE(conf.has_value());
        auto rootfs = env.host().volume_path(
            id, std::string(conf->config.main.get("rootfs").value_or("").substr(
                    0, conf->config.main.get("rootfs").value_or("").find(','))));
        REQUIRE(rootfs.has_value());
        CHECK(fs::is_regular_file(*rootfs + "/bin/busybox"));
        CHECK(lstat_of(*rootfs + "/bin/busybox").st_uid == 100000);
        REQUIRE(ct->destroy({}).has_value());
        CHECK_FALSE(env.host().exists(id));
    }
    // Proxmox's refusal of a name that is no template archive.
    runtime::CreateOptions o;
    o.ostemplate = tpl.sub("busybox.tar.lzma");
    test::write_text(o.ostemplate, "x");
    auto r = runtime::create(env.host(), id, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().message == "unrecognized compression format: .lzma");
    o.ostemplate = tpl.sub("busybox.zip");
    test::write_text(o.ostemplate, "x");
    r = runtime::create(env.host(), id, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "file does not look like a template archive: " + o.ostemplate);
    CHECK_FALSE(env.host().exists(id));
}

TEST_CASE("runtime create: a hostile template writes nothing outside the rootfs") {
    if (test::skip_containers("runtime create extract"))
        return;
    CtHost env;
    test::TempDir tpl("pct-tpl");
    test::TempDir outside("pct-outside"); // an absolute host folder the template aims at
    std::string marker = fmt::format("pct-evil-{}", ::getpid());
    std::string archive = tpl.sub("hostile.tar");
    auto made = sh(fmt::format("/usr/bin/python3 -c '{}' '{}' '{}' '{}'", hostile_script, archive,
                               marker, outside.path()));
    REQUIRE_MESSAGE(made.status == 0, made.out);
    // Files a hard link could reach: one beside every level above the rootfs, one outside.
    std::vector<std::string> targets = {outside.path() + "/" + marker + "-target"};
    for (fs::path p = env.root(); p != p.root_path(); p = p.parent_path())
        if (p.string().starts_with(env.root()))
            targets.push_back((p / (marker + "-target")).string());
    for (fs::path p = fs::path(env.root() + "/var/lib/vz/images/x/y"); p.string() != env.root();
         p = p.parent_path()) {
        fs::create_directories(p);
        targets.push_back((p / (marker + "-target")).string());
    }
    for (const auto& t : targets)
        test::write_text(t, "canary\n");

    Vmid id = test::unique_vmid(85);
    env.guard(id);
    // Into a subvol (a host folder) and into a raw volume (an ext4 mounted at <ct_dir>/rootfs).
    for (auto [unprivileged, volume] : {std::pair{"0", "local:0"}, std::pair{"1", "local:0"},
                                        std::pair{"0", "local:0.1"}, std::pair{"1", "local:0.1"}}) {
        CAPTURE(unprivileged);
        CAPTURE(volume);
        bool raw = std::string_view(volume) != "local:0";
        runtime::CreateOptions o;
        o.ostemplate = archive;
        o.options = {{"ostype", "unmanaged"}, {"unprivileged", unprivileged}, {"rootfs", volume}};
        // tar refuses the members (exit status 2): create fails and leaves nothing.
        auto refused = runtime::create(env.host(), id, o);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == Errc::io);
        CHECK(refused.error().message.starts_with(
            fmt::format("unable to create CT {} - unable to unpack", id.value)));
        CHECK(refused.error().message.find("Member name contains '..'") != std::string::npos);
        CHECK_FALSE(env.host().exists(id));
        CHECK_FALSE(fs::exists(fmt::format("{}/var/lib/vz/images/{}", env.root(), id.value)));
        // With --ignore-unpack-errors the rest is unpacked, still nothing outside.
        o.ignore_unpack_errors = true;
        auto ct = runtime::create(env.host(), id, o);
        REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
        std::string rootfs =
            fmt::format("{0}/var/lib/vz/images/{1}/subvol-{1}-disk-0.subvol", env.root(), id.value);
        if (!raw)
            CHECK(test::read_text(rootfs + "/etc/hostname") == "inside\n");
        CHECK(marked_files(env.root(), marker, rootfs).empty());
        CHECK(marked_files(outside.path(), marker, "").empty());
        CHECK(marked_files("/tmp", marker, rootfs).empty());
        for (const auto& t : targets) {
            CAPTURE(t);
            CHECK(test::read_text(t) == "canary\n");
            CHECK(lstat_of(t).st_nlink == 1); // never linked into the rootfs
        }
        // What tar left of the links inside: symlinks (never followed by it) or nothing.
        for (const char* name : {"up1", "abs", "chain"})
            if (!raw && fs::exists(fs::symlink_status(rootfs + "/" + name)))
                CHECK(fs::is_symlink(fs::symlink_status(rootfs + "/" + name)));
        REQUIRE(ct->destroy({}).has_value());
        for (const auto& t : targets)
            CHECK(test::read_text(t) == "canary\n"); // destroy does not follow them either
    }
}
