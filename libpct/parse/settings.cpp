// SPDX-License-Identifier: AGPL-3.0-or-later
// parse::settings: every schema key of a section in its real type. Each stored value must
// first pass check_type (what the file parser accepts), then fit the typed field.
#include <pct/parse/properties.hpp>

#include "pct/internal/properties.hpp"

#include <pct/model/schema.hpp>

#include <charconv>

namespace pct::parse {
namespace {

template <class T> Result<T> to_integer(std::string_view key, std::string_view text) {
    T out{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc{} || end != text.data() + text.size())
        return fail(Errc::invalid_argument, "value '" + std::string(text) + "' is out of range",
                    {.key = key});
    return out;
}

// The enumerator whose to_string() is `text`.
template <class E, int Last> Result<E> to_enum(std::string_view key, std::string_view text) {
    for (int i = 0; i <= Last; ++i)
        if (text == to_string(static_cast<E>(i)))
            return static_cast<E>(i);
    auto message = detail::check_value(*schema::find(key), text);
    return fail(Errc::invalid_argument,
                message.value_or("value '" + std::string(text) + "' is not valid"), {.key = key});
}

// "net7" -> 7 (the schema lookup already bounded the index).
unsigned index_of(std::string_view key, std::size_t prefix) {
    unsigned n = 0;
    for (char c : key.substr(prefix))
        n = n * 10 + static_cast<unsigned>(c - '0');
    return n;
}

template <class T> Result<T> typed(std::string_view key, Result<T> r) {
    if (!r) {
        r.error().code = Errc::invalid_argument;
        r.error().key = std::string(key);
    }
    return r;
}

#define PCT_ASSIGN(target, expr)                                                                   \
    do {                                                                                           \
        auto pct_value_ = (expr);                                                                  \
        if (!pct_value_)                                                                           \
            return std::unexpected(std::move(pct_value_.error()));                                 \
        target = std::move(*pct_value_);                                                           \
    } while (0)

} // namespace

Result<ContainerSettings> settings(const Section& section) {
    ContainerSettings s;
    for (const auto& [key, raw] : section.options) {
        const schema::KeyInfo* info = schema::find(key);
        if (!info || key == "description")
            continue;
        auto checked = check_type(key, raw);
        if (!checked) {
            checked.error().code = Errc::invalid_argument;
            return std::unexpected(std::move(checked.error()));
        }
        const std::string& v = *checked;
        bool b = v == "1";
        std::string_view k = key;

        if (k == "arch") {
            PCT_ASSIGN(s.arch, (to_enum<Arch, static_cast<int>(Arch::riscv64)>(k, v)));
        } else if (k == "cmode") {
            PCT_ASSIGN(s.cmode, (to_enum<ConsoleMode, static_cast<int>(ConsoleMode::tty)>(k, v)));
        } else if (k == "console") {
            s.console = b;
        } else if (k == "cores") {
            PCT_ASSIGN(s.cores, to_integer<std::uint32_t>(k, v));
        } else if (k == "cpulimit") {
            s.cpulimit = Number{v};
        } else if (k == "cpuunits") {
            PCT_ASSIGN(s.cpuunits, to_integer<std::uint32_t>(k, v));
        } else if (k == "debug") {
            s.debug = b;
        } else if (k == "entrypoint") {
            s.entrypoint = v;
        } else if (k == "env") {
            // NUL-joined as in Proxmox; empty elements carry nothing.
            std::size_t start = 0;
            while (start <= v.size()) {
                auto nul = v.find('\0', start);
                auto end = nul == std::string::npos ? v.size() : nul;
                if (end > start)
                    s.env.push_back(v.substr(start, end - start));
                start = end + 1;
            }
        } else if (k == "features") {
            PCT_ASSIGN(s.features, typed(k, features(v)));
        } else if (k == "hookscript") {
            s.hookscript = v;
        } else if (k == "hostname") {
            s.hostname = v;
        } else if (k == "lock") {
            PCT_ASSIGN(s.lock, (to_enum<Lock, static_cast<int>(Lock::snapshot_delete)>(k, v)));
        } else if (k == "memory") {
            PCT_ASSIGN(s.memory, to_integer<std::uint64_t>(k, v));
        } else if (k == "nameserver") {
            s.nameserver = v;
        } else if (k == "onboot") {
            s.onboot = b;
        } else if (k == "ostype") {
            s.ostype = v;
        } else if (k == "parent") {
            s.parent = v;
        } else if (k == "protection") {
            s.protection = b;
        } else if (k == "rootfs") {
            PCT_ASSIGN(s.rootfs, typed(k, rootfs(v)));
        } else if (k == "searchdomain") {
            s.searchdomain = v;
        } else if (k == "snaptime") {
            PCT_ASSIGN(s.snaptime, to_integer<std::uint64_t>(k, v));
        } else if (k == "startup") {
            PCT_ASSIGN(s.startup, typed(k, startup(v)));
        } else if (k == "swap") {
            PCT_ASSIGN(s.swap, to_integer<std::uint64_t>(k, v));
        } else if (k == "tags") {
            s.tags = v;
        } else if (k == "template") {
            s.template_ = b;
        } else if (k == "timezone") {
            s.timezone = v;
        } else if (k == "tty") {
            PCT_ASSIGN(s.tty, to_integer<std::uint32_t>(k, v));
        } else if (k == "unprivileged") {
            s.unprivileged = b;
        } else if (info->name == "net") {
            PCT_ASSIGN(s.net[index_of(k, 3)], typed(k, net(v)));
        } else if (info->name == "mp") {
            PCT_ASSIGN(s.mp[index_of(k, 2)], typed(k, mount_point(v)));
        } else if (info->name == "unused") {
            PCT_ASSIGN(s.unused[index_of(k, 6)], typed(k, unused(v)));
        } else if (info->name == "dev") {
            PCT_ASSIGN(s.dev[index_of(k, 3)], typed(k, device(v)));
        }
    }
    if (!section.description.empty())
        s.description = section.description;
    else if (auto d = section.get("description"))
        s.description = std::string(*d);
    return s;
}

#undef PCT_ASSIGN

} // namespace pct::parse
