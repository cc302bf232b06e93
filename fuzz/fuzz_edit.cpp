// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzzes the lossless editor (pct::edit::set / remove / lxc_append / lxc_remove) on any text.
// Beyond "no crash, no sanitizer report", every accepted edit must
//  1. keep every other byte: the lines that do not carry the key in the edited section appear
//     in the result unchanged and in order (a last line without a line break may gain a bare
//     LF, never a CR: a comment's CR would become description text);
//  2. read back as the intended model: the parse of the result equals the parse of the
//     original with that one change applied. What the reader makes of the new value is taken
//     from the reader itself, on a one-line text (`yes` -> `1`, a rejected lxc key -> nothing),
//     so the oracle does not restate the value rules. `description` and `env` (encoded
//     blocks, `lxc.environment.runtime` feeds `env`) are checked for everything else staying
//     equal.
// Input: 1 byte operation, 1 byte section choice, then key, value and text separated by NUL
// (see the seeds in fuzz/corpus/edit).
#include <pct/edit.hpp>
#include <pct/parse/config.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A broken property: say which one before aborting (libFuzzer keeps the input).
[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "fuzz_edit: %s\n", what);
    std::abort();
}

using pct::ContainerConfig;

// The model of a text the editor wrote. The input text is known to parse (checked first), and
// an accepted edit must keep it so: a text that stops parsing is a broken edit.
ContainerConfig model_of(const std::string& text) {
    auto parsed = pct::parse::config(text);
    if (!parsed)
        broken("an accepted edit made a text that does not parse");
    return std::move(parsed->config);
}
using pct::Section;
using pct::parse::ConfigLine;
using pct::parse::LineKind;

struct Input {
    unsigned op = 0;
    std::string section;
    std::string key;
    std::string value;
    std::string text;
};

std::string_view take(std::string_view& rest) {
    std::size_t nul = rest.find('\0');
    std::string_view out = rest.substr(0, nul);
    rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    return out;
}

Section* section_of(ContainerConfig& c, const std::string& name, bool create) {
    if (name.empty())
        return &c.main;
    if (name == "pve:pending")
        return &c.pending;
    auto it = c.snapshots.find(name);
    if (it != c.snapshots.end())
        return &it->second;
    return create ? &c.snapshots[name] : nullptr;
}

// Which lines carry `key` in the last occurrence of `section`, by the reader's classifier.
std::vector<bool> carriers(const std::vector<std::string_view>& lines, const std::string& section,
                           const std::string& key) {
    std::vector<int> occurrence(lines.size(), -1);
    int current = section.empty() ? 0 : -1, last = current;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        ConfigLine info = pct::parse::classify_line(lines[i]);
        if (info.kind == LineKind::pending_header || info.kind == LineKind::snapshot_header) {
            bool match = section == "pve:pending"
                             ? info.kind == LineKind::pending_header
                             : info.kind == LineKind::snapshot_header && info.key == section;
            current = match ? static_cast<int>(i) + 1 : -1;
            if (match)
                last = current;
            continue;
        }
        occurrence[i] = current;
    }
    std::vector<bool> out(lines.size(), false);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (occurrence[i] != last || last < 0)
            continue;
        ConfigLine info = pct::parse::classify_line(lines[i]);
        bool desc = info.kind == LineKind::comment || info.kind == LineKind::description;
        bool env = info.kind == LineKind::lxc && info.key == "lxc.environment.runtime";
        // As the editor: every line that sets the key (a `description:` line the reader
        // takes for an option too), comments for the description, runtime lines for env.
        out[i] = desc ? key == "description" : info.key == key || (env && key == "env");
    }
    return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    return lines;
}

// Property 1: the non-carrier lines of `before` are a subsequence of the lines of `after`.
void check_bytes_kept(const Input& in, const std::string& after) {
    auto old_lines = split_lines(in.text);
    auto new_lines = split_lines(after);
    std::vector<bool> touched = carriers(old_lines, in.section, in.key);
    std::size_t j = 0;
    for (std::size_t i = 0; i < old_lines.size(); ++i) {
        if (touched[i])
            continue;
        while (j < new_lines.size() && new_lines[j] != old_lines[i])
            ++j;
        if (j == new_lines.size())
            broken("a line that does not carry the key was changed or lost");
        ++j;
    }
}

// The section the reader makes of one `key: value` line in `section`.
Section read_alone(const std::string& section, const std::string& line) {
    std::string text;
    if (section == "pve:pending")
        text = "[pve:pending]\n";
    else if (!section.empty())
        text = "[" + section + "]\n";
    text += line + "\n";
    ContainerConfig c = model_of(text);
    Section* s = section_of(c, section, true);
    return *s;
}

