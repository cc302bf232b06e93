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
    {
        auto c = std::make_shared<Common>();
        auto ostemplate = std::make_shared<std::string>();
        auto storage_id = std::make_shared<std::string>("local");
        auto force = std::make_shared<BoolOpt>();
        auto start = std::make_shared<BoolOpt>();
        auto ignore = std::make_shared<BoolOpt>();
        auto unique = std::make_shared<BoolOpt>();
        auto password = std::make_shared<std::string>();
        auto ssh_keys_file = std::make_shared<std::string>();
        auto pool = std::make_shared<std::string>();
        auto quiet = std::make_shared<bool>(false);
        auto* cmd = app.add_subcommand("create", "Create or restore a container.");
        add_vmid(cmd, *c);
        cmd->add_option("ostemplate", *ostemplate,
                        "The OS template (STORAGE:vztmpl/FILE or a path to a .tar.{gz,xz,zst})")
            ->required();
        cmd->add_option("--storage", *storage_id, "Default Storage.")->default_val("local");
        add_bool(cmd, "--force", *force, "Allow to overwrite existing container.");
        add_bool(cmd, "--start", *start, "Start the CT after its creation finished successfully.");
        add_bool(cmd, "--ignore-unpack-errors", *ignore,
                 "Ignore errors when extracting the template.");
        add_bool(cmd, "--unique", *unique, "Assign a unique random ethernet address.");
        cmd->add_option("--password", *password,
                        "Sets root password inside container (the value; no prompt).");
        cmd->add_option("--ssh-public-keys", *ssh_keys_file,
                        "Setup public SSH keys (one key per line, OpenSSH format): the file.");
        cmd->add_option("--pool", *pool, "Add the VM to the specified pool (not supported).");
        add_quiet_option(cmd, *quiet);
        auto keys = std::make_shared<std::vector<std::string>>();
        auto raw = std::make_shared<std::map<std::string, std::string>>();
        // The ~570 key flags are added only when `create` is parsed (before its arguments are
        // matched, --help included): adding them for every pct command tripled its start-up.
        auto unused = std::make_shared<std::vector<std::string>>();
        cmd->preparse_callback([cmd, keys, raw, unused](std::size_t) {
            *keys = create_keys();
            for (const auto& key : *keys) {
                std::string_view family = family_of(key);
                bool listed = family.empty() || key.substr(family.size()) == "0";
                auto* opt = cmd->add_option("--" + key, (*raw)[key],
                                            listed ? create_flag_help(key, *keys) : std::string());
                if (!listed)
                    opt->group(""); // accepted, not listed: --help shows net0, mp0, dev0
            }
            // Proxmox's API takes unusedN at create and ignores it with a warning.
            for (std::string_view key : schema::key_names())
                if (family_of(key) == "unused") {
                    unused->emplace_back(key);
                    cmd->add_option("--" + std::string(key), (*raw)[std::string(key)])->group("");
                }
        });
        cmd->callback([=] {
            auto vmid = vmid_of(c->vmid);
            if (!vmid) {
                *rc = report(vmid.error());
                return;
            }
            runtime::CreateOptions o;
            o.ostemplate = *ostemplate;
            o.storage = *storage_id;
            o.force = force->value();
            o.ignore_unpack_errors = ignore->value();
            o.unique = unique->value();
            o.pool = *pool;
            o.progress = progress_printer(*quiet);
            if (cmd->count("--password") > 0)
                o.password = *password;
            if (!ssh_keys_file->empty()) {
                auto keys_text = read_ssh_keys(*ssh_keys_file);
                if (!keys_text) {
                    *rc = report(keys_text.error());
                    return;
                }
                o.ssh_public_keys = std::move(*keys_text);
            }
            for (const auto& key : *keys)
                if (cmd->count("--" + key) > 0)
                    o.options[key] = raw->at(key);
            for (const auto& key : *unused)
                if (cmd->count("--" + key) > 0)
                    std::cerr << "ignoring '" << key
                              << "', cannot create/restore with unused volume\n";
            storage::Host host(g->root);
            auto ct = runtime::create(host, *vmid, o);
            if (!ct) {
                *rc = report(ct.error());
                return;
            }
            *rc = start->value() ? finish_start(ct->start()) : 0;
        });
    }
}

} // namespace pct::cli
