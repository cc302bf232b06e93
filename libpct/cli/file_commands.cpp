// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct file canon|json|check|set|delete`: offline work on one container config file.
// Exit codes: 0 done / valid, 1 invalid (value, config problems, key not set), 2 the file
// cannot be read or is not a container config.
#include "commands.hpp"
#include "config_file.hpp"

#include <pct/edit.hpp>
#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>
#include <pct/render/json.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/validate.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace pct::cli {

namespace {

struct FileArgs {
    std::string file;
    std::uint32_t vmid = 0;
    std::string key;
    std::string value;
    std::string section;
    bool lossless = false;
};

constexpr int exit_invalid = 1;
constexpr int exit_unreadable = exit_not_a_config;

std::uint32_t vmid_of(const FileArgs& args) {
    return args.vmid ? args.vmid : parse::vmid_from_path(args.file);
}

parse::ConfigOptions options_of(const FileArgs& args, bool strict) {
    parse::ConfigOptions options;
    options.vmid = vmid_of(args);
    options.strict = strict;
    options.file = args.file;
    return options;
}

parse::ParsedConfig parse_lenient(const FileArgs& args, const std::string& text) {
    // Lenient reading never fails.
    return *parse::config(text, options_of(args, false));
}

std::string key_label(const std::string& key, const std::string& subkey) {
    if (key.empty())
        return {};
    return subkey.empty() ? key + ": " : key + "." + subkey + ": ";
}

// One problem on one line: embedded line breaks of multi-line Proxmox messages become "; ".
std::string one_line(std::string_view message) {
    std::string out;
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] == '\n') {
            if (i + 1 < message.size())
                out += "; ";
        } else {
            out += message[i];
        }
    }
    return out;
}

// Where each key of each section is set: one pass over the text, so that `check` finds the
// line of any number of problems in O(log n) each (a scan per problem was quadratic).
class KeyLines {
  public:
    explicit KeyLines(std::string_view text) {
        int number = 0;
        std::string current;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t nl = text.find('\n', pos);
            std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
            ++number;
            parse::ConfigLine info = parse::classify_line(line);
            std::string_view carried = info.key;
            if (info.kind == parse::LineKind::comment || info.kind == parse::LineKind::description)
                carried = "description";
            else if (info.kind == parse::LineKind::lxc && info.key == "lxc.environment.runtime")
                carried = "env";
            if (info.kind == parse::LineKind::pending_header)
                current = "pve:pending";
            else if (info.kind == parse::LineKind::snapshot_header)
                current = std::string(info.key);
            else if (!carried.empty() && carried == "description")
                m_lines.try_emplace(slot(current, carried), number);
            else if (!carried.empty())
                m_lines.insert_or_assign(slot(current, carried), number);
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
        }
    }

    // The line that sets `key` in `section` (the last one, as Proxmox reads it; for the
    // description its first line), 0 if none.
    [[nodiscard]] int line(std::string_view section, std::string_view key) const {
        auto it = m_lines.find(slot(section, key));
        return it == m_lines.end() ? 0 : it->second;
    }

  private:
    // Section names and keys hold no NUL (the reader refuses one): "section\0key" is unique.
    static std::string slot(std::string_view section, std::string_view key) {
        std::string s(section);
        s += '\0';
        s += key;
        return s;
    }
    std::map<std::string, int, std::less<>> m_lines;
};

int run_canon(const FileArgs& args) {
    auto loaded = read_config_file(args.file);
    if (!loaded)
        return exit_unreadable;
    parse::ParsedConfig parsed = parse_lenient(args, loaded->text);
    for (const Diagnostic& d : parsed.warnings)
        std::cerr << d.message << '\n';
    auto text = render::config(parsed.config);
    if (!text) {
        std::cerr << args.file << ": " << text.error().message << '\n';
        return exit_invalid;
    }
    std::cout << *text;
    return 0;
}

int run_json(const FileArgs& args) {
    auto loaded = read_config_file(args.file);
    if (!loaded)
        return exit_unreadable;
    // Peak memory stays within 3x the file's size: the strict reading's model is gone before
    // the lenient one is built, and the text before the JSON is written.
    std::optional<Error> strict_error;
    if (auto strict = parse::config(loaded->text, options_of(args, true)); !strict)
        strict_error = std::move(strict).error();
    parse::ParsedConfig parsed = parse_lenient(args, loaded->text);
    loaded.reset();
    render::json(std::cout, parsed, vmid_of(args), strict_error);
    return 0;
}

