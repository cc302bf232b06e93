// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct set` and `pct config`: a container's config under --root, through the one config
// document (storage::ConfigDocument): `set` is a read-modify-write under the container's lock,
// so concurrent writers never lose an update. Failures print Proxmox's message and exit 255.
//
// `set` writes the main section whether the container runs or not: pending changes (applied at
// the next start, Proxmox's behaviour for a running container) come with the config-lifecycle
// work. Until then a change to a running container takes effect at its next start.
#include "commands.hpp"

#include <pct/model/schema.hpp>
#include <pct/model/split_list.hpp>
#include <pct/render/config.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/storage/config_document.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

namespace pct::cli {

namespace {

struct SetArgs {
    std::uint64_t vmid = 0;
    std::map<std::string, std::string> values; ///< --KEY VALUE, by key
    std::string deletes;                       ///< --delete K,K
    std::string digest;                        ///< --digest D
};

// Proxmox's `update_pct_config` order: deletes first, then the new values, all under the lock.
Result<void> apply(storage::ConfigDocument& doc, const SetArgs& args) {
    if (!args.digest.empty() && doc.base_digest() != args.digest)
        return std::unexpected(storage::digest_mismatch(doc.path()));
    // Proxmox's update_vm refuses any lock, also when `lock` itself is set: a stale lock is
    // removed with `pct unlock`.
    if (auto ok = runtime::check_lock(doc.config(), runtime::LockedOp::set); !ok)
        return ok;
    for (const std::string& key : split_list(args.deletes)) {
        if (args.values.contains(key)) {
            return fail(Errc::invalid_argument,
                        "can't set and delete option '" + key + "' at the same time", {.key = key});
        }
        if (auto ok = doc.remove("", key); !ok && ok.error().code != Errc::not_found)
            return ok;
    }
    for (const auto& [key, value] : args.values)
        if (auto ok = doc.set("", key, value); !ok)
            return ok;
    return {};
}

int run_set(const Globals& g, const SetArgs& args) {
    auto vmid = storage::Host::check_vmid(args.vmid);
    if (!vmid)
        return report(vmid.error());
    storage::Host host(g.root);
    if (args.values.empty() && args.deletes.empty())
        return report(error(Errc::invalid_argument, "no options specified"));
    parse::ConfigOptions options;
    options.vmid = vmid->value;
    auto done = storage::update(
        host.config_path(*vmid), [&](storage::ConfigDocument& doc) { return apply(doc, args); },
        options);
    if (!done) {
        if (done.error().code == Errc::not_found && done.error().key.empty())
            return report(error(Errc::not_found, "Configuration file '" + host.config_path(*vmid) +
                                                     "' does not exist"));
        return report(done.error());
    }
    return 0;
}

struct ConfigArgs {
    std::uint64_t vmid = 0;
    bool current = false;
    std::string snapshot;
};

// Proxmox's `pct config`: the keys sorted, the description encoded, raw lxc keys last. Without
// --current, pending values and deletions are applied (what the container gets next start).
int run_config(const Globals& g, const ConfigArgs& args) {
    auto vmid = storage::Host::check_vmid(args.vmid);
    if (!vmid)
        return report(vmid.error());
    auto doc = storage::ConfigDocument::load(storage::Host(g.root), *vmid);
    if (!doc)
        return report(doc.error());
    Section shown;
    if (!args.snapshot.empty()) {
        auto s = doc->existing_section(args.snapshot);
        if (!s)
            return report(s.error());
        shown = **s;
    } else {
        shown = doc->config().main;
        if (!args.current) {
            const Section& pending = doc->config().pending;
            for (const auto& [key, value] : pending.options)
                if (key != "delete")
                    shown.options[key] = value;
            if (!pending.description.empty())
                shown.description = pending.description;
            for (std::string key : split_list(pending.get("delete").value_or(""))) {
                if (key.starts_with('!'))
                    key.erase(0, 1);
                shown.options.erase(key);
                if (key == "description")
                    shown.description.clear();
            }
        }
    }
    std::map<std::string, std::string> lines(shown.options.begin(), shown.options.end());
    if (!shown.description.empty())
        lines["description"] = render::encode_text(shown.description);
    for (const auto& [key, value] : lines)
        if (key != "digest" && key != "lxc")
            std::cout << key << ": " << value << '\n';
    for (const LxcEntry& e : shown.lxc)
        std::cout << e.key << ": " << e.value << '\n';
    return 0;
}

// `--KEY VALUE` / `--KEY=VALUE` pairs, KEY a settable key of the schema.
Result<std::map<std::string, std::string>> settable_options(const std::vector<std::string>& args) {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (!arg.starts_with("--"))
            return fail(Errc::invalid_argument, "unexpected argument '" + args[i] + "'");
        std::string key(arg.substr(2));
        std::string value;
        if (auto eq = key.find('='); eq != std::string::npos) {
            value = key.substr(eq + 1);
            key.resize(eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return fail(Errc::invalid_argument, "option '--" + key + "' needs a value");
        }
        const schema::KeyInfo* info = schema::find(key);
        bool known = info && std::ranges::binary_search(schema::key_names(), key);
        if (!known || !info->api_settable) {
            return fail(Errc::invalid_argument, "unknown option '--" + key + "'", {.key = key});
        }
        if (!out.emplace(key, value).second)
            return fail(Errc::invalid_argument, "option '--" + key + "' given twice");
    }
    return out;
}

} // namespace

void register_config_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;

    auto set_args = std::make_shared<SetArgs>();
    auto* set = app.add_subcommand("set", "Set container options");
    set->add_option("vmid", set_args->vmid, "The (unique) ID of the VM")->required();
    // `--KEY VALUE` for every settable schema key (net0..net31 and each other family
    // expanded) is read from the extras: 800 registered CLI11 options would cost every `pct`
    // run milliseconds (CLI11 checks each new name against all others).
    set->allow_extras();
    set->fallthrough(false); // unknown --KEYs stay with `set` instead of going up to `pct`
    set->footer("Options: --KEY VALUE for every settable config option (pct.conf keys).\n");
    set->add_option("--delete", set_args->deletes, "A list of settings you want to delete");
    set->add_option("--digest", set_args->digest,
                    "Refuse the change if the config's SHA1 digest differs (concurrent edit)");
    set->callback([set, set_args, g, rc] {
        auto values = settable_options(set->remaining());
        if (!values) {
            *rc = report(values.error());
            return;
        }
        set_args->values = std::move(*values);
        *rc = run_set(*g, *set_args);
    });

    auto config_args = std::make_shared<ConfigArgs>();
    auto* config = app.add_subcommand("config", "Get container configuration");
    config->add_option("vmid", config_args->vmid, "The (unique) ID of the VM")->required();
    config->add_flag("--current", config_args->current,
                     "Get current values (instead of pending values)");
    config->add_option("--snapshot", config_args->snapshot,
                       "Fetch config values from given snapshot");
    config->callback([config_args, g, rc] { *rc = run_config(*g, *config_args); });
}

} // namespace pct::cli
