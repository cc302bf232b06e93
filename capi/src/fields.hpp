// SPDX-License-Identifier: AGPL-3.0-or-later
// Sub-key access by name for the property-string handles: one table per type mapping the
// file's sub-key names to text getters/setters. Values are converted with Proxmox's rules
// (booleans 1/on/yes/true, integers, sizes); the schema checks run through the type's printer.
#pragma once

#include "guard.hpp"
#include "handles.hpp"

#include <pct/error.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace pct::capi {

template <class T> struct Field {
    std::string_view name;
    std::optional<std::string> (*get)(const T&);
    Result<void> (*set)(T&, std::string_view); ///< errors carry only the message
    void (*unset)(T&);
};

Result<bool> text_to_bool(std::string_view text);
Result<std::uint64_t> text_to_uint(std::string_view text, std::uint64_t max);
Result<Number> text_to_number(std::string_view text);
Result<std::string> text_to_string(std::string_view text);

template <class M> struct is_optional : std::false_type {};
template <class M> struct is_optional<std::optional<M>> : std::true_type {};

/// A field over a data member, converted by its type.
template <class T, auto Member> constexpr Field<T> field(std::string_view name) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*Member)>;
    Field<T> f{name, nullptr, nullptr, nullptr};
    f.get = [](const T& v) -> std::optional<std::string> {
        const M& m = v.*Member;
        if constexpr (std::is_same_v<M, std::string>) {
            if (m.empty())
                return std::nullopt;
            return m;
        } else {
            if (!m)
                return std::nullopt;
            using V = typename M::value_type;
            if constexpr (std::is_same_v<V, bool>)
                return std::string(*m ? "1" : "0");
            else if constexpr (std::is_same_v<V, std::string>)
                return *m;
            else if constexpr (std::is_same_v<V, Number>)
                return m->text;
            else
                return std::to_string(*m);
        }
    };
    f.set = [](T& v, std::string_view text) -> Result<void> {
        M& m = v.*Member;
        if constexpr (std::is_same_v<M, std::string>) {
            auto s = text_to_string(text);
            if (!s)
                return std::unexpected(s.error());
            m = std::move(*s);
        } else {
            using V = typename M::value_type;
            if constexpr (std::is_same_v<V, bool>) {
                auto b = text_to_bool(text);
                if (!b)
                    return std::unexpected(b.error());
                m = *b;
            } else if constexpr (std::is_same_v<V, std::string>) {
                auto s = text_to_string(text);
                if (!s)
                    return std::unexpected(s.error());
                m = std::move(*s);
            } else if constexpr (std::is_same_v<V, Number>) {
                auto n = text_to_number(text);
                if (!n)
                    return std::unexpected(n.error());
                m = std::move(*n);
            } else {
                auto n = text_to_uint(text, std::numeric_limits<V>::max());
                if (!n)
                    return std::unexpected(n.error());
                m = static_cast<V>(*n);
            }
        }
        return {};
    };
    f.unset = [](T& v) { v.*Member = M{}; };
    return f;
}

/// The field table of each handle type.
std::span<const Field<NetInterface>> net_fields();
std::span<const Field<MountPoint>> mount_point_fields();
std::span<const Field<Device>> device_fields();
std::span<const Field<Features>> features_fields();
std::span<const Field<StartupOrder>> startup_fields();

template <class T>
const Field<T>* find_field(std::span<const Field<T>> table, std::string_view name) {
    for (const auto& f : table)
        if (f.name == name)
            return &f;
    return nullptr;
}

/// `error` as `Errc::invalid_argument` (a sub-key value the caller gave).
inline Error as_invalid_argument(Error error) {
    error.code = Errc::invalid_argument;
    return error;
}

/// `Errc::invalid_argument` "unknown sub-key 'SUBKEY'" recorded; returns its status.
inline int unknown_subkey(const char* subkey) {
    return set_error(error(Errc::invalid_argument, std::string("unknown sub-key '") + subkey + "'",
                           {.subkey = subkey}));
}

