// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `pct::OptionMap`: the `key -> value` options of a config section as one sorted vector.
///
/// It replaces `std::map<std::string, std::string, std::less<>>` with the same interface for
/// what callers use (find/contains/count/at/operator[]/emplace/try_emplace/insert_or_assign/
/// erase/lower_bound, iteration in key order over `.first`/`.second` pairs, ==), so code
/// written against the map compiles unchanged. A section holds a few dozen keys, and the
/// file reader builds them in one pass (`from_sorted_entries`): one allocation for the whole
/// section instead of one tree node per key, and a cache-friendly walk for the writer.
///
/// Differences from `std::map` a caller can observe:
/// - inserting or erasing invalidates iterators, pointers and references to elements (as
///   for `std::vector`); lookups and iteration do not;
/// - the element type is `std::pair<std::string, std::string>`: changing `.first` through an
///   iterator breaks the ordering invariant (don't).
///
/// Keys are ordered by plain byte order (`std::less<>` on `std::string_view`), which is
/// Proxmox's write order. Threading: a plain value, freely copyable; no shared state.
#pragma once

#include <algorithm>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace pct {

class OptionMap {
  public:
    using key_type = std::string;
    using mapped_type = std::string;
    using value_type = std::pair<std::string, std::string>;
    using container_type = std::vector<value_type>;
    using key_compare = std::less<>;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = value_type&;
    using const_reference = const value_type&;
    using iterator = container_type::iterator;
    using const_iterator = container_type::const_iterator;
    using reverse_iterator = container_type::reverse_iterator;
    using const_reverse_iterator = container_type::const_reverse_iterator;

    OptionMap() = default;

    /// As `std::map`: for repeated keys the first one wins.
    OptionMap(std::initializer_list<value_type> init) {
        assign_first_wins(init.begin(), init.end());
    }

    /// From any range of pairs; as `std::map`, for repeated keys the first one wins.
    template <std::input_iterator It> OptionMap(It first, It last) {
        assign_first_wins(first, last);
    }

    OptionMap& operator=(std::initializer_list<value_type> init) {
        m_items.clear();
        assign_first_wins(init.begin(), init.end());
        return *this;
    }

    /// Takes `entries` in any order; for repeated keys the *last* one wins (as a later line
    /// overrides an earlier one, unlike the first-wins `std::map` constructors above). For
    /// callers that collect options unordered; the file reader, whose keys arrive sorted,
    /// uses `from_sorted_entries`. O(n) and keeping the vector's storage when `entries` is
    /// already sorted without repeats; otherwise O(n log n), with one index vector and one
    /// new element vector.
    [[nodiscard]] static OptionMap from_entries(container_type entries) {
        OptionMap out;
        out.m_items = std::move(entries);
        out.normalize_last_wins();
        return out;
    }

    /// Takes `entries` whose keys are already strictly increasing (the caller has compared
    /// them, e.g. while reading them in order); O(1). Checked by an assertion in debug builds.
    [[nodiscard]] static OptionMap from_sorted_entries(container_type entries) noexcept {
        OptionMap out;
        out.m_items = std::move(entries);
        assert(out.sorted_unique());
        return out;
    }

