// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct create|start|stop|shutdown|reboot|suspend|resume|status|list|exec|enter|console|destroy`:
// real containers on the host under --root, with Proxmox's flags and output. A failed operation
// prints Proxmox's message on stderr and exits 255 (Proxmox's die); `exec`/`enter` exit with
// the command's own status.
#include "bool_option.hpp"
#include "commands.hpp"
#include "output_format.hpp"
#include "progress_line.hpp"

#include <pct/model/schema.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/runtime/restore.hpp>
#include <pct/storage/host.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace pct::cli {

namespace {

Result<Vmid> vmid_of(std::uint64_t id) { return storage::Host::check_vmid(id); }

struct Common {
    std::uint64_t vmid = 0;
};

void add_vmid(CLI::App* cmd, Common& c) {
    cmd->add_option("vmid", c.vmid, "The (unique) ID of the VM")->required();
}

/// Opens the container or prints why not.
std::optional<runtime::Container> open_ct(const Globals& g, std::uint64_t id, int& exit_code) {
    auto vmid = vmid_of(id);
    if (!vmid) {
        exit_code = report(vmid.error());
        return std::nullopt;
    }
    auto ct = runtime::Container::open(storage::Host(g.root), *vmid);
    if (!ct) {
        exit_code = report(ct.error());
        return std::nullopt;
    }
    return std::move(*ct);
}

int finish(const Result<void>& r) { return r ? 0 : report(r.error()); }

// PVE::LXC::vmstatus of one container, as the API returns it: every field numeric but name,
// status and type; lock, tags, pid and template only when set.
nlohmann::json api_status(const runtime::Status& st) {
    nlohmann::json d = {{"vmid", st.vmid.value},     {"status", st.status},
                        {"name", st.name},           {"type", "lxc"},
                        {"cpu", api_number(st.cpu)}, {"cpus", api_number(st.cpus)},
                        {"uptime", st.uptime},       {"mem", st.mem},
                        {"maxmem", st.maxmem},       {"swap", st.swap},
                        {"maxswap", st.maxswap},     {"disk", st.disk},
                        {"maxdisk", st.maxdisk},     {"diskread", st.diskread},
                        {"diskwrite", st.diskwrite}, {"netin", st.netin},
                        {"netout", st.netout}};
    if (!st.lock.empty())
        d["lock"] = st.lock;
    if (!st.tags.empty())
        d["tags"] = st.tags;
    if (st.pid > 0)
        d["pid"] = st.pid;
    if (st.is_template)
        d["template"] = 1;
    return d;
}

// GET /nodes/N/lxc: the vmstatus of every container, ascending by CTID. A container that
// vanishes between the listing and its status keeps the listing's fields.
nlohmann::json api_list(const storage::Host& host, const std::vector<runtime::ListEntry>& entries) {
    nlohmann::json out = nlohmann::json::array();
    for (const runtime::ListEntry& e : entries) {
        auto ct = runtime::Container::open(host, e.vmid);
        auto st = ct ? ct->status() : Result<runtime::Status>(std::unexpected(ct.error()));
        if (st) {
            out.push_back(api_status(*st));
            continue;
        }
        nlohmann::json d = {
            {"vmid", e.vmid.value}, {"status", e.status}, {"name", e.name}, {"type", "lxc"}};
        if (!e.lock.empty())
            d["lock"] = e.lock;
        out.push_back(std::move(d));
    }
    return out;
}

int finish_start(const Result<runtime::StartReport>& r) {
    if (!r)
        return report(r.error());
    for (const auto& w : r->warnings)
        std::cerr << "WARN: " << w << '\n';
    return 0;
}

// Config options `pct create` accepts as --KEY VALUE: the schema's keys by create's own rule
// (`runtime::settable_at_create`), so the flags never drift from the schema.
std::vector<std::string> create_keys() {
    std::vector<std::string> keys;
    for (std::string_view key : schema::key_names())
        if (runtime::settable_at_create(key))
            keys.emplace_back(key);
    return keys;
}

// `net7` -> `net`; "" for a key that is not a family member.
std::string_view family_of(std::string_view key) {
    auto digits = key.find_first_of("0123456789");
    return digits == std::string_view::npos ? std::string_view() : key.substr(0, digits);
}

// The --help line of a create flag: a family is listed once, as its first member.
std::string create_flag_help(std::string_view key, const std::vector<std::string>& keys) {
    if (key == "unprivileged")
        return "Makes the container run as unprivileged user (default 1, as current Proxmox; 0 "
               "for a privileged container).";
    std::string_view family = family_of(key);
    if (family.empty())
        return fmt::format("Config option '{}'", key);
    auto last = std::count_if(keys.begin(), keys.end(),
                              [&](const std::string& k) { return family_of(k) == family; });
    return fmt::format("Config options '{0}0' .. '{0}{1}'", family, last - 1);
}

// `--ssh-public-keys FILE`: Proxmox's CLI reads the file and hands its text to create.
Result<std::string> read_ssh_keys(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) // PVE::Tools::file_get_contents's message
        return fail(Errc::not_found,
                    fmt::format("unable to open file '{}' - {}", path, std::strerror(errno)),
                    {.context = path, .sys_errno = errno});
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `pct create` and `pct restore` (Proxmox's create_vm, with restore=1 for the latter or for
// `pct create --restore 1`): one set of flags, the config keys as --KEY VALUE.
struct CreateArgs {
    Common c;
    std::string ostemplate;
    std::string storage_id = "local";
    BoolOpt force, start, ignore, unique, restore;
    std::string password, ssh_keys_file, pool;
    std::uint64_t bwlimit = 0;
    bool quiet = false;
    std::vector<std::string> keys;
    std::map<std::string, std::string> raw;
    std::vector<std::string> unused;
};

// The restore of `pct restore` / `pct create --restore 1`: the log lines on stdout, as
// Proxmox's task output; "-" reads the archive from stdin.
int run_restore(const Globals& g, Vmid vmid, const CreateArgs& a,
                std::map<std::string, std::string> options) {
    runtime::RestoreOptions o;
    o.archive = a.ostemplate;
    if (o.archive == "-")
        o.input_fd = 0;
    o.storage = a.storage_id;
    o.options = std::move(options);
    o.force = a.force.value();
    o.ignore_unpack_errors = a.ignore.value();
    o.unique = a.unique.value();
    o.start = a.start.value();
    o.bwlimit_kib = a.bwlimit;
    o.progress = progress_printer(a.quiet);
    bool quiet = a.quiet;
    o.log = [quiet](std::string_view line) {
        if (!quiet)
            std::cout << line << '\n' << std::flush;
    };
    if (!a.pool.empty())
        return report(
            error(Errc::unsupported, "pools are not supported by libpct", {.key = "pool"}));
    if (!a.password.empty() || !a.ssh_keys_file.empty())
        return report(
            error(Errc::invalid_argument,
                  "option 'password' and 'ssh-public-keys' are not allowed with restore"));
    storage::Host host(g.root);
    auto ct = runtime::restore(host, vmid, o);
    return ct ? 0 : report(ct.error());
}

void register_create_command(CLI::App& app, const Globals* g, int* rc, bool restore) {
    auto a = std::make_shared<CreateArgs>();
    auto* cmd = restore ? app.add_subcommand("restore", "Create a container from a backup archive.")
                        : app.add_subcommand("create", "Create or restore a container.");
    add_vmid(cmd, a->c);
    cmd->add_option("ostemplate", a->ostemplate,
                    restore ? "The backup archive (STORAGE:backup/FILE, a path, or - for stdin)"
                            : "The OS template (STORAGE:vztmpl/FILE or a path to a "
                              ".tar.{gz,xz,zst}), or with --restore the backup archive")
        ->required();
    cmd->add_option("--storage", a->storage_id, "Default Storage.")->default_val("local");
    add_bool(cmd, "--force", a->force, "Allow to overwrite existing container.");
    add_bool(cmd, "--start", a->start, "Start the CT after its creation finished successfully.");
    add_bool(cmd, "--ignore-unpack-errors", a->ignore,
             "Ignore errors when extracting the template.");
    add_bool(cmd, "--unique", a->unique, "Assign a unique random ethernet address.");
    if (!restore)
        add_bool(cmd, "--restore", a->restore, "Mark this as restore task.");
    cmd->add_option("--bwlimit", a->bwlimit, "Override I/O bandwidth limit (in KiB/s).");
    cmd->add_option("--password", a->password,
                    "Sets root password inside container (the value; no prompt).");
    cmd->add_option("--ssh-public-keys", a->ssh_keys_file,
                    "Setup public SSH keys (one key per line, OpenSSH format): the file.");
    cmd->add_option("--pool", a->pool, "Add the VM to the specified pool (not supported).");
    add_quiet_option(cmd, a->quiet);
    // The ~570 key flags are added only when the command is parsed (before its arguments are
    // matched, --help included): adding them for every pct command tripled its start-up.
    cmd->preparse_callback([cmd, a](std::size_t) {
        a->keys = create_keys();
        for (const auto& key : a->keys) {
            std::string_view family = family_of(key);
            bool listed = family.empty() || key.substr(family.size()) == "0";
            auto* opt = cmd->add_option("--" + key, a->raw[key],
                                        listed ? create_flag_help(key, a->keys) : std::string());
            if (!listed)
                opt->group(""); // accepted, not listed: --help shows net0, mp0, dev0
        }
        // Proxmox's API takes unusedN at create and ignores it with a warning.
        for (std::string_view key : schema::key_names())
            if (family_of(key) == "unused") {
                a->unused.emplace_back(key);
                cmd->add_option("--" + std::string(key), a->raw[std::string(key)])->group("");
            }
    });
    cmd->callback([=] {
        auto vmid = vmid_of(a->c.vmid);
        if (!vmid) {
            *rc = report(vmid.error());
            return;
        }
        std::map<std::string, std::string> options;
        for (const auto& key : a->keys)
            if (cmd->count("--" + key) > 0)
                options[key] = a->raw.at(key);
        for (const auto& key : a->unused)
            if (cmd->count("--" + key) > 0)
                std::cerr << "ignoring '" << key << "', cannot create/restore with unused volume\n";
        if (restore || a->restore.value()) {
            *rc = run_restore(*g, *vmid, *a, std::move(options));
            return;
        }
        runtime::CreateOptions o;
        o.ostemplate = a->ostemplate;
        o.storage = a->storage_id;
        o.force = a->force.value();
        o.ignore_unpack_errors = a->ignore.value();
        o.unique = a->unique.value();
        o.pool = a->pool;
        o.progress = progress_printer(a->quiet);
        o.options = std::move(options);
        if (cmd->count("--password") > 0)
            o.password = a->password;
        if (!a->ssh_keys_file.empty()) {
            auto keys_text = read_ssh_keys(a->ssh_keys_file);
            if (!keys_text) {
                *rc = report(keys_text.error());
                return;
            }
            o.ssh_public_keys = std::move(*keys_text);
        }
        storage::Host host(g->root);
        auto ct = runtime::create(host, *vmid, o);
        if (!ct) {
            *rc = report(ct.error());
            return;
        }
        *rc = a->start.value() ? finish_start(ct->start()) : 0;
    });
}

} // namespace

void register_runtime_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;

