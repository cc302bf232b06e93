// SPDX-License-Identifier: AGPL-3.0-or-later
// Containers: Host, State, Status, ExecResult, ListEntry and the Container handle (a context
// manager; blocking liblxc calls release the GIL and touch no Python object meanwhile).
#include "progress.hpp"
#include "value.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/runtime/files.hpp>
#include <pct/runtime/restore.hpp>

#include <atomic>
#include <memory>
#include <mutex>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::runtime;

/// The Python handle: owns the liblxc reference until close(); calls are serialised because
/// threads may enter while the GIL is released.
class PyContainer {
  public:
    explicit PyContainer(Container ct) : m_ct(std::move(ct)), m_vmid(m_ct->vmid().value) {}

    template <class F> auto with(F&& f) {
        std::lock_guard lock(m_mutex);
        if (!m_ct) {
            throw Raised{error(Errc::bad_state,
                               "container handle for CT " + std::to_string(m_vmid) + " is closed")};
        }
        return f(*m_ct);
    }

    void close() {
        m_closed = true;
        std::lock_guard lock(m_mutex);
        m_ct.reset();
    }
    /// Never waits for a call in progress on another thread.
    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint32_t vmid() const { return m_vmid; }

  private:
    std::mutex m_mutex;
    std::optional<Container> m_ct;
    std::uint32_t m_vmid;
    std::atomic<bool> m_closed{false};
};

Vmid checked(std::uint64_t id) { return unwrap(storage::Host::check_vmid(id)); }

storage::Host host_or_default(const std::optional<storage::Host>& host) {
    return host ? *host : storage::Host("/");
}

using release = py::call_guard<py::gil_scoped_release>;

// A Python callable (None: nothing) hearing each log line while the work runs without the GIL.
std::function<void(std::string_view)> log_fn(const py::object& callable) {
    if (callable.is_none())
        return {};
    auto held = std::shared_ptr<py::object>(new py::object(callable), [](py::object* o) {
        py::gil_scoped_acquire gil;
        delete o;
    });
    return [held](std::string_view line) {
        py::gil_scoped_acquire gil;
        try {
            (*held)(std::string(line));
        } catch (py::error_already_set& e) {
            e.discard_as_unraisable("pypct log callback");
        }
    };
}

} // namespace

