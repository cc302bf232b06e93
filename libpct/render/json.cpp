// SPDX-License-Identifier: AGPL-3.0-or-later
// The conformance-corpus JSON shape of a parsed config (see render/json.hpp), written straight
// into the output text: a JSON document tree of a large config (a node, a key and a value
// string per option) took several times the size of the file, and its text once more.
#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>
#include <pct/render/json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace pct::render {

namespace {

// What nlohmann::json's dump(3, ' ', false, error_handler_t::replace) writes, which the
// output has always been (tests compare the two): sorted keys, 3 blanks per level, `{}` and
// `[]` when empty, strings escaped as below.
class JsonWriter {
  public:
    // Into `out`; with `sink`, `out` is a buffer handed to it whenever it holds 1 MiB.
    explicit JsonWriter(std::string& out, std::ostream* sink = nullptr)
        : m_out(out), m_sink(sink) {}

    void flush() {
        if (m_sink) {
            m_sink->write(m_out.data(), static_cast<std::streamsize>(m_out.size()));
            m_out.clear();
        }
    }

    // ASCII is escaped here; each run of bytes >= 0x80 goes through nlohmann's own escaper
    // (UTF-8 checked, each malformed sequence replaced by U+FFFD as it does). A run starts and
    // ends next to ASCII, where its decoder is between characters, so the result is the same
    // as for the whole string.
    void string(std::string_view s) {
        m_out += '"';
        std::size_t i = 0;
        while (i < s.size()) {
            auto c = static_cast<unsigned char>(s[i]);
            if (c >= 0x80) {
                std::size_t end = i;
                while (end < s.size() && static_cast<unsigned char>(s[end]) >= 0x80)
                    ++end;
                std::string escaped =
                    nlohmann::json(std::string(s.substr(i, end - i)))
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                m_out.append(escaped, 1, escaped.size() - 2);
                i = end;
                continue;
            }
            ascii(c);
            ++i;
            if (m_sink && m_out.size() >= (std::size_t{1} << 20)) [[unlikely]]
                flush();
        }
        m_out += '"';
    }

    void null() { m_out += "null"; }

    // Containers: open, then key()/item() before each member, then close.
    void open(char bracket) {
        m_out += bracket;
        m_first.push_back(true);
    }
    void close(char bracket) {
        bool empty = m_first.back();
        m_first.pop_back();
        if (!empty) {
            m_out += '\n';
            indent();
        }
        m_out += bracket;
    }
    void key(std::string_view k) {
        item();
        string(k);
        m_out += ": ";
    }
    void item() {
        if (m_sink && m_out.size() >= (std::size_t{1} << 20)) [[unlikely]]
            flush();
        if (!m_first.back())
            m_out += ',';
        m_first.back() = false;
        m_out += '\n';
        indent();
    }

  private:
    void indent() { m_out.append(3 * m_first.size(), ' '); }

    void ascii(unsigned char c) {
        switch (c) {
        case '"':
            m_out += "\\\"";
            return;
        case '\\':
            m_out += "\\\\";
            return;
        case '\b':
            m_out += "\\b";
            return;
        case '\f':
            m_out += "\\f";
            return;
        case '\n':
            m_out += "\\n";
            return;
        case '\r':
            m_out += "\\r";
            return;
        case '\t':
            m_out += "\\t";
            return;
        default:
            break;
        }
        if (c < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            m_out += "\\u00";
            m_out += hex[c >> 4];
            m_out += hex[c & 15];
            return;
        }
        m_out += static_cast<char>(c);
    }