    {
        auto c = std::make_shared<Common>();
        auto skiplock = std::make_shared<BoolOpt>();
        auto debug = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand("start", "Start the container.");
        add_vmid(cmd, *c);
        add_bool(cmd, "--skiplock", *skiplock,
                 "Ignore locks - only root is allowed to use this option.");
        add_bool(cmd, "--debug", *debug, "If set, enables very verbose debug log-level on start.");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::StartOptions o;
            o.skiplock = skiplock->value();
            if (debug->value())
                o.log_level = "DEBUG";
            *rc = finish_start(ct->start(o));
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto skiplock = std::make_shared<BoolOpt>();
        auto overrule = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand(
            "stop",
            "Stop the container. This will abruptly stop all processes running in the container.");
        add_vmid(cmd, *c);
        add_bool(cmd, "--skiplock", *skiplock,
                 "Ignore locks - only root is allowed to use this option.");
        add_bool(
            cmd, "--overrule-shutdown", *overrule,
            "Try to abort active 'vzshutdown' tasks before stopping (accepted, no effect here).");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::StopOptions o;
            o.skiplock = skiplock->value();
            *rc = finish(ct->stop(o));
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto timeout = std::make_shared<std::uint32_t>(60);
        auto force = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand(
            "shutdown",
            "Shutdown the container. This will trigger a clean shutdown of the container.");
        add_vmid(cmd, *c);
        cmd->add_option("--timeout", *timeout, "Wait maximal timeout seconds.")->default_val(60);
        add_bool(cmd, "--forceStop", *force, "Make sure the Container stops.");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::ShutdownOptions o;
            o.timeout = std::chrono::seconds(*timeout);
            o.force = force->value();
            *rc = finish(ct->shutdown(o));
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto timeout = std::make_shared<std::uint32_t>(60);
        auto* cmd = app.add_subcommand("reboot", "Reboot the container by shutting it down, and "
                                                 "starting it again. Applies pending changes.");
        add_vmid(cmd, *c);
        cmd->add_option("--timeout", *timeout, "Wait maximal timeout seconds for the shutdown.");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::ShutdownOptions o;
            o.timeout = std::chrono::seconds(*timeout);
            *rc = finish_start(ct->reboot(o));
        });
    }
    for (const char* name : {"suspend", "resume"}) {
        auto c = std::make_shared<Common>();
        bool suspend = std::string_view(name) == "suspend";
        auto* cmd =
            app.add_subcommand(name, suspend ? "Suspend the container (freeze its processes)."
                                             : "Resume the container (thaw its processes).");
        add_vmid(cmd, *c);
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            *rc = finish(suspend ? ct->suspend() : ct->resume());
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto verbose = std::make_shared<BoolOpt>();
        auto format = std::make_shared<OutputFormat>(OutputFormat::text);
        auto* cmd = app.add_subcommand("status", "Show CT status.");
        add_vmid(cmd, *c);
        add_bool(cmd, "--verbose", *verbose, "Verbose output format");
        add_output_format(cmd, *format);
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            auto st = ct->status();
            if (!st) {
                *rc = report(st.error());
                return;
            }
            if (*format != OutputFormat::text) {
                // GET .../status/current: vmstatus plus the HA state (never managed here).
                nlohmann::json d = api_status(*st);
                d["ha"] = {{"managed", 0}};
                std::cout << render_data(d, *format);
            } else if (verbose->value())
                std::cout << st->verbose_text();
            else
                std::cout << "status: " << st->status << '\n';
            *rc = 0;
        });
    }
    {
        auto format = std::make_shared<OutputFormat>(OutputFormat::text);
        auto* cmd = app.add_subcommand("list", "LXC container index (per node).");
        add_output_format(cmd, *format);
        cmd->callback([=] {
            storage::Host host(g->root);
            auto entries = runtime::list(host);
            if (!entries) {
                *rc = report(entries.error());
                return;
            }
            if (*format != OutputFormat::text)
                std::cout << render_data(api_list(host, *entries), *format);
            else
                std::cout << runtime::format_list(*entries);
            *rc = 0;
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto keep_env = std::make_shared<BoolOpt>();
        auto args = std::make_shared<std::vector<std::string>>();
        auto* cmd = app.add_subcommand("exec", "Launch a command inside the specified container.");
        add_vmid(cmd, *c);
        add_bool(cmd, "--keep-env", *keep_env, "Keep the current environment (default 1).", true);
        cmd->add_option("extra-args", *args, "Extra arguments as array (after --)");
        cmd->callback([=] {
            if (args->empty()) {
                std::cerr << "missing command\n";
                *rc = exit_failed;
                return;
            }
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::RunOptions o;
            o.argv = *args;
            o.keep_env = keep_env->value();
            auto r = ct->run(o);
            *rc = r ? *r : report(r.error());
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto keep_env = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand("enter", "Launch a shell for the specified container.");
        add_vmid(cmd, *c);
        add_bool(cmd, "--keep-env", *keep_env, "Keep the current environment (default 1).", true);
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::RunOptions o;
            o.keep_env = keep_env->value();
            auto r = ct->enter(o);
            *rc = r ? *r : report(r.error());
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto escape = std::make_shared<std::string>("^a");
        auto* cmd = app.add_subcommand("console", "Launch a console for the specified container.");
        add_vmid(cmd, *c);
        cmd->add_option("--escape", *escape,
                        "Escape sequence prefix. For example to use <Ctrl+b q> as the escape "
                        "sequence pass '^b'.")
            ->default_val("^a");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::ConsoleOptions o;
            o.escape = *escape;
            auto r = ct->console(o);
            *rc = r ? *r : report(r.error());
        });
    }
    {
        auto c = std::make_shared<Common>();
        auto force = std::make_shared<BoolOpt>();
        auto purge = std::make_shared<BoolOpt>();
        auto unref = std::make_shared<BoolOpt>();
        auto* cmd =
            app.add_subcommand("destroy", "Destroy the container (also delete all uses files).");
        add_vmid(cmd, *c);
        add_bool(cmd, "--force", *force, "Force destroy, even if running.");
        add_bool(cmd, "--purge", *purge,
                 "Remove container from all related configurations (no such configurations here).");
        add_bool(cmd, "--destroy-unreferenced-disks", *unref,
                 "Accepted for compatibility; libpct removes the volumes named in the config.");
        cmd->callback([=] {
            auto ct = open_ct(*g, c->vmid, *rc);
            if (!ct)
                return;
            runtime::DestroyOptions o;
            o.force = force->value();
            o.purge = purge->value();
            *rc = finish(ct->destroy(o));
        });
    }
    register_create_command(app, g, rc, false);
    register_create_command(app, g, rc, true);
}

} // namespace pct::cli