void bind_runtime(py::module_& m) {
    py::class_<MountReport>(m, "MountReport")
        .def(py::init<>())
        .def_readonly("path", &MountReport::path)
        .def_readonly("warnings", &MountReport::warnings)
        .def("__repr__", [](const MountReport& r) { return "MountReport(path='" + r.path + "')"; });
    py::class_<storage::Host> host(m, "Host");
    host.def(py::init([](const std::string& root) {
                 if (root.empty() || root.front() != '/') {
                     throw Raised{error(Errc::invalid_argument,
                                        "host root must be an absolute path, got '" + root + "'")};
                 }
                 return storage::Host(root);
             }),
             py::arg("root") = "/")
        .def_property_readonly("root", &storage::Host::root)
        .def(
            "config_path",
            [](const storage::Host& h, std::uint64_t id) { return h.config_path(checked(id)); },
            py::arg("vmid"))
        .def_property_readonly("lxcpath", &storage::Host::lxcpath)
        .def(
            "list", [](const storage::Host& h) { return runtime::list(h); }, release())
        .def("__repr__",
             [](const storage::Host& h) {
                 return "Host(root=" + py::repr(py::str(h.root())).cast<std::string>() + ")";
             })
        .def("__eq__",
             [](const storage::Host& a, const py::object& b) -> py::object {
                 if (!py::isinstance<storage::Host>(b))
                     return py::reinterpret_borrow<py::object>(Py_NotImplemented);
                 return py::bool_(a.root() == b.cast<const storage::Host&>().root());
             })
        .def("__copy__", [](const storage::Host& h) { return storage::Host(h); })
        .def(
            "__deepcopy__",
            [](const storage::Host& h, const py::object&) { return storage::Host(h); },
            py::arg("memo"));
    host.attr("__hash__") = py::none();

    py::enum_<State> state(m, "State");
    state.value("stopped", State::stopped)
        .value("starting", State::starting)
        .value("running", State::running)
        .value("stopping", State::stopping)
        .value("aborting", State::aborting)
        .value("freezing", State::freezing)
        .value("frozen", State::frozen)
        .value("thawed", State::thawed);
    def_enum_repr(state);

    py::class_<ListEntry> entry(m, "ListEntry");
    entry
        .def_property(
            "vmid", [](const ListEntry& e) { return e.vmid.value; },
            [](ListEntry& e, std::uint32_t v) { e.vmid.value = v; })
        .def_readwrite("state", &ListEntry::state)
        .def_readwrite("status", &ListEntry::status)
        .def_readwrite("lock", &ListEntry::lock)
        .def_readwrite("name", &ListEntry::name);
    def_value(entry, {"vmid", "state", "status", "lock", "name"},
              [](const ListEntry& a, const ListEntry& b) {
                  return a.vmid == b.vmid && a.state == b.state && a.status == b.status &&
                         a.lock == b.lock && a.name == b.name;
              });

    py::class_<Status> status(m, "Status");
    status
        .def_property(
            "vmid", [](const Status& s) { return s.vmid.value; },
            [](Status& s, std::uint32_t v) { s.vmid.value = v; })
        .def_readwrite("state", &Status::state)
        .def_readwrite("status", &Status::status)
        .def_readwrite("name", &Status::name)
        .def_readwrite("lock", &Status::lock)
        .def_readwrite("tags", &Status::tags)
        .def_readwrite("is_template", &Status::is_template)
        .def_readwrite("pid", &Status::pid)
        .def_readwrite("uptime", &Status::uptime)
        .def_readwrite("cpus", &Status::cpus)
        .def_readwrite("cpu", &Status::cpu)
        .def_readwrite("cpu_time_ns", &Status::cpu_time_ns)
        .def_readwrite("mem", &Status::mem)
        .def_readwrite("maxmem", &Status::maxmem)
        .def_readwrite("swap", &Status::swap)
        .def_readwrite("maxswap", &Status::maxswap)
        .def_readwrite("disk", &Status::disk)
        .def_readwrite("maxdisk", &Status::maxdisk)
        .def_readwrite("diskread", &Status::diskread)
        .def_readwrite("diskwrite", &Status::diskwrite)
        .def_readwrite("netin", &Status::netin)
        .def_readwrite("netout", &Status::netout)
        .def("verbose_text", &Status::verbose_text);
    def_value(status, {"vmid",        "state",     "status", "name",    "lock", "tags",
                       "is_template", "pid",       "uptime", "cpus",    "cpu",  "cpu_time_ns",
                       "mem",         "maxmem",    "swap",   "maxswap", "disk", "maxdisk",
                       "diskread",    "diskwrite", "netin",  "netout"},
              [](const Status& a, const Status& b) {
                  // verbose_text() holds every field but these (Proxmox prints no cpu).
                  return a.verbose_text() == b.verbose_text() && a.vmid == b.vmid &&
                         a.state == b.state && a.cpu == b.cpu && a.cpu_time_ns == b.cpu_time_ns;
              });

    // Output is bytes: commands may print anything, and decoding is the caller's choice.
    py::class_<ExecResult> exec(m, "ExecResult");
    exec.def_readwrite("exit_code", &ExecResult::exit_code)
        .def_readwrite("signal", &ExecResult::signal)
        .def_property(
            "out", [](const ExecResult& r) { return py::bytes(r.out); },
            [](ExecResult& r, const py::bytes& b) { r.out = b; })
        .def_property(
            "err", [](const ExecResult& r) { return py::bytes(r.err); },
            [](ExecResult& r, const py::bytes& b) { r.err = b; })
        // subprocess.CompletedProcess's names, so scripts written against subprocess.run
        // read a result of Container.exec unchanged (returncode is -N for a signal, as there).
        .def_property_readonly(
            "stdout", [](const ExecResult& r) { return py::bytes(r.out); },
            "The command's standard output (the same bytes as `out`).")
        .def_property_readonly(
            "stderr", [](const ExecResult& r) { return py::bytes(r.err); },
            "The command's standard error (the same bytes as `err`).")
        .def_property_readonly(
            "returncode",
            [](const ExecResult& r) { return r.signal != 0 ? -r.signal : r.exit_code; },
            "The exit status as subprocess.CompletedProcess gives it: -N when signal N "
            "killed the command, else `exit_code`.");
    def_value(exec, {"exit_code", "signal", "out", "err"},
              [](const ExecResult& a, const ExecResult& b) {
                  return a.exit_code == b.exit_code && a.signal == b.signal && a.out == b.out &&
                         a.err == b.err;
              });

    py::class_<PyContainer, std::unique_ptr<PyContainer>> ct(m, "Container");
    ct.def(py::init([](std::uint64_t id, std::optional<storage::Host> h) {
               Vmid vmid = checked(id);
               storage::Host where = host_or_default(h);
               py::gil_scoped_release unlocked;
               return std::make_unique<PyContainer>(unwrap(Container::open(where, vmid)));
           }),
           py::arg("vmid"), py::arg("host") = py::none())
        .def_static(
            "create",
            [](std::uint64_t id, std::string ostemplate, std::map<std::string, std::string> options,
               std::string storage, bool force, bool ignore_unpack_errors,
               std::optional<storage::Host> h, std::optional<std::string> password,
               std::string ssh_public_keys, bool start, bool unique, std::string pool) {
                Vmid vmid = checked(id);
                storage::Host where = host_or_default(h);
                CreateOptions create;
                create.ostemplate = std::move(ostemplate);
                create.options = std::move(options);
                create.storage = std::move(storage);
                create.force = force;
                create.ignore_unpack_errors = ignore_unpack_errors;
                create.password = std::move(password);
                create.ssh_public_keys = std::move(ssh_public_keys);
                create.start = start;
                create.unique = unique;
                create.pool = std::move(pool);
                py::gil_scoped_release unlocked;
                return std::make_unique<PyContainer>(unwrap(runtime::create(where, vmid, create)));
            },
            py::arg("vmid"), py::arg("ostemplate"),
            py::arg("options") = std::map<std::string, std::string>{}, py::arg("storage") = "local",
            py::arg("force") = false, py::arg("ignore_unpack_errors") = false,
            py::arg("host") = py::none(), py::kw_only(), py::arg("password") = py::none(),
            py::arg("ssh_public_keys") = "", py::arg("start") = false, py::arg("unique") = false,
            py::arg("pool") = "")
        .def_property_readonly("vmid", &PyContainer::vmid)
        .def_property_readonly("closed", &PyContainer::closed)
        .def_property_readonly(
            "state",
            py::cpp_function(
                [](PyContainer& c) { return c.with([](Container& x) { return x.state(); }); },
                release()))
        .def_property_readonly(
            "running",
            py::cpp_function(
                [](PyContainer& c) { return c.with([](Container& x) { return x.running(); }); },
                release()))
        .def_property_readonly(
            "init_pid",
            py::cpp_function(
                [](PyContainer& c) { return c.with([](Container& x) { return x.init_pid(); }); },
                release()))
        .def(
            "start",
            [](PyContainer& c, double timeout, bool skiplock, std::string log_level) {
                StartOptions o;
                o.timeout = std::chrono::milliseconds(static_cast<long>(timeout * 1000));
                o.skiplock = skiplock;
                o.log_level = std::move(log_level);
                return c.with([&](Container& x) { return unwrap(x.start(o)).warnings; });
            },
            py::arg("timeout") = 30.0, py::arg("skiplock") = false, py::arg("log_level") = "WARN",
            release())
        .def(
            "stop",
            [](PyContainer& c, bool skiplock, double timeout) {
                StopOptions o;
                o.skiplock = skiplock;
                o.timeout = std::chrono::milliseconds(static_cast<long>(timeout * 1000));
                c.with([&](Container& x) { unwrap(x.stop(o)); });
            },
            py::arg("skiplock") = false, py::arg("timeout") = 30.0, release())
        .def(
            "shutdown",
            [](PyContainer& c, double timeout, bool force) {
                ShutdownOptions o;
                o.timeout = std::chrono::seconds(static_cast<long>(timeout));
                o.force = force;
                c.with([&](Container& x) { unwrap(x.shutdown(o)); });
            },
            py::arg("timeout") = 60.0, py::arg("force") = false, release())
        .def(
            "reboot",
            [](PyContainer& c, double timeout, bool force) {
                ShutdownOptions o;
                o.timeout = std::chrono::seconds(static_cast<long>(timeout));
                o.force = force;
                return c.with([&](Container& x) { return unwrap(x.reboot(o)).warnings; });
            },
            py::arg("timeout") = 60.0, py::arg("force") = false, release())
        .def(
            "suspend", [](PyContainer& c) { c.with([](Container& x) { unwrap(x.suspend()); }); },
            release())
        .def(
            "resume", [](PyContainer& c) { c.with([](Container& x) { unwrap(x.resume()); }); },
            release())
        .def(
            "status",
            [](PyContainer& c) { return c.with([](Container& x) { return unwrap(x.status()); }); },
            release())
        .def(
            "exec",
            [](PyContainer& c, std::vector<std::string> argv, std::vector<std::string> env,
               bool keep_env, std::string cwd, std::optional<std::uint32_t> uid,
               std::optional<std::uint32_t> gid, const py::bytes& input,
               std::optional<double> timeout) {
                ExecOptions o;
                o.argv = std::move(argv);
                o.env = std::move(env);
                o.keep_env = keep_env;
                o.cwd = std::move(cwd);
                o.uid = uid;
                o.gid = gid;
                o.stdin_data = input; // converted while the GIL is held; no Python below
                if (timeout)
                    o.timeout = std::chrono::milliseconds(static_cast<long>(*timeout * 1000));
                py::gil_scoped_release unlocked;
                return c.with([&](Container& x) { return unwrap(x.exec(o)); });
            },
            py::arg("argv"), py::arg("env") = std::vector<std::string>{},
            py::arg("keep_env") = false, py::arg("cwd") = "/", py::arg("uid") = py::none(),
            py::arg("gid") = py::none(), py::arg("input") = py::bytes(),
            py::arg("timeout") = py::none())
        .def(
            "push",
            [](PyContainer& c, std::string source, std::string destination,
               std::optional<std::string> user, std::optional<std::string> group,
               std::optional<std::uint32_t> perms) {
                FileCopyOptions o{
                    .user = std::move(user), .group = std::move(group), .perms = perms};
                c.with([&](Container& x) { unwrap(runtime::push(x, source, destination, o)); });
            },
            py::arg("source"), py::arg("destination"), py::kw_only(), py::arg("user") = py::none(),
            py::arg("group") = py::none(), py::arg("perms") = py::none(), release(),
            "``pct push``: copies the host file ``source`` to ``destination`` inside the running "
            "container (resolved inside its root only; a symlink there is refused). ``user`` and "
            "``group`` (names from the container's passwd/group, or ids) default to its root; "
            "``perms`` (e.g. 0o640) to 0o644 for a new file.")
        .def(
            "pull",
            [](PyContainer& c, std::string source, std::string destination,
               std::optional<std::string> user, std::optional<std::string> group,
               std::optional<std::uint32_t> perms) {
                FileCopyOptions o{
                    .user = std::move(user), .group = std::move(group), .perms = perms};
                c.with([&](Container& x) { unwrap(runtime::pull(x, source, destination, o)); });
            },
            py::arg("source"), py::arg("destination"), py::kw_only(), py::arg("user") = py::none(),
            py::arg("group") = py::none(), py::arg("perms") = py::none(), release(),
            "``pct pull``: copies ``source`` inside the running container (symlinks followed "
            "inside its root only) to the host file ``destination`` (never through a symlink). "
            "``user``/``group`` are host accounts (default: the caller).")
        .def(
            "destroy",
            [](PyContainer& c, bool force) {
                c.with([&](Container& x) { unwrap(x.destroy({force, false})); });
            },
            py::arg("force") = false, release())
        .def(
            "lxc_log",
            [](PyContainer& c) { return c.with([](Container& x) { return x.lxc_log(); }); },
            release())
        .def(
            "mount",
            [](PyContainer& c) { return c.with([](Container& x) { return unwrap(x.mount()); }); },
            release())
        .def(
            "unmount", [](PyContainer& c) { c.with([](Container& x) { unwrap(x.unmount()); }); },
            release())
        .def("close", &PyContainer::close, release())
        .def(
            "__enter__", [](PyContainer& c) -> PyContainer& { return c; },
            py::return_value_policy::reference)
        .def("__exit__",
             [](PyContainer& c, const py::object&, const py::object&, const py::object&) {
                 py::gil_scoped_release unlocked;
                 c.close();
                 return false;
             })
        .def("__repr__", [](PyContainer& c) {
            std::string out = "<pypct.Container vmid=" + std::to_string(c.vmid());
            if (c.closed())
                return out + " closed>";
            State s;
            {
                py::gil_scoped_release unlocked;
                s = c.with([](Container& x) { return x.state(); });
            }
            return out + " state='" + to_string(s) + "'>";
        });

    m.def(
        "list_containers",
        [](std::optional<storage::Host> h) {
            storage::Host where = host_or_default(h);
            py::gil_scoped_release unlocked;
            return unwrap(runtime::list(where));
        },
        py::arg("host") = py::none());
    m.def(
        "settable_at_create", [](std::string_view key) { return runtime::settable_at_create(key); },
        py::arg("key"));

    m.def(
        "restore",
        [](std::uint64_t id, std::string archive, std::map<std::string, std::string> options,
           std::string storage, bool unique, bool ignore_unpack_errors, bool force, bool start,
           std::uint64_t bwlimit, const py::object& progress, const py::object& log, int input_fd,
           std::optional<storage::Host> h) {
            Vmid vmid = checked(id);
            storage::Host where = host_or_default(h);
            RestoreOptions r;
            r.archive = std::move(archive);
            r.options = std::move(options);
            r.storage = std::move(storage);
            r.unique = unique;
            r.ignore_unpack_errors = ignore_unpack_errors;
            r.force = force;
            r.start = start;
            r.bwlimit_kib = bwlimit;
            r.progress = progress_fn(progress);
            r.log = log_fn(log);
            r.input_fd = input_fd;
            py::gil_scoped_release unlocked;
            return std::make_unique<PyContainer>(unwrap(runtime::restore(where, vmid, r)));
        },
        "Restores a vzdump backup into container ``vmid`` (``pct restore``), stopped unless "
        "``start``.",
        py::arg("vmid"), py::arg("archive"), py::kw_only(),
        py::arg("options") = std::map<std::string, std::string>{}, py::arg("storage") = "local",
        py::arg("unique") = false, py::arg("ignore_unpack_errors") = false,
        py::arg("force") = false, py::arg("start") = false, py::arg("bwlimit") = 0,
        py::arg("progress") = py::none(), py::arg("log") = py::none(), py::arg("input_fd") = -1,
        py::arg("host") = py::none());
    m.def(
        "read_backup_config",
        [](const std::string& archive) { return unwrap(runtime::read_backup_config(archive)); },
        "The text of the first ``./etc/vzdump/pct.conf`` in a backup archive file.",
        py::arg("archive"), release());
    m.def(
        "merge_restored_config",
        [](const ContainerConfig& archived, ContainerConfig given, bool root, bool unique) {
            MergeOptions o;
            o.root = root;
            o.unique = unique;
            return unwrap(runtime::merge_restored_config(archived, std::move(given), o));
        },
        "Proxmox's restore merge (sanitize_and_merge_config) of a backup's config into a new one.",
        py::arg("archived"), py::arg("given"), py::kw_only(), py::arg("root") = true,
        py::arg("unique") = false);
}

} // namespace pypct