int run_check(const FileArgs& args) {
    auto loaded = read_config_file(args.file);
    if (!loaded)
        return exit_unreadable;
    parse::ParsedConfig parsed = parse_lenient(args, loaded->text);
    int problems = 0;
    for (const Diagnostic& d : parsed.warnings) {
        std::cout << args.file << ':' << d.line << ": " << key_label(d.key, d.subkey)
                  << one_line(d.message) << '\n';
        ++problems;
    }
    // A value the reader already reported is not reported twice (a set: a scan of the
    // warnings per problem was quadratic).
    std::set<std::pair<std::string_view, std::string_view>> reported;
    for (const Diagnostic& d : parsed.warnings)
        if (!d.key.empty() &&
            (d.code == DiagCode::invalid_value || d.code == DiagCode::unknown_key))
            reported.emplace(d.section, d.key);
    std::optional<KeyLines> lines;
    for (const Error& e : validate::config(parsed.config)) {
        if (!e.key.empty() && reported.contains({e.context, e.key}))
            continue;
        if (!e.line && !lines)
            lines.emplace(loaded->text);
        int line = e.line ? e.line : lines->line(e.context, e.key);
        std::cout << args.file << ':' << line << ": " << key_label(e.key, e.subkey)
                  << one_line(e.message) << '\n';
        ++problems;
    }
    return problems == 0 ? 0 : exit_invalid;
}

Section& section_of(ContainerConfig& cfg, const std::string& name) {
    if (name.empty())
        return cfg.main;
    if (name == "pve:pending")
        return cfg.pending;
    return cfg.snapshots[name];
}

// `set` on the model, as Proxmox stores an API value (booleans and integers normalized).
void model_set(ContainerConfig& cfg, const FileArgs& args) {
    Section& s = section_of(cfg, args.section);
    const std::string& key = args.key;
    if (key == "description") {
        s.description = args.value;
    } else if (key == "env" || key == "lxc.environment.runtime") {
        s.options["env"] = args.value;
    } else if (key.starts_with("lxc.")) {
        auto last = std::find_if(s.lxc.rbegin(), s.lxc.rend(),
                                 [&](const LxcEntry& e) { return e.key == key; });
        if (last != s.lxc.rend())
            last->value = args.value;
        else
            s.lxc.push_back({key, args.value});
    } else {
        auto normalized = parse::check_type(key, args.value);
        s.options[key] = normalized ? *normalized : args.value;
    }
}

bool model_delete(ContainerConfig& cfg, const FileArgs& args) {
    if (!args.section.empty() && args.section != "pve:pending" &&
        !cfg.snapshots.contains(args.section))
        return false;
    Section& s = section_of(cfg, args.section);
    const std::string& key = args.key;
    if (key == "description") {
        bool had = !s.description.empty();
        s.description.clear();
        return had;
    }
    if (key == "lxc.environment.runtime")
        return s.options.erase("env") > 0;
    if (key.starts_with("lxc.")) {
        auto n = std::erase_if(s.lxc, [&](const LxcEntry& e) { return e.key == key; });
        return n > 0;
    }
    return s.options.erase(key) > 0;
}

// The edited text of `text`, or nullopt after printing why not.
using Edit = std::function<std::optional<std::string>(const std::string& text)>;

// Read-modify-write under the file's lock (storage::update): a concurrent `pct file set`,
// `pct set`, C or pypct writer can never make this one lose its update, or the other way round.
int write_locked(const FileArgs& args, const Edit& make) {
    bool refused = false;
    auto done = storage::update(
        args.file,
        [&](storage::ConfigDocument& doc) -> Result<void> {
            std::optional<std::string> text = make(doc.text());
            if (!text) {
                refused = true;
                return fail(Errc::invalid_argument, "refused");
            }
            return doc.replace(std::move(*text));
        },
        options_of(args, false));
    if (refused)
        return exit_invalid;
    if (!done) {
        std::cerr << args.file << ": " << done.error().message << '\n';
        return exit_unreadable;
    }
    return 0;
}

int run_set(const FileArgs& args) {
    if (!read_config_file(args.file))
        return exit_unreadable;
    edit::Target target{args.section, args.key};
    if (auto ok = edit::check(target); !ok) {
        std::cerr << args.file << ": " << key_label(args.key, {}) << ok.error().message << '\n';
        return exit_invalid;
    }
    // `delete` (pending only, checked above) is a list of keys, not an API option.
    std::vector<Error> problems;
    if (args.key != "delete")
        problems = validate::value(args.key, args.value);
    for (const Error& e : problems)
        std::cerr << args.file << ": " << key_label(e.key.empty() ? args.key : e.key, e.subkey)
                  << one_line(e.message) << '\n';
    if (!problems.empty())
        return exit_invalid;
    return write_locked(args, [&](const std::string& current) -> std::optional<std::string> {
        if (args.lossless) {
            auto edited = edit::set(current, target, args.value);
            if (!edited) {
                std::cerr << args.file << ": " << key_label(args.key, {}) << edited.error().message
                          << '\n';
                return std::nullopt;
            }
            return std::move(*edited);
        }
        parse::ParsedConfig parsed = parse_lenient(args, current);
        for (const Diagnostic& d : parsed.warnings)
            std::cerr << d.message << '\n';
        model_set(parsed.config, args);
        auto rendered = render::config(parsed.config);
        if (!rendered) {
            std::cerr << args.file << ": " << key_label(rendered.error().key, {})
                      << rendered.error().message << '\n';
            return std::nullopt;
        }
        return std::move(*rendered);
    });
}

