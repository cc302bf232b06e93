// SPDX-License-Identifier: AGPL-3.0-or-later
// The conformance-corpus JSON shape of a parsed config (see render/json.hpp).
#include <pct/render/config.hpp>
#include <pct/render/json.hpp>

#include <nlohmann/json.hpp>

namespace pct::render {

namespace {

using Json = nlohmann::json;

Json section_json(const Section& s) {
    Json out = Json::object();
    for (const auto& [key, value] : s.options)
        out[key] = value;
    if (!s.description.empty())
        out["description"] = s.description;
    if (!s.lxc.empty()) {
        Json list = Json::array();
        for (const LxcEntry& e : s.lxc)
            list.push_back(Json::array({e.key, e.value}));
        out["lxc"] = std::move(list);
    }
    return out;
}

} // namespace

std::string json(const parse::ParsedConfig& parsed, std::uint32_t vmid,
                 const std::optional<Error>& strict_error) {
    const ContainerConfig& cfg = parsed.config;
    Json conf = section_json(cfg.main);
    // A `digest:` line of the main section replaces the computed digest in Proxmox's hash.
    if (!conf.contains("digest"))
        conf["digest"] = parsed.digest.str();
    conf["pending"] = section_json(cfg.pending);
    Json snapshots = Json::object();
    for (const auto& [name, snap] : cfg.snapshots)
        snapshots[name] = section_json(snap);
    conf["snapshots"] = std::move(snapshots);

    Json out = Json::object();
    out["conf"] = std::move(conf);
    out["vmid"] = std::to_string(vmid);
    Json warnings = Json::array();
    for (const Diagnostic& d : parsed.warnings)
        warnings.push_back(d.message + "\n");
    out["warnings"] = std::move(warnings);
    out["strict_error"] = strict_error ? Json(strict_error->message + "\n") : Json(nullptr);

    auto canon = config(cfg);
    if (!canon) {
        out["error"] = canon.error().message + "\n";
        out["canon_is_fixpoint"] = nullptr;
    } else {
        out["error"] = nullptr;
        parse::ConfigOptions options;
        options.vmid = vmid;
        auto again = parse::config(*canon, options);
        bool fixpoint = false;
        if (again) {
            auto canon2 = config(again->config);
            fixpoint = canon2 && *canon2 == *canon;
        }
        out["canon_is_fixpoint"] = fixpoint ? "true" : "false";
    }
    return out.dump(3, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace pct::render
