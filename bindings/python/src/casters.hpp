// SPDX-License-Identifier: AGPL-3.0-or-later
// Type casters of the bindings: `pct::Result<T>` (returns the value or raises the pypct
// exception of its Errc), `pct::Number` (the exact decimal text, as a Python str) and
// `pct::OptionMap` (a dict, as pybind11 converts std::map).
#pragma once

#include <pct/error.hpp>
#include <pct/model/option_map.hpp>
#include <pct/model/properties.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <expected>
#include <type_traits>
#include <utility>

namespace pypct {

/// Carries a pct::Error out of a binding; the registered translator raises its Python class.
struct Raised {
    pct::Error error;
};

/// Returns the value of `r` or throws Raised.
template <class T> T unwrap(pct::Result<T> r) {
    if (!r)
        throw Raised{std::move(r).error()};
    if constexpr (!std::is_void_v<T>)
        return std::move(r).value();
}

} // namespace pypct

namespace pybind11::detail {

template <class T> struct type_caster<std::expected<T, pct::Error>> {
    using value_conv = make_caster<std::conditional_t<std::is_void_v<T>, void_type, T>>;
    static constexpr auto name = value_conv::name;

    bool load(handle, bool) { return false; } // results are never arguments

    template <class U> static handle cast(U&& src, return_value_policy policy, handle parent) {
        if (!src)
            throw pypct::Raised{std::forward<U>(src).error()};
        if constexpr (std::is_void_v<T>)
            return none().release();
        else
            return value_conv::cast(std::forward<U>(src).value(), policy, parent);
    }
};

template <> struct type_caster<pct::Number> {
    PYBIND11_TYPE_CASTER(pct::Number, const_name("str"));

    bool load(handle src, bool convert) {
        if (isinstance<str>(src)) {
            value.text = src.cast<std::string>();
            return true;
        }
        bool numeric =
            (PyLong_Check(src.ptr()) && !PyBool_Check(src.ptr())) || PyFloat_Check(src.ptr());
        if (convert && numeric) {
            value.text = str(src).cast<std::string>();
            return true;
        }
        return false;
    }

    static handle cast(const pct::Number& n, return_value_policy, handle) {
        return str(n.text).release();
    }
};

/// A section's options cross as a dict[str, str] (a copy), like the std::map they replaced.
/// A dict is collected and sorted once: map_caster's insert per key into the sorted vector
/// was O(n^2) for keys in reverse order.
template <>
struct type_caster<pct::OptionMap> : map_caster<pct::OptionMap, std::string, std::string> {
    bool load(handle src, bool convert) {
        if (!isinstance<dict>(src))
            return false;
        auto d = reinterpret_borrow<dict>(src);
        pct::OptionMap::container_type entries;
        entries.reserve(d.size());
        for (auto it : d) {
            make_caster<std::string> key;
            make_caster<std::string> item;
            if (!key.load(it.first.ptr(), convert) || !item.load(it.second.ptr(), convert))
                return false;
            entries.emplace_back(cast_op<std::string&&>(std::move(key)),
                                 cast_op<std::string&&>(std::move(item)));
        }
        value = pct::OptionMap::from_entries(std::move(entries));
        return true;
    }
};

} // namespace pybind11::detail
