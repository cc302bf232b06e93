// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/runtime/progress.hpp>

#include <utility>

namespace pct::runtime {

ProgressMeter::ProgressMeter(ProgressFn fn, std::string phase, std::uint64_t total,
                             Clock::duration interval)
    : m_fn(std::move(fn)), m_interval(interval), m_start(Clock::now()), m_last(m_start) {
    m_report.phase = std::move(phase);
    m_report.total = total;
}

void ProgressMeter::add(std::uint64_t bytes) { set(m_report.bytes + bytes); }

void ProgressMeter::set(std::uint64_t bytes) {
    m_report.bytes = bytes;
    if (!m_fn || m_finished)
        return;
    auto now = Clock::now();
    if (now - m_last >= m_interval)
        report(now);
}

void ProgressMeter::finish() {
    if (!m_fn || m_finished)
        return;
    m_finished = true;
    m_report.done = true;
    report(Clock::now());
}

void ProgressMeter::report(Clock::time_point now) {
    m_last = now;
    double seconds = std::chrono::duration<double>(now - m_start).count();
    m_report.rate = seconds > 0 ? static_cast<double>(m_report.bytes) / seconds : 0;
    if (m_report.done)
        m_report.eta_seconds = 0.0;
    else if (m_report.total > m_report.bytes && m_report.rate > 0)
        m_report.eta_seconds = static_cast<double>(m_report.total - m_report.bytes) / m_report.rate;
    else
        m_report.eta_seconds.reset();
    m_fn(m_report);
}

} // namespace pct::runtime