// The model without the key (for the checks that everything else stayed equal).
void forget(ContainerConfig& c, const std::string& section, const std::string& key) {
    Section* s = section_of(c, section, false);
    if (!s)
        return;
    if (key == "description")
        s->description.clear();
    else if (key == "env" || key == "lxc.environment.runtime")
        s->options.erase("env"); // the reader gathers both into `env`
    std::erase_if(s->lxc, [&](const pct::LxcEntry& e) { return e.key == key; });
    s->options.erase(key);
}

void check_model(const Input& in, const std::string& after, bool removed) {
    ContainerConfig want = model_of(in.text);
    ContainerConfig got = model_of(after);
    bool whole = in.key != "description" && in.key != "env" && in.key != "lxc.environment.runtime";
    if (removed || !whole) {
        forget(want, in.section, in.key);
        forget(got, in.section, in.key);
        // An edit that creates a section may leave it empty in the model.
        if (!in.section.empty() && in.section != "pve:pending" &&
            !want.snapshots.contains(in.section))
            got.snapshots.erase(in.section);
        if (!(got == want))
            broken("set/remove changed another key of the model");
        return;
    }
    Section* s = section_of(want, in.section, true);
    Section alone = read_alone(in.section, in.key + ": " + in.value);
    if (pct::edit::is_lxc_key(in.key)) {
        auto last = std::find_if(s->lxc.rbegin(), s->lxc.rend(),
                                 [&](const pct::LxcEntry& e) { return e.key == in.key; });
        if (alone.lxc.empty())
            ; // a key the reader rejects stays out of the model
        else if (last != s->lxc.rend())
            last->value = alone.lxc.back().value;
        else
            s->lxc.push_back(alone.lxc.back());
    } else if (auto it = alone.options.find(in.key); it != alone.options.end()) {
        s->options[in.key] = it->second;
    } else {
        s->options.erase(in.key); // e.g. a top-level snapstate, which the reader drops
    }
    if (!(got == want))
        broken("set did not read back as the intended model");
}

void check_lxc_append(const Input& in, const std::string& after) {
    ContainerConfig want = model_of(in.text);
    ContainerConfig got = model_of(after);
    Section alone = read_alone(in.section, in.key + ": " + in.value);
    Section* s = section_of(want, in.section, true);
    if (in.key == "lxc.environment.runtime") {
        forget(want, in.section, "env");
        forget(got, in.section, "env");
    } else {
        s->lxc.insert(s->lxc.end(), alone.lxc.begin(), alone.lxc.end());
    }
    if (!(got == want))
        broken("lxc_append did not read back as the intended model");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
    Input in;
    in.op = data[0] % 4;
    in.key = std::string(take(rest));
    in.value = std::string(take(rest));
    in.text = std::string(rest);
    // Only a config is edited: text the reader refuses (a NUL byte) is no input here.
    auto parsed = pct::parse::config(in.text);
    if (!parsed)
        return 0;
    // The section: main, pending, a snapshot of the text, or a new one.
    switch (data[1] % 4) {
    case 0:
        break;
    case 1:
        in.section = "pve:pending";
        break;
    case 2: {
        if (!parsed->config.snapshots.empty())
            in.section = parsed->config.snapshots.begin()->first;
        break;
    }
    default:
        in.section = "snap" + std::to_string(data[1] / 4);
        break;
    }

    pct::edit::Target target{in.section, in.key};
    switch (in.op) {
    case 0: {
        auto out = pct::edit::set(in.text, target, in.value);
        if (!out)
            return 0; // refused (invalid key, value or section)
        check_bytes_kept(in, *out);
        check_model(in, *out, false);
        break;
    }
    case 1: {
        auto out = pct::edit::remove(in.text, target);
        if (!out)
            return 0;
        check_bytes_kept(in, *out);
        check_model(in, *out, true);
        break;
    }
    case 2: {
        auto out = pct::edit::lxc_append(in.text, in.section, in.key, in.value);
        if (!out)
            return 0;
        Input none = in;
        none.key = "\n"; // no line carries it: every old line must be kept
        check_bytes_kept(none, *out);
        check_lxc_append(in, *out);
        break;
    }
    default: {
        std::size_t index = in.value.size();
        auto out = pct::edit::lxc_remove(in.text, in.section, index);
        if (!out)
            return 0;
        ContainerConfig want = model_of(in.text);
        ContainerConfig got = model_of(*out);
        Section* s = section_of(want, in.section, false);
        if (!s || index >= s->lxc.size())
            broken("lxc_remove removed an entry that does not exist");
        s->lxc.erase(s->lxc.begin() + static_cast<std::ptrdiff_t>(index));
        if (!(got == want))
            broken("lxc_remove did not read back as the intended model");
        break;
    }
    }
    return 0;
}
