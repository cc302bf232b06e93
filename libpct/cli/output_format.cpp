// SPDX-License-Identifier: AGPL-3.0-or-later
// The three machine formats of PVE::CLIFormatter, written by hand because each copies one Perl
// module's exact layout: JSON::XS canonical (nlohmann's dump with sorted keys matches it),
// JSON::XS pretty (its own indent and `" : "`), CPAN::Meta::YAML (YAML::Tiny's quoting rules;
// libyaml-cpp quotes differently, so it would not print what Proxmox prints).
#include "output_format.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <regex>

namespace pct::cli {

namespace {

using json = nlohmann::json;

// A config value may hold bytes that are not UTF-8: replaced (U+FFFD), never an exception.
std::string dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// JSON::XS pretty: 3 spaces per level, `"key" : value`, empty containers as `[]`/`{}`.
void pretty(const json& v, int level, std::string& out) {
    const std::string inner(static_cast<std::size_t>(level + 1) * 3, ' ');
    const std::string outer(static_cast<std::size_t>(level) * 3, ' ');
    if (v.is_object() && !v.empty()) {
        out += "{\n";
        bool first = true;
        for (const auto& [key, value] : v.items()) { // nlohmann's object is a sorted map
            if (!first)
                out += ",\n";
            first = false;
            out += inner + dump(json(key)) + " : ";
            pretty(value, level + 1, out);
        }
        out += "\n" + outer + "}";
    } else if (v.is_array() && !v.empty()) {
        out += "[\n";
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i)
                out += ",\n";
            out += inner;
            pretty(v[i], level + 1, out);
        }
        out += "\n" + outer + "]";
    } else {
        out += dump(v);
    }
}

// Perl's looks_like_number: decimal, exponent, Inf/Infinity/NaN in any case, surrounding
// whitespace.
bool looks_like_number(const std::string& s) {
    static const std::regex number(R"(\s*[-+]?((\d+\.?\d*|\.\d+)(e[-+]?\d+)?|inf(inity)?|nan)\s*)",
                                   std::regex::icase);
    return std::regex_match(s, number);
}

// YAML::Tiny's @UNPRINTABLE: the escape of each control character 0x00..0x1f.
constexpr std::array<const char*, 32> unprintable = {
    "0",   "x01", "x02", "x03", "x04", "x05", "x06", "a",   "b",   "t",   "n",
    "v",   "f",   "r",   "x0E", "x0F", "x10", "x11", "x12", "x13", "x14", "x15",
    "x16", "x17", "x18", "x19", "x1A", "e",   "x1C", "x1D", "x1E", "x1F"};

// Whether `s[i]` starts a C1 control character (U+0080..U+009F: UTF-8 C2 80..C2 9F), which
// YAML::Tiny escapes as it does the C0 ones.
bool c1_control(const std::string& s, std::size_t i) {
    return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
           static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
           static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}

