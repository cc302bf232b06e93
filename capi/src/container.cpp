// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "container": host layouts and the container lifecycle through pct::runtime.
#include "config_impl.hpp"

#include <pct/runtime/create.hpp>

#include <cstddef>
#include <cstring>

using namespace pct::capi;

namespace {

// Runs `call(container)` under the handle's lock (the handles serialise their calls).
template <class H, class Call> int locked(H* ct, Call&& call) {
    if (!ct)
        return null_argument("ct");
    std::lock_guard lock(ct->m_mutex);
    return call(ct->ct);
}

pct::runtime::ShutdownOptions shutdown_options(uint32_t timeout_s, int32_t force) {
    pct::runtime::ShutdownOptions options;
    if (timeout_s)
        options.timeout = std::chrono::seconds(timeout_s);
    options.force = force != 0;
    return options;
}

// The command and the caller's exec options (NULL = defaults) as runtime options.
pct::Result<pct::runtime::ExecOptions> exec_options(const char* const* argv,
                                                    const pct_exec_options* options) {
    auto read = options_or_defaults(options, pct_exec_options_init, "pct_exec_options",
                                    PCT_EXEC_OPTIONS_VERSION);
    if (!read)
        return std::unexpected(std::move(read).error());
    const pct_exec_options& o = *read;
    pct::runtime::ExecOptions exec;
    for (const char* const* a = argv; *a; ++a)
        exec.argv.emplace_back(*a);
    for (const char* const* e = o.env; e && *e; ++e)
        exec.env.emplace_back(*e);
    exec.keep_env = o.keep_env != 0;
    if (o.cwd)
        exec.cwd = o.cwd;
    if (o.uid >= 0)
        exec.uid = static_cast<std::uint32_t>(o.uid);
    if (o.gid >= 0)
        exec.gid = static_cast<std::uint32_t>(o.gid);
    if (o.stdin_data)
        exec.stdin_data = o.stdin_data;
    if (o.timeout_ms)
        exec.timeout = std::chrono::milliseconds(o.timeout_ms);
    return exec;
}

// The lifecycle option structs (NULL = defaults) as runtime options; 0 means the default.
pct::Result<pct::runtime::StartOptions> start_options(const pct_start_options* options) {
    auto read = options_or_defaults(options, pct_start_options_init, "pct_start_options",
                                    PCT_START_OPTIONS_VERSION);
    if (!read)
        return std::unexpected(std::move(read).error());
    pct::runtime::StartOptions start;
    start.skiplock = read->skiplock != 0;
    if (read->timeout_ms)
        start.timeout = std::chrono::milliseconds(read->timeout_ms);
    if (read->log_level)
        start.log_level = read->log_level;
    return start;
}

pct::Result<pct::runtime::StopOptions> stop_options(const pct_stop_options* options) {
    auto read = options_or_defaults(options, pct_stop_options_init, "pct_stop_options",
                                    PCT_STOP_OPTIONS_VERSION);
    if (!read)
        return std::unexpected(std::move(read).error());
    pct::runtime::StopOptions stop;
    stop.skiplock = read->skiplock != 0;
    if (read->timeout_ms)
        stop.timeout = std::chrono::milliseconds(read->timeout_ms);
    return stop;
}

// Starts with `options` under the handle's lock; the warnings go to `warnings_out`.
int start_with(pct_string_list** warnings_out, pct_container* ct,
               const pct::runtime::StartOptions& options) {
    if (warnings_out)
        *warnings_out = nullptr;
    return locked(ct, [&](pct::runtime::Container& c) {
        auto report = c.start(options);
        if (!report)
            return set_error(report.error());
        if (warnings_out)
            *warnings_out = new pct_string_list{std::move(report->warnings)};
        return PCT_OK;
    });
}

pct_container* new_container(pct::runtime::Container&& ct) {
    return new pct_container{std::move(ct), {}};
}

} // namespace

extern "C" {

const char* pct_state_name(int state) noexcept {
    if (state < PCT_STATE_STOPPED || state > PCT_STATE_THAWED)
        return "UNKNOWN";
    return pct::runtime::to_string(static_cast<pct::runtime::State>(state));
}

int pct_host_open(pct_host** out, const char* root) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        std::string dir = root ? root : "/";
        if (dir.empty() || dir.front() != '/')
            return set_error(error(pct::Errc::invalid_argument,
                                   "host root must be an absolute path, got '" + dir + "'"));
        *out = new pct_host{pct::storage::Host(dir)};
        return PCT_OK;
    });
}

const char* pct_host_root(const pct_host* host) noexcept {
    return host ? host->host.root().c_str() : null_argument_value<const char*>(nullptr, "host");
}