/// `_get` for any handle: the text of one sub-key, kept in the handle (`BorrowedStrings`).
template <class H, class T>
int handle_get(const char** value_out, const H* h, const char* subkey,
               std::span<const Field<T>> table) {
    int rc = require_out(value_out, "value_out", {{"handle", h}, {"subkey", subkey}});
    if (rc != PCT_OK)
        return rc;
    const Field<T>* f = find_field(table, subkey);
    if (!f)
        return unknown_subkey(subkey);
    auto text = f->get(h->value);
    if (!text)
        return set_error(error(Errc::not_found, std::string("sub-key '") + subkey + "' is not set",
                               {.subkey = subkey}));
    *value_out = h->m_borrowed.keep(subkey, std::move(*text));
    return PCT_OK;
}

/// `_set` for any handle: converts the text, then lets `check` (the type's printer) veto a
/// value that breaks the schema for this sub-key.
template <class H, class T, class Check>
int handle_set(H* h, const char* subkey, const char* value, std::span<const Field<T>> table,
               Check&& check) {
    if (int rc = require({{"handle", h}, {"subkey", subkey}, {"value", value}}); rc != PCT_OK)
        return rc;
    const Field<T>* f = find_field(table, subkey);
    if (!f)
        return unknown_subkey(subkey);
    T updated = h->value;
    if (auto r = f->set(updated, value); !r) {
        Error e = as_invalid_argument(r.error());
        e.subkey = subkey;
        return set_error(e);
    }
    auto printed = check(updated, *h);
    if (!printed && printed.error().subkey == subkey)
        return set_error(as_invalid_argument(printed.error()));
    h->value = std::move(updated);
    h->m_borrowed.clear();
    return PCT_OK;
}

template <class H, class T>
int handle_unset(H* h, const char* subkey, std::span<const Field<T>> table) {
    if (int rc = require({{"handle", h}, {"subkey", subkey}}); rc != PCT_OK)
        return rc;
    const Field<T>* f = find_field(table, subkey);
    if (!f)
        return unknown_subkey(subkey);
    f->unset(h->value);
    h->m_borrowed.clear();
    return PCT_OK;
}

/// `_new`, `_clone`, `_print`, `_parse` shared bodies.
template <class H> int handle_new(H** out) {
    if (!out)
        return null_argument("out");
    *out = new H();
    return PCT_OK;
}

template <class H> int handle_clone(H** out, const H* h) {
    if (int rc = require_out(out, {{"handle", h}}); rc != PCT_OK)
        return rc;
    auto* copy = new H();
    copy->value = h->value;
    copy->rootfs = h->rootfs;
    *out = copy;
    return PCT_OK;
}

template <class H, class Parse> int handle_parse(H** out, const char* text, Parse&& parse) {
    if (int rc = require_out(out, {{"text", text}}); rc != PCT_OK)
        return rc;
    return deliver_handle(out, parse(std::string_view(text)));
}

template <class H, class Print> int handle_print(char** out, const H* h, Print&& print) {
    if (int rc = require_out(out, {{"handle", h}}); rc != PCT_OK)
        return rc;
    return deliver(out, print(h->value), dup_string);
}

/// The `pct_<type>_*` calls of a property-string handle type `H`, each guarded: `parse` and
/// `print` are the core's parser and printer of its value, `fields` its sub-key table.
template <class H, auto parse, auto print, auto fields> struct ValueHandle {
    static int make(H** out) noexcept {
        return guard([&] { return handle_new(out); });
    }
    static int parse_text(H** out, const char* text) noexcept {
        return guard([&] { return handle_parse(out, text, parse); });
    }
    static int print_text(char** out, const H* h) noexcept {
        return guard([&] { return handle_print(out, h, print); });
    }
    static int get(const char** value_out, const H* h, const char* subkey) noexcept {
        return guard([&] { return handle_get(value_out, h, subkey, fields()); });
    }
    static int set(H* h, const char* subkey, const char* value) noexcept {
        return guard([&] {
            return handle_set(h, subkey, value, fields(),
                              [](const auto& v, const H&) { return print(v); });
        });
    }
    static int unset(H* h, const char* subkey) noexcept {
        return guard([&] { return handle_unset(h, subkey, fields()); });
    }
    static int clone(H** out, const H* h) noexcept {
        return guard([&] { return handle_clone(out, h); });
    }
};

} // namespace pct::capi