    /// Three-way byte order of two keys (negative, zero, positive), for callers that build
    /// sorted entries.
    [[nodiscard]] static int compare_keys(std::string_view a, std::string_view b) noexcept {
        std::size_t n = a.size() < b.size() ? a.size() : b.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (a[i] != b[i])
                return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
        }
        return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
    }

    [[nodiscard]] iterator begin() noexcept { return m_items.begin(); }
    [[nodiscard]] iterator end() noexcept { return m_items.end(); }
    [[nodiscard]] const_iterator begin() const noexcept { return m_items.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return m_items.end(); }
    [[nodiscard]] const_iterator cbegin() const noexcept { return m_items.cbegin(); }
    [[nodiscard]] const_iterator cend() const noexcept { return m_items.cend(); }
    [[nodiscard]] reverse_iterator rbegin() noexcept { return m_items.rbegin(); }
    [[nodiscard]] reverse_iterator rend() noexcept { return m_items.rend(); }
    [[nodiscard]] const_reverse_iterator rbegin() const noexcept { return m_items.rbegin(); }
    [[nodiscard]] const_reverse_iterator rend() const noexcept { return m_items.rend(); }

    [[nodiscard]] bool empty() const noexcept { return m_items.empty(); }
    [[nodiscard]] size_type size() const noexcept { return m_items.size(); }
    [[nodiscard]] size_type max_size() const noexcept { return m_items.max_size(); }
    void clear() noexcept { m_items.clear(); }
    /// Capacity for `n` keys (no `std::map` counterpart; harmless for generic code).
    void reserve(size_type n) { m_items.reserve(n); }
    void swap(OptionMap& other) noexcept { m_items.swap(other.m_items); }

    /// The first element whose key is not less than `key`.
    [[nodiscard]] iterator lower_bound(std::string_view key) noexcept {
        return std::lower_bound(m_items.begin(), m_items.end(), key, less_key);
    }
    [[nodiscard]] const_iterator lower_bound(std::string_view key) const noexcept {
        return std::lower_bound(m_items.begin(), m_items.end(), key, less_key);
    }
    /// The first element whose key is greater than `key`.
    [[nodiscard]] iterator upper_bound(std::string_view key) noexcept {
        return std::upper_bound(m_items.begin(), m_items.end(), key, greater_key);
    }
    [[nodiscard]] const_iterator upper_bound(std::string_view key) const noexcept {
        return std::upper_bound(m_items.begin(), m_items.end(), key, greater_key);
    }

    [[nodiscard]] iterator find(std::string_view key) noexcept {
        auto it = lower_bound(key);
        return it != m_items.end() && !key_less(key, it->first) ? it : m_items.end();
    }
    [[nodiscard]] const_iterator find(std::string_view key) const noexcept {
        auto it = lower_bound(key);
        return it != m_items.end() && !key_less(key, it->first) ? it : m_items.end();
    }
    [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != end(); }
    [[nodiscard]] size_type count(std::string_view key) const noexcept { return contains(key); }

    /// The value of `key`; throws `std::out_of_range` when absent (as `std::map::at`).
    [[nodiscard]] std::string& at(std::string_view key) {
        auto it = find(key);
        if (it == m_items.end())
            throw std::out_of_range("pct::OptionMap::at: no such key");
        return it->second;
    }
    [[nodiscard]] const std::string& at(std::string_view key) const {
        auto it = find(key);
        if (it == m_items.end())
            throw std::out_of_range("pct::OptionMap::at: no such key");
        return it->second;
    }

    /// The value of `key`, inserted empty when absent.
    std::string& operator[](std::string_view key) { return try_emplace(key).first->second; }

    /// Inserts `key` with a value built from `args` unless present (then nothing is built).
    template <class K, class... Args>
    requires std::convertible_to<const K&, std::string_view> std::pair<iterator, bool>
    try_emplace(K&& key, Args&&... args) {
        std::string_view k(key);
        auto it = insert_position(k);
        if (it != m_items.end() && !key_less(k, it->first))
            return {it, false};
        it = m_items.emplace(it, std::piecewise_construct,
                             std::forward_as_tuple(std::forward<K>(key)),
                             std::forward_as_tuple(std::forward<Args>(args)...));
        return {it, true};
    }

    /// As `std::map::emplace(key, value)`: no change when `key` is present.
    template <class K, class V>
    requires std::convertible_to<const K&, std::string_view> std::pair<iterator, bool>
    emplace(K&& key, V&& value) {
        return try_emplace(std::forward<K>(key), std::forward<V>(value));
    }

    /// As `std::map::emplace_hint`: the hint is only a hint (the position is searched).
    template <class K, class V>
    requires std::convertible_to<const K&, std::string_view>
        iterator emplace_hint(const_iterator, K&& key, V&& value) {
        return try_emplace(std::forward<K>(key), std::forward<V>(value)).first;
    }

    std::pair<iterator, bool> insert(const value_type& item) {
        return try_emplace(item.first, item.second);
    }
    std::pair<iterator, bool> insert(value_type&& item) {
        return try_emplace(std::move(item.first), std::move(item.second));
    }

    /// Sets `key` to `value`, inserting it when absent.
    template <class K, class V>
    requires std::convertible_to<const K&, std::string_view> std::pair<iterator, bool>
    insert_or_assign(K&& key, V&& value) {
        std::string_view k(key);
        auto it = insert_position(k);
        if (it != m_items.end() && !key_less(k, it->first)) {
            it->second = std::forward<V>(value);
            return {it, false};
        }
        it = m_items.emplace(it, std::piecewise_construct,
                             std::forward_as_tuple(std::forward<K>(key)),
                             std::forward_as_tuple(std::forward<V>(value)));
        return {it, true};
    }

    /// Removes `key`; returns how many were removed (0 or 1).
    size_type erase(std::string_view key) {
        auto it = find(key);
        if (it == m_items.end())
            return 0;
        m_items.erase(it);
        return 1;
    }
    iterator erase(const_iterator pos) { return m_items.erase(pos); }
    iterator erase(iterator pos) { return m_items.erase(pos); }
    iterator erase(const_iterator first, const_iterator last) { return m_items.erase(first, last); }

    friend bool operator==(const OptionMap&, const OptionMap&) = default;

    /// Equal to any other map of string-like keys and values holding the same pairs
    /// (e.g. `std::map<std::string, std::string, std::less<>>`).
    template <class Map>
    requires(!std::same_as<Map, OptionMap>) && requires(const Map& m) {
        { m.size() } -> std::convertible_to<std::size_t>;
        {std::string_view(m.begin()->first)};
        {std::string_view(m.begin()->second)};
    }
    friend bool operator==(const OptionMap& a, const Map& b) {
        if (a.size() != b.size())
            return false;
        for (const auto& [key, value] : b) {
            auto it = a.find(std::string_view(key));
            if (it == a.end() || it->second != std::string_view(value))
                return false;
        }
        return true;
    }

  private:
    // Byte order of two keys (compare_keys: keys are a few bytes long, so a loop to the first
    // difference costs less than a library memcmp call).
    static bool key_less(std::string_view a, std::string_view b) noexcept {
        return compare_keys(a, b) < 0;
    }
    static bool less_key(const value_type& item, std::string_view key) noexcept {
        return key_less(item.first, key);
    }
    static bool greater_key(std::string_view key, const value_type& item) noexcept {
        return key_less(key, item.first);
    }

    // Keys usually arrive in order: try the end first.
    iterator insert_position(std::string_view key) noexcept {
        if (m_items.empty() || key_less(m_items.back().first, key))
            return m_items.end();
        return lower_bound(key);
    }

    // Appended, then sorted once when out of order: an insert per key in place was O(n^2)
    // for keys in reverse order.
    template <class It> void assign_first_wins(It first, It last) {
        for (; first != last; ++first)
            m_items.emplace_back(std::piecewise_construct,
                                 std::forward_as_tuple(std::string_view(first->first)),
                                 std::forward_as_tuple(first->second));
        normalize(false);
    }

    bool sorted_unique() const noexcept {
        for (std::size_t i = 1; i < m_items.size(); ++i)
            if (!key_less(m_items[i - 1].first, m_items[i].first))
                return false;
        return true;
    }

    void normalize_last_wins() { normalize(true); }

    // Sorted without repeats; of equal keys the last (or the first) entry is kept.
    void normalize(bool last_wins) {
        if (sorted_unique())
            return;
        // Positions sorted by (key, position) with std::sort: the order a stable sort of the
        // entries gives, without std::stable_sort's merge buffer (get_temporary_buffer,
        // deprecated in C++23). Each key's last (first) position is its last (first) entry.
        std::vector<std::size_t> order(m_items.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
            int c = compare_keys(m_items[a].first, m_items[b].first);
            return c < 0 || (c == 0 && a < b);
        });
        container_type kept;
        kept.reserve(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            const std::string& key = m_items[order[i]].first;
            bool beaten = last_wins
                              ? i + 1 < order.size() && key == m_items[order[i + 1]].first
                              : !kept.empty() && key == kept.back().first; // the first went to kept
            if (!beaten)
                kept.push_back(std::move(m_items[order[i]]));
        }
        m_items = std::move(kept);
    }

    container_type m_items;
};

inline void swap(OptionMap& a, OptionMap& b) noexcept { a.swap(b); }

} // namespace pct
