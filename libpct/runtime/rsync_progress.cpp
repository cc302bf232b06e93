// SPDX-License-Identifier: AGPL-3.0-or-later
#include "rsync_progress.hpp"

#include <cctype>

namespace pct::runtime::detail {

namespace {

std::string_view next_word(std::string_view& text) {
    std::size_t begin = 0;
    while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin])))
        ++begin;
    std::size_t end = begin;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
        ++end;
    std::string_view word = text.substr(begin, end - begin);
    text.remove_prefix(end);
    return word;
}

} // namespace

std::optional<RsyncProgress> parse_rsync_progress(std::string_view line) {
    std::string_view count = next_word(line);
    std::string_view percent = next_word(line);
    if (count.empty() || !std::isdigit(static_cast<unsigned char>(count.front())) ||
        percent.size() < 2 || percent.back() != '%')
        return std::nullopt;
    RsyncProgress p;
    for (char c : count) {
        if (std::isdigit(static_cast<unsigned char>(c)))
            p.bytes = p.bytes * 10 + static_cast<unsigned>(c - '0');
        else if (c != ',' && c != '.' && c != '\'')
            return std::nullopt;
    }
    percent.remove_suffix(1);
    for (char c : percent) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        p.percent = p.percent * 10 + static_cast<unsigned>(c - '0');
    }
    if (p.percent > 100)
        return std::nullopt;
    return p;
}

void RsyncProgressFeed::operator()(std::string_view chunk) {
    for (char c : chunk) {
        if (c == '\r' || c == '\n') {
            line(m_partial);
            m_partial.clear();
        } else if (m_partial.size() < 4096) {
            m_partial += c;
        }
    }
}

void RsyncProgressFeed::line(std::string_view text) {
    auto p = parse_rsync_progress(text);
    if (!p)
        return;
    if (p->percent > 0 && p->percent < 100)
        m_meter.set_total(p->bytes * 200 / (2 * p->percent + 1));
    else if (p->percent == 100)
        m_meter.set_total(p->bytes);
    m_meter.set(p->bytes);
}

} // namespace pct::runtime::detail