int run_delete(const FileArgs& args) {
    if (!read_config_file(args.file))
        return exit_unreadable;
    edit::Target target{args.section, args.key};
    if (auto ok = edit::check(target); !ok) {
        std::cerr << args.file << ": " << key_label(args.key, {}) << ok.error().message << '\n';
        return exit_invalid;
    }
    return write_locked(args, [&](const std::string& current) -> std::optional<std::string> {
        if (args.lossless) {
            auto edited = edit::remove(current, target);
            if (!edited) {
                std::cerr << args.file << ": " << edited.error().message << '\n';
                return std::nullopt;
            }
            return std::move(*edited);
        }
        parse::ParsedConfig parsed = parse_lenient(args, current);
        for (const Diagnostic& d : parsed.warnings)
            std::cerr << d.message << '\n';
        if (!model_delete(parsed.config, args)) {
            std::cerr << args.file << ": '" << args.key << "' is not set in "
                      << (args.section.empty() ? std::string("the main section")
                                               : "[" + args.section + "]")
                      << '\n';
            return std::nullopt;
        }
        auto rendered = render::config(parsed.config);
        if (!rendered) {
            std::cerr << args.file << ": " << rendered.error().message << '\n';
            return std::nullopt;
        }
        return std::move(*rendered);
    });
}

CLI::App* file_group(CLI::App& app) {
    auto found = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "file"; });
    if (!found.empty())
        return found.front();
    return app.add_subcommand("file", "Work on container config files offline");
}

void add_vmid(CLI::App* cmd, FileArgs& args) {
    cmd->add_option("--vmid", args.vmid, "CTID named in messages (default: from the file name)")
        ->check(CLI::Range(1u, 999999999u));
}

} // namespace

void register_file_commands(CLI::App& app, const Globals&, int& exit_code) {
    CLI::App* file = file_group(app);
    file->require_subcommand(1);

    auto canon_args = std::make_shared<FileArgs>();
    auto* canon = file->add_subcommand("canon", "Print the canonical form (Proxmox's writer)");
    add_vmid(canon, *canon_args);
    canon->add_option("FILE", canon_args->file, "Container config file")->required();
    canon->callback([canon_args, &exit_code] { exit_code = run_canon(*canon_args); });

    auto json_args = std::make_shared<FileArgs>();
    auto* json =
        file->add_subcommand("json", "Print the parsed config, warnings and errors as JSON");
    add_vmid(json, *json_args);
    json->add_option("FILE", json_args->file, "Container config file")->required();
    json->callback([json_args, &exit_code] { exit_code = run_json(*json_args); });

    auto check_args = std::make_shared<FileArgs>();
    auto* check = file->add_subcommand(
        "check", "List every problem (FILE:LINE: KEY[.SUBKEY]: message); exit 1 if any");
    add_vmid(check, *check_args);
    check->add_option("FILE", check_args->file, "Container config file")->required();
    check->callback([check_args, &exit_code] { exit_code = run_check(*check_args); });

    auto set_args = std::make_shared<FileArgs>();
    auto* set =
        file->add_subcommand("set", "Set one key (validated) and write the file atomically");
    add_vmid(set, *set_args);
    set->add_option("FILE", set_args->file, "Container config file")->required();
    set->add_option("KEY", set_args->key, "Key (option, lxc.* key, description)")->required();
    set->add_option("VALUE", set_args->value, "New value")->required();
    set->add_flag("--lossless", set_args->lossless,
                  "Change only that line; keep every other byte (default: canonical rewrite)");
    set->add_option("--section", set_args->section,
                    "Section: pve:pending or a snapshot name (default: main)");
    set->callback([set_args, &exit_code] { exit_code = run_set(*set_args); });

    auto delete_args = std::make_shared<FileArgs>();
    auto* del = file->add_subcommand("delete", "Remove one key and write the file atomically");
    add_vmid(del, *delete_args);
    del->add_option("FILE", delete_args->file, "Container config file")->required();
    del->add_option("KEY", delete_args->key, "Key")->required();
    del->add_flag("--lossless", delete_args->lossless,
                  "Remove only its lines; keep every other byte (default: canonical rewrite)");
    del->add_option("--section", delete_args->section,
                    "Section: pve:pending or a snapshot name (default: main)");
    del->callback([delete_args, &exit_code] { exit_code = run_delete(*delete_args); });
}

} // namespace pct::cli
