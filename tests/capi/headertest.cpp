// SPDX-License-Identifier: AGPL-3.0-or-later
// pct.h compiled as C++: declarations are extern "C" and noexcept, the initializers are valid
// C++, and a minimal call sequence links and runs.
#include <pct/pct.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(noexcept(pct_config_new(nullptr)), "C functions are noexcept in C++");
static_assert(noexcept(pct_error_last_message()), "C functions are noexcept in C++");
static_assert(std::is_standard_layout_v<pct_config_options>);
static_assert(std::is_standard_layout_v<pct_lxc_options>);
static_assert(offsetof(pct_config_options, version) == 0, "version is the first member");
static_assert(offsetof(pct_lxc_options, version) == 0, "version is the first member");

int main() {
    pct_config_options options = PCT_CONFIG_OPTIONS_INIT;
    pct_lxc_options lxc = PCT_LXC_OPTIONS_INIT;
    if (options.version != PCT_CONFIG_OPTIONS_VERSION || lxc.version != PCT_LXC_OPTIONS_VERSION)
        return 1;
    pct_config* cfg = nullptr;
    if (pct_config_parse(&cfg, "memory: 512\n", &options) != PCT_OK)
        return 2;
    const char* value = nullptr;
    int rc = pct_config_get(&value, nullptr, cfg, PCT_SECTION_MAIN, "memory");
    bool ok = rc == PCT_OK && std::strcmp(value, "512") == 0;
    pct_config_free(cfg);
    if (std::strcmp(pct_version(), "") == 0 || pct_version_number() != PCT_VERSION_NUMBER)
        return 3;
    std::printf("headertest: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 4;
}