int pct_host_list(pct_string_list** out, const pct_host* host) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        return deliver(out, host->host.list(), [](std::vector<pct::Vmid>&& ids) {
            auto* list = new pct_string_list();
            for (pct::Vmid id : ids)
                list->items.push_back(std::to_string(id.value));
            return list;
        });
    });
}

void pct_host_free(pct_host* host) noexcept { delete host; }

namespace {

// The bytes of a pct_create_options of `version`: version 1 ends before `password`.
std::size_t create_options_size(std::uint32_t version) noexcept {
    return version >= 2 ? sizeof(pct_create_options) : offsetof(pct_create_options, password);
}

} // namespace

int pct_create_options_init(pct_create_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_CREATE_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_create_options", version, PCT_CREATE_OPTIONS_VERSION));
        // Only the fields of the caller's version: an older caller's struct is smaller.
        pct_create_options defaults{};
        defaults.version = version;
        std::memcpy(options, &defaults, create_options_size(version));
        return PCT_OK;
    });
}

int pct_create_key_settable(const char* key) noexcept {
    return key && pct::runtime::settable_at_create(key) ? 1 : 0;
}

int pct_container_create(pct_container** out, const pct_host* host, uint32_t vmid,
                         const pct_create_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"options", options}}); rc != PCT_OK)
            return rc;
        if (!supported_version(options->version, PCT_CREATE_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_create_options", options->version,
                                                 PCT_CREATE_OPTIONS_VERSION));
        if (!options->ostemplate)
            return null_argument("options->ostemplate");
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        pct::runtime::CreateOptions create;
        create.ostemplate = options->ostemplate;
        if (options->storage)
            create.storage = options->storage;
        if (options->config) {
            const pct::Section& main = options->config->doc.config().main;
            for (const auto& [key, value] : main.options)
                create.options.emplace(key, value);
            if (!main.description.empty()) // the config's comment lines
                create.options.emplace("description", main.description);
        }
        create.force = options->force != 0;
        create.ignore_unpack_errors = options->ignore_unpack_errors != 0;
        if (options->version >= 2) {
            if (options->password)
                create.password = options->password;
            if (options->ssh_public_keys)
                create.ssh_public_keys = options->ssh_public_keys;
            create.start = options->start != 0;
            create.unique = options->unique != 0;
            if (options->pool)
                create.pool = options->pool;
        }
        return deliver(out, pct::runtime::create(host->host, *id, create), new_container);
    });
}

int pct_container_open(pct_container** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        return deliver(out, pct::runtime::Container::open(host->host, *id), new_container);
    });
}

void pct_container_free(pct_container* ct) noexcept { delete ct; }

uint32_t pct_container_vmid(const pct_container* ct) noexcept {
    return ct ? ct->ct.vmid().value : null_argument_value<uint32_t>(0, "ct");
}

int pct_container_state(const pct_container* ct) noexcept {
    return guard([&] {
        return locked(ct,
                      [](const pct::runtime::Container& c) { return static_cast<int>(c.state()); });
    });
}

int pct_container_init_pid(const pct_container* ct) noexcept {
    if (!ct)
        return 0;
    try {
        std::lock_guard lock(ct->m_mutex);
        return ct->ct.init_pid();
    } catch (...) {
        set_error(PCT_EINTERNAL, "init_pid failed");
        return 0;
    }
}

int pct_container_start(pct_string_list** warnings_out, pct_container* ct,
                        uint32_t timeout_ms) noexcept {
    return guard([&] {
        pct::runtime::StartOptions options;
        if (timeout_ms)
            options.timeout = std::chrono::milliseconds(timeout_ms);
        return start_with(warnings_out, ct, options);
    });
}

int pct_start_options_init(pct_start_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_START_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_start_options", version, PCT_START_OPTIONS_VERSION));
        *options = pct_start_options{version, 0, 0, nullptr};
        return PCT_OK;
    });
}

int pct_container_start_opts(pct_string_list** warnings_out, pct_container* ct,
                             const pct_start_options* options) noexcept {
    return guard([&] {
        if (warnings_out)
            *warnings_out = nullptr;
        auto start = start_options(options);
        if (!start)
            return set_error(start.error());
        return start_with(warnings_out, ct, *start);
    });
}

int pct_container_stop(pct_container* ct, int32_t skiplock) noexcept {
    return guard([&] {
        return locked(ct, [&](pct::runtime::Container& c) {
            pct::runtime::StopOptions options;
            options.skiplock = skiplock != 0;
            return status(c.stop(options));
        });
    });
}

