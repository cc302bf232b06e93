// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct set`, `pct pending` and `pct config`: a container's config under --root, through the one
// config document (storage::ConfigDocument): `set` is a read-modify-write under the container's
// lock, so concurrent writers never lose an update. Failures print Proxmox's message and exit 255.
//
// `set` follows Proxmox's pending semantics (runtime/pending.hpp): a stopped container gets
// the change at once, a running one live where it can and in `[pve:pending]` otherwise.
// `pending` prints both, as Proxmox's `pct pending`.
#include "commands.hpp"
#include "output_format.hpp"
#include "usage.hpp"

#include <pct/model/schema.hpp>
#include <pct/model/split_list.hpp>
#include <pct/render/config.hpp>
#include <pct/runtime/pending.hpp>
#include <pct/storage/config_document.hpp>

#include "pct/internal/formats.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <memory>

namespace pct::cli {

namespace {

struct SetArgs {
    std::uint64_t vmid = 0;
    std::vector<std::pair<std::string, std::string>> values; ///< --KEY VALUE
    std::string deletes;                                     ///< --delete K,K
    std::string reverts;                                     ///< --revert K,K
    std::string digest;                                      ///< --digest D
    bool dry_run = false;
    OutputFormat format = OutputFormat::text; ///< of the --dry-run plan
};

// The --dry-run plan as data (no Proxmox API call has one): per key its action, effect, the
// reason when there is one, and the value before and after where they exist.
nlohmann::json api_plan(const std::vector<runtime::KeyChange>& keys) {
    nlohmann::json out = nlohmann::json::array();
    for (const runtime::KeyChange& k : keys) {
        nlohmann::json item = {{"key", k.key},
                               {"action", k.action},
                               {"effect", std::string(runtime::effect_name(k.effect))}};
        if (!k.reason.empty())
            item["reason"] = k.reason;
        if (k.current)
            item["current"] = *k.current;
        if (k.next)
            item["next"] = *k.next;
        out.push_back(std::move(item));
    }
    return out;
}

// `pct set`: runtime::update_config (or its plan with --dry-run, one line per key).
int run_set(const Globals& g, const SetArgs& args) {
    auto vmid = storage::Host::check_vmid(args.vmid);
    if (!vmid)
        return report(vmid.error());
    storage::Host host(g.root);
    runtime::ConfigChange change;
    change.set = args.values;
    change.deletes = split_list(args.deletes);
    change.reverts = split_list(args.reverts);
    if (!args.digest.empty())
        change.digest = args.digest;
    auto done = args.dry_run ? runtime::plan_config_change(host, *vmid, change)
                             : runtime::update_config(host, *vmid, change);
    if (!done)
        return report(done.error());
    for (const std::string& w : done->warnings)
        std::cerr << w << '\n';
    for (const std::string& e : done->errors)
        std::cerr << e << '\n';
    if (args.dry_run && args.format != OutputFormat::text)
        std::cout << render_data(api_plan(done->keys), args.format);
    else if (args.dry_run)
        for (const runtime::KeyChange& k : done->keys) {
            std::cout << k.key << ": " << runtime::effect_name(k.effect);
            if (!k.reason.empty())
                std::cout << " (" << k.reason << ')';
            std::cout << '\n';
        }
    return done->errors.empty() ? 0 : 255;
}

// A config value as Proxmox's API returns it: parse_pct_config's check_type makes integers and
// numbers numeric and booleans 1/0; anything else (and a value that does not parse) a string.
nlohmann::json api_value(const std::string& key, const std::string& value) {
    const schema::KeyInfo* info = schema::find(key);
    if (!info)
        return value;
    const char* end = value.data() + value.size();
    switch (info->type) {
    case schema::Type::integer: {
        long long n = 0;
        auto [rest, ec] = std::from_chars(value.data(), end, n);
        if (ec == std::errc() && rest == end)
            return n;
        break;
    }
    case schema::Type::number: {
        double n = 0;
        auto [rest, ec] = std::from_chars(value.data(), end, n);
        if (ec == std::errc() && rest == end)
            return api_number(n);
        break;
    }
    case schema::Type::boolean:
        if (auto b = parse::detail::parse_boolean(value))
            return *b ? 1 : 0;
        break;
    case schema::Type::string:
        break;
    }
    return value;
}

// GET /nodes/N/lxc/VMID/pending: [{key, value, pending, delete}], each only when set.
nlohmann::json api_pending(const std::vector<runtime::PendingEntry>& entries) {
    nlohmann::json out = nlohmann::json::array();
    for (const runtime::PendingEntry& e : entries) {
        nlohmann::json item = {{"key", e.key}};
        if (e.value)
            item["value"] = api_value(e.key, *e.value);
        if (e.pending)
            item["pending"] = api_value(e.key, *e.pending);
        if (e.delete_mark)
            item["delete"] = e.delete_mark;
        out.push_back(std::move(item));
    }
    return out;
}

// `pct pending`: Proxmox's cur/new/del lines.
int run_pending(const Globals& g, std::uint64_t id, OutputFormat format) {
    auto vmid = storage::Host::check_vmid(id);
    if (!vmid)
        return report(vmid.error());
    auto config = storage::Host(g.root).read_config(*vmid);
    if (!config)
        return report(config.error());
    auto entries = runtime::pending_entries(config->config);
    if (format != OutputFormat::text)
        std::cout << render_data(api_pending(entries), format);
    else
        std::cout << runtime::format_pending(entries);
    return 0;
}

struct ConfigArgs {
    std::uint64_t vmid = 0;
    bool current = false;
    std::string snapshot;
    OutputFormat format = OutputFormat::text;
};

// GET /nodes/N/lxc/VMID/config: key -> value, `description` as text, `lxc` as [[key, value]],
// `digest` the SHA-1 of the whole file.
nlohmann::json api_config(const Section& shown, const std::string& digest) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : shown.options)
        if (key != "lxc" && key != "digest")
            out[key] = api_value(key, value);
    if (!shown.description.empty())
        out["description"] = shown.description;
    if (!shown.lxc.empty()) {
        nlohmann::json lxc = nlohmann::json::array();
        for (const LxcEntry& e : shown.lxc)
            lxc.push_back({e.key, e.value});
        out["lxc"] = std::move(lxc);
    }
    out["digest"] = digest;
    return out;
}

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
    if (args.format != OutputFormat::text) {
        std::cout << render_data(api_config(shown, doc->base_digest()), args.format);
        return 0;
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

// `--KEY VALUE` / `--KEY=VALUE` pairs, KEY a settable key of the schema; a bad one is a usage
// error in Getopt's and PVE::CLIHandler's words (the caller adds the usage line).
Result<std::vector<std::pair<std::string, std::string>>>
settable_options(const std::vector<std::string>& args) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (!arg.starts_with("--"))
            return fail(Errc::invalid_argument, "400 too many arguments");
        std::string key(arg.substr(2));
        std::string value;
        if (auto eq = key.find('='); eq != std::string::npos) {
            value = key.substr(eq + 1);
            key.resize(eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return fail(Errc::invalid_argument,
                        "Option " + key + " requires an argument\n400 unable to parse option");
        }
        const schema::KeyInfo* info = schema::find(key);
        bool known = info && std::ranges::binary_search(schema::key_names(), key);
        if (!known || !info->api_settable) {
            return fail(Errc::invalid_argument,
                        "Unknown option: " + key + "\n400 unable to parse option", {.key = key});
        }
        if (std::ranges::any_of(out, [&](const auto& kv) { return kv.first == key; }))
            return fail(Errc::invalid_argument, "option '--" + key + "' given twice");
        out.emplace_back(std::move(key), std::move(value));
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
    set->add_option("--revert", set_args->reverts, "Revert a pending change");
    set->add_flag("--dry-run", set_args->dry_run,
                  "Print per key whether it applies now, live, pending or not at all; "
                  "write nothing");
    add_output_format(set, set_args->format);
    set->add_option("--digest", set_args->digest,
                    "Refuse the change if the config's SHA1 digest differs (concurrent edit)");
    set->callback([set, set_args, g, rc] {
        auto values = settable_options(set->remaining());
        if (!values) {
            std::cerr << values.error().message << '\n' << usage_line(*set) << '\n';
            *rc = exit_failed;
            return;
        }
        set_args->values = std::move(*values);
        *rc = run_set(*g, *set_args);
    });

    auto pending_vmid = std::make_shared<std::uint64_t>(0);
    auto pending_format = std::make_shared<OutputFormat>(OutputFormat::text);
    auto* pending =
        app.add_subcommand("pending", "Get container configuration, including pending changes");
    pending->add_option("vmid", *pending_vmid, "The (unique) ID of the VM")->required();
    add_output_format(pending, *pending_format);
    pending->callback([pending_vmid, pending_format, g, rc] {
        *rc = run_pending(*g, *pending_vmid, *pending_format);
    });

    auto config_args = std::make_shared<ConfigArgs>();
    auto* config = app.add_subcommand("config", "Get container configuration");
    config->add_option("vmid", config_args->vmid, "The (unique) ID of the VM")->required();
    config->add_flag("--current", config_args->current,
                     "Get current values (instead of pending values)");
    config->add_option("--snapshot", config_args->snapshot,
                       "Fetch config values from given snapshot");
    add_output_format(config, config_args->format);
    config->callback([config_args, g, rc] { *rc = run_config(*g, *config_args); });
}

} // namespace pct::cli