    std::string& m_out;
    std::ostream* m_sink;
    std::vector<bool> m_first; // per open container: no member written yet
};

// The members of a section object, in key order: its options, and "description" and "lxc"
// (which replace an option of that name, as assigning them into the object did).
void section_json(JsonWriter& w, const Section& s, const std::string* digest = nullptr,
                  const std::function<void()>& pending = {},
                  const std::function<void()>& snapshots = {}) {
    struct Member {
        std::string_view key;
        const std::string* option = nullptr; // else written by `special`
        int special = 0;
    };
    enum { description = 1, lxc, digest_member, pending_member, snapshots_member };
    std::vector<Member> members;
    auto special = [&](std::string_view key, int which) {
        // Replaces an option of the same name.
        auto at = std::lower_bound(members.begin(), members.end(), key,
                                   [](const Member& m, std::string_view k) { return m.key < k; });
        if (at != members.end() && at->key == key)
            *at = Member{key, nullptr, which};
        else
            members.insert(at, Member{key, nullptr, which});
    };
    members.reserve(s.options.size() + 5);
    for (const auto& [key, value] : s.options)
        members.push_back({key, &value, 0});
    if (!s.description.empty())
        special("description", description);
    if (!s.lxc.empty())
        special("lxc", lxc);
    // A `digest:` line of the main section replaces the computed digest in Proxmox's hash.
    if (digest && !s.options.contains("digest"))
        special("digest", digest_member);
    if (pending)
        special("pending", pending_member);
    if (snapshots)
        special("snapshots", snapshots_member);

    w.open('{');
    for (const Member& m : members) {
        w.key(m.key);
        switch (m.special) {
        case 0:
            w.string(*m.option);
            break;
        case description:
            w.string(s.description);
            break;
        case lxc:
            w.open('[');
            for (const LxcEntry& e : s.lxc) {
                w.item();
                w.open('[');
                w.item();
                w.string(e.key);
                w.item();
                w.string(e.value);
                w.close(']');
            }
            w.close(']');
            break;
        case digest_member:
            w.string(*digest);
            break;
        case pending_member:
            pending();
            break;
        case snapshots_member:
            snapshots();
            break;
        default:
            break;
        }
    }
    w.close('}');
}

// canon_is_fixpoint: "true" when the canonical text reads back to a model whose canonical
// text is the same; nullopt with `error` set when the writer refuses the model. The two texts
// are compared by size and digest (the reader's SHA-1 of the first), so that the first text
// is gone before the second is written: at most two models and one text at a time.
std::optional<bool> fixpoint(const ContainerConfig& cfg, std::uint32_t vmid, std::string& error) {
    parse::ParsedConfig again;
    std::size_t first_size = 0;
    {
        auto canon = config(cfg);
        if (!canon) {
            error = canon.error().message + "\n";
            return std::nullopt;
        }
        parse::ConfigOptions options;
        options.vmid = vmid;
        auto parsed = parse::config(*canon, options);
        if (!parsed)
            return false;
        first_size = canon->size();
        again = std::move(*parsed);
    }
    auto canon2 = config(again.config);
    return canon2 && canon2->size() == first_size && parse::sha1_hex(*canon2) == again.digest;
}

void write_json(std::string& out, std::ostream* sink, const parse::ParsedConfig& parsed,
                std::uint32_t vmid, const std::optional<Error>& strict_error) {
    const ContainerConfig& cfg = parsed.config;
    std::string error;
    std::optional<bool> is_fixpoint = fixpoint(cfg, vmid, error);

    std::string digest = parsed.digest.str();
    JsonWriter w(out, sink);
    w.open('{');
    w.key("canon_is_fixpoint");
    if (is_fixpoint)
        w.string(*is_fixpoint ? "true" : "false");
    else
        w.null();
    w.key("conf");
    section_json(
        w, cfg.main, &digest, [&] { section_json(w, cfg.pending); },
        [&] {
            w.open('{');
            for (const auto& [name, snap] : cfg.snapshots) {
                w.key(name);
                section_json(w, snap);
            }
            w.close('}');
        });
    w.key("error");
    if (is_fixpoint)
        w.null();
    else
        w.string(error);
    w.key("strict_error");
    if (strict_error)
        w.string(strict_error->message + "\n");
    else
        w.null();
    w.key("vmid");
    w.string(std::to_string(vmid));
    w.key("warnings");
    w.open('[');
    for (const Diagnostic& d : parsed.warnings) {
        w.item();
        w.string(d.message + "\n");
    }
    w.close(']');
    w.close('}');
    out += '\n';
    w.flush();
}

} // namespace

std::string json(const parse::ParsedConfig& parsed, std::uint32_t vmid,
                 const std::optional<Error>& strict_error) {
    std::string out;
    write_json(out, nullptr, parsed, vmid, strict_error);
    return out;
}

void json(std::ostream& out, const parse::ParsedConfig& parsed, std::uint32_t vmid,
          const std::optional<Error>& strict_error) {
    std::string buffer;
    write_json(buffer, &out, parsed, vmid, strict_error);
}

} // namespace pct::render