int pct_stop_options_init(pct_stop_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_STOP_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_stop_options", version, PCT_STOP_OPTIONS_VERSION));
        *options = pct_stop_options{version, 0, 0};
        return PCT_OK;
    });
}

int pct_container_stop_opts(pct_container* ct, const pct_stop_options* options) noexcept {
    return guard([&] {
        auto stop = stop_options(options);
        if (!stop)
            return set_error(stop.error());
        return locked(ct, [&](pct::runtime::Container& c) { return status(c.stop(*stop)); });
    });
}

int pct_container_shutdown(pct_container* ct, uint32_t timeout_s, int32_t force) noexcept {
    return guard([&] {
        return locked(ct, [&](pct::runtime::Container& c) {
            return status(c.shutdown(shutdown_options(timeout_s, force)));
        });
    });
}

int pct_shutdown_options_init(pct_shutdown_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_SHUTDOWN_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_shutdown_options", version, PCT_SHUTDOWN_OPTIONS_VERSION));
        *options = pct_shutdown_options{version, 0, 0};
        return PCT_OK;
    });
}

int pct_container_shutdown_opts(pct_container* ct, const pct_shutdown_options* options) noexcept {
    return guard([&] {
        auto read = options_or_defaults(options, pct_shutdown_options_init, "pct_shutdown_options",
                                        PCT_SHUTDOWN_OPTIONS_VERSION);
        if (!read)
            return set_error(read.error());
        return locked(ct, [&](pct::runtime::Container& c) {
            return status(c.shutdown(shutdown_options(read->timeout_s, read->force)));
        });
    });
}

int pct_container_reboot(pct_container* ct, uint32_t timeout_s, int32_t force) noexcept {
    return guard([&] {
        return locked(ct, [&](pct::runtime::Container& c) {
            return status(c.reboot(shutdown_options(timeout_s, force)));
        });
    });
}

int pct_container_suspend(pct_container* ct) noexcept {
    return guard(
        [&] { return locked(ct, [](pct::runtime::Container& c) { return status(c.suspend()); }); });
}

int pct_container_resume(pct_container* ct) noexcept {
    return guard(
        [&] { return locked(ct, [](pct::runtime::Container& c) { return status(c.resume()); }); });
}

int pct_container_status(char** out, const pct_container* ct) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        return locked(ct, [&](const pct::runtime::Container& c) {
            return deliver(out, c.status(),
                           [](const auto& st) { return dup_string(st.verbose_text()); });
        });
    });
}

int pct_exec_options_init(pct_exec_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_EXEC_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_exec_options", version, PCT_EXEC_OPTIONS_VERSION));
        *options = pct_exec_options{version, nullptr, 0, nullptr, -1, -1, nullptr, 0};
        return PCT_OK;
    });
}

int pct_container_exec(pct_exec_result** out, pct_container* ct, const char* const* argv,
                       const pct_exec_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"ct", ct}, {"argv", argv}}); rc != PCT_OK)
            return rc;
        auto exec = exec_options(argv, options);
        if (!exec)
            return set_error(exec.error());
        return locked(ct, [&](pct::runtime::Container& c) {
            return deliver(out, c.exec(*exec), [](pct::runtime::ExecResult&& result) {
                return new pct_exec_result{std::move(result)};
            });
        });
    });
}

int pct_exec_result_exit_code(const pct_exec_result* result) noexcept {
    return result ? result->result.exit_code : -1;
}

int pct_exec_result_signal(const pct_exec_result* result) noexcept {
    return result ? result->result.signal : 0;
}

const char* pct_exec_result_stdout(const pct_exec_result* result, size_t* length_out) noexcept {
    if (length_out)
        *length_out = result ? result->result.out.size() : 0;
    return result ? result->result.out.c_str() : nullptr;
}

const char* pct_exec_result_stderr(const pct_exec_result* result, size_t* length_out) noexcept {
    if (length_out)
        *length_out = result ? result->result.err.size() : 0;
    return result ? result->result.err.c_str() : nullptr;
}

void pct_exec_result_free(pct_exec_result* result) noexcept { delete result; }

int pct_container_destroy(pct_container* ct, int32_t force) noexcept {
    return guard([&] {
        return locked(ct, [&](pct::runtime::Container& c) {
            pct::runtime::DestroyOptions options;
            options.force = force != 0;
            return status(c.destroy(options));
        });
    });
}

int pct_container_lxc_log(char** out, const pct_container* ct) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        return locked(ct, [&](const pct::runtime::Container& c) {
            *out = dup_string(c.lxc_log());
            return PCT_OK;
        });
    });
}

} // extern "C"
