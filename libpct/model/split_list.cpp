// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/split_list.hpp>

#include "pct/internal/bytes.hpp"

namespace pct {

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    auto flush = [&](std::size_t end) {
        if (end > begin)
            out.emplace_back(text.substr(begin, end - begin));
        begin = end + 1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (detail::is_list_separator(text[i]))
            flush(i);
    }
    flush(text.size());
    return out;
}

} // namespace pct