// YAML::Tiny's _dump_scalar for a string (numbers come as JSON numbers, unquoted).
std::string yaml_string(const std::string& s) {
    if (s.empty())
        return "''";
    if (looks_like_number(s))
        return "'" + s + "'"; // a key, or a value that is a string (not a number): quoted
    bool needs_double = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f || c == '\'' || c1_control(s, i))
            needs_double = true;
    }
    if (needs_double) {
        std::string out = "\"";
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto c = static_cast<unsigned char>(s[i]);
            if (c == '\\')
                out += "\\\\";
            else if (c == '"')
                out += "\\\"";
            else if (c < 0x20)
                out += std::string("\\") + unprintable[c];
            else if (c == 0x7f)
                out += "\\x7F";
            else if (c1_control(s, i)) {
                auto cp = static_cast<unsigned char>(s[++i]);
                out += cp == 0x85 ? std::string("\\N") : fmt::format("\\x{:X}", cp);
            } else
                out += static_cast<char>(c);
        }
        return out + "\"";
    }
    static const std::regex plain_unsafe(R"(^[~!@#%&*|>?:,'"`{}\[\]]|^-+$|\s|:$)");
    static const std::array<std::string_view, 24> reserved = {
        "null", "Null", "NULL", "y",    "Y",     "yes",   "Yes",   "YES", "n",  "N",  "no",  "No",
        "NO",   "true", "True", "TRUE", "false", "False", "FALSE", "on",  "On", "ON", "off", "Off"};
    bool reserved_word = s == "OFF" || std::ranges::find(reserved, s) != reserved.end();
    if (std::regex_search(s, plain_unsafe) || reserved_word)
        return "'" + s + "'";
    return s;
}

std::string yaml_scalar(const json& v) {
    if (v.is_null())
        return "~";
    if (v.is_string())
        return yaml_string(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? "1" : "0"; // Perl's JSON booleans stringify as 1 and 0
    return dump(v);
}

void yaml_hash(const json& v, int level, std::vector<std::string>& lines);

void yaml_array(const json& v, int level, std::vector<std::string>& lines) {
    const std::string indent(static_cast<std::size_t>(level) * 2, ' ');
    for (const json& el : v) {
        if (el.is_array() && !el.empty()) {
            lines.push_back(indent + "-");
            yaml_array(el, level + 1, lines);
        } else if (el.is_array()) {
            lines.push_back(indent + "- []");
        } else if (el.is_object() && !el.empty()) {
            lines.push_back(indent + "-");
            yaml_hash(el, level + 1, lines);
        } else if (el.is_object()) {
            lines.push_back(indent + "- {}");
        } else {
            lines.push_back(indent + "- " + yaml_scalar(el));
        }
    }
}

void yaml_hash(const json& v, int level, std::vector<std::string>& lines) {
    const std::string indent(static_cast<std::size_t>(level) * 2, ' ');
    for (const auto& [key, el] : v.items()) {
        std::string name = indent + yaml_string(key);
        if (el.is_array() && !el.empty()) {
            lines.push_back(name + ":");
            yaml_array(el, level + 1, lines);
        } else if (el.is_array()) {
            lines.push_back(name + ": []");
        } else if (el.is_object() && !el.empty()) {
            lines.push_back(name + ":");
            yaml_hash(el, level + 1, lines);
        } else if (el.is_object()) {
            lines.push_back(name + ": {}");
        } else {
            lines.push_back(name + ": " + yaml_scalar(el));
        }
    }
}

// CPAN::Meta::YAML->new($data)->write_string: one document after `---`.
std::string yaml(const json& v) {
    std::vector<std::string> lines;
    if (v.is_array() && !v.empty()) {
        lines.emplace_back("---");
        yaml_array(v, 0, lines);
    } else if (v.is_array()) {
        lines.emplace_back("--- []");
    } else if (v.is_object() && !v.empty()) {
        lines.emplace_back("---");
        yaml_hash(v, 0, lines);
    } else if (v.is_object()) {
        lines.emplace_back("--- {}");
    } else {
        lines.push_back("--- " + yaml_scalar(v));
    }
    std::string out;
    for (const std::string& l : lines)
        out += l + '\n';
    return out;
}

} // namespace

void add_output_format(CLI::App* cmd, OutputFormat& format) {
    static const std::map<std::string, OutputFormat> names = {
        {"text", OutputFormat::text},
        {"json", OutputFormat::json},
        {"json-pretty", OutputFormat::json_pretty},
        {"yaml", OutputFormat::yaml}};
    // The check runs before the function, so `at` always finds the name; the error of a bad
    // one names the option and the four values.
    cmd->add_option_function<std::string>(
           "--output-format", [&format](const std::string& name) { format = names.at(name); },
           "Output format (text, json, json-pretty, yaml).")
        ->check(CLI::IsMember({"text", "json", "json-pretty", "yaml"}))
        ->default_str("text");
}

std::string render_data(const nlohmann::json& data, OutputFormat format) {
    switch (format) {
    case OutputFormat::json:
        return dump(data) + '\n';
    case OutputFormat::json_pretty: {
        std::string out;
        pretty(data, 0, out);
        return out + '\n';
    }
    case OutputFormat::yaml:
        return yaml(data);
    case OutputFormat::text:
        break;
    }
    return dump(data) + '\n';
}

nlohmann::json api_number(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9e15)
        return static_cast<std::int64_t>(value);
    // Perl prints a number with 15 significant digits ("%.15g"): 0.1 + 0.2 is 0.3 there.
    double rounded = value;
    std::string digits = fmt::format("{:.15g}", value);
    std::from_chars(digits.data(), digits.data() + digits.size(), rounded);
    return rounded;
}

} // namespace pct::cli
