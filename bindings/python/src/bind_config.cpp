// SPDX-License-Identifier: AGPL-3.0-or-later
// Config files: LxcEntry, Section, ContainerConfig, Diagnostic, ParsedConfig (a parsed file
// that keeps its text for lossless edits through pct::edit), validation.
#include "value.hpp"

#include <pct/edit.hpp>
#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>
#include <pct/render/properties.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/validate.hpp>

#include <algorithm>
namespace pypct {

namespace {

using namespace pct;

/// A parsed file with its text: a `storage::ConfigDocument` (lossless edits, locked and
/// digest-checked saves) and the digest pypct reports.
struct ConfigFile {
    storage::ConfigDocument doc;
    std::string digest; ///< of the text as first parsed (or the caller's)

    friend bool operator==(const ConfigFile& a, const ConfigFile& b) {
        const parse::ConfigOptions& x = a.doc.options();
        const parse::ConfigOptions& y = b.doc.options();
        return a.doc.parsed() == b.doc.parsed() && a.doc.text() == b.doc.text() &&
               a.digest == b.digest && x.vmid == y.vmid && x.strict == y.strict && x.file == y.file;
    }
};

/// The value a model Section stores for an option set from Python: the file parser's type check
/// (`yes` -> `1`). A Section does not know its name, so the section-dependent checks of
/// `edit::checked_value` (which `ParsedConfig.set` uses) cannot apply here.
Result<std::string> section_value(std::string_view key, std::string_view value) {
    if (key == "delete" || key == "snapstate" || key == "env")
        return std::string(value);
    auto normalized = parse::check_type(key, value);
    if (!normalized) {
        Error e = normalized.error();
        e.code = Errc::invalid_argument;
        if (e.key.empty())
            e.key = std::string(key);
        return std::unexpected(std::move(e));
    }
    return normalized;
}

/// Python holds text as `str`, so a config that is not UTF-8 could be read but none of its
/// strings returned (a bare UnicodeDecodeError at the first access): such text (from a file,
/// or `bytes` given to `parse`) is refused up front with a ParseError naming the byte offset,
/// line and key of the first bad byte. Python's own strict decoder decides what is UTF-8.
void require_utf8(std::string_view text, const parse::ConfigOptions& options) {
    if (std::none_of(text.begin(), text.end(), [](char c) { return (c & 0x80) != 0; }))
        return;
    PyObject* decoded =
        PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "strict");
    if (decoded) {
        Py_DECREF(decoded);
        return;
    }
    py::error_already_set error;
    Py_ssize_t start = 0;
    if (!error.matches(PyExc_UnicodeDecodeError) ||
        PyUnicodeDecodeError_GetStart(error.value().ptr(), &start) != 0)
        throw error;
    throw Raised{
        parse::byte_error(text, static_cast<std::size_t>(start), "invalid UTF-8", options)};
}

Result<ConfigFile> parse_file(std::string text, std::uint32_t vmid, bool strict, std::string file) {
    parse::ConfigOptions options;
    options.vmid = vmid;
    options.strict = strict;
    options.file = std::move(file);
    require_utf8(text, options);
    auto doc = storage::ConfigDocument::parse(std::move(text), std::move(options));
    if (!doc)
        return std::unexpected(std::move(doc).error());
    ConfigFile f{std::move(*doc), {}};
    f.digest = f.doc.parsed().digest.str();
    return f;
}

Result<ConfigFile> load_file(const std::string& path, std::optional<std::uint32_t> vmid,
                             bool strict) {
    parse::ConfigOptions options;
    options.vmid = vmid ? *vmid : 0;
    options.strict = strict;
    auto doc = storage::ConfigDocument::load(path, options);
    if (!doc)
        return std::unexpected(std::move(doc).error());
    options.file = path;
    require_utf8(doc->text(), options);
    ConfigFile f{std::move(*doc), {}};
    f.digest = f.doc.parsed().digest.str();
    return f;
}

Section& section_of(ContainerConfig& c, std::string_view name) {
    if (name.empty())
        return c.main;
    if (name == "pve:pending")
        return c.pending;
    auto it = c.snapshots.find(name);
    if (it == c.snapshots.end()) {
        throw Raised{error(Errc::not_found, "snapshot '" + std::string(name) + "' does not exist")};
    }
    return it->second;
}

void section_set(Section& s, const std::string& key, const std::string& value) {
    if (key == "description") {
        s.description = value;
        return;
    }
    if (edit::is_lxc_key(key))
        throw Raised{error(Errc::invalid_argument,
                           "raw lxc keys are entries of Section.lxc, not options", {.key = key})};
    s.options[key] = unwrap(section_value(key, value));
}

} // namespace

void bind_config(py::module_& m) {
    py::class_<LxcEntry> lxc(m, "LxcEntry");
    lxc.def_readwrite("key", &LxcEntry::key).def_readwrite("value", &LxcEntry::value);
    def_value(lxc, {"key", "value"});

    // A Section is also a small mapping over `options`; item assignment runs the file
    // parser's type check so that what is stored is what Proxmox would have read.
    py::class_<Section> section(m, "Section");
    section.def_readwrite("options", &Section::options)
        .def_readwrite("description", &Section::description)
        .def_readwrite("lxc", &Section::lxc)
        .def(
            "get",
            [](const Section& s, std::string_view key, py::object fallback) -> py::object {
                auto v = s.get(key);
                return v ? py::str(std::string(*v)) : fallback;
            },
            py::arg("key"), py::arg("default") = py::none())
        .def("__getitem__",
             [](const Section& s, std::string_view key) {
                 auto v = s.get(key);
                 if (!v)
                     throw py::key_error(std::string(key));
                 return std::string(*v);
             })
        .def("__setitem__", &section_set)
        .def("__delitem__",
             [](Section& s, const std::string& key) {
                 if (s.options.erase(key) == 0)
                     throw py::key_error(key);
             })
        .def("__contains__",
             [](const Section& s, std::string_view key) { return s.options.contains(key); })
        .def("__len__", [](const Section& s) { return s.options.size(); })
        .def(
            "__iter__",
            [](const Section& s) {
                return py::make_key_iterator(s.options.begin(), s.options.end());
            },
            py::keep_alive<0, 1>())
        .def("keys",
             [](const Section& s) {
                 std::vector<std::string> keys;
                 for (const auto& [k, v] : s.options)
                     keys.push_back(k);
                 return keys;
             })
        .def("items",
             [](const Section& s) {
                 std::vector<std::pair<std::string, std::string>> items(s.options.begin(),
                                                                        s.options.end());
                 return items;
             })
        .def("empty", &Section::empty)
        .def("settings", [](const Section& s) { return parse::settings(s); })
        .def_static(
            "from_settings", [](const ContainerSettings& s) { return render::settings(s); },
            py::arg("settings"));
    def_value(section, {"options", "description", "lxc"});

    // main/pending are returned by reference (views), snapshots as a dict copy (stl.h).
    py::class_<ContainerConfig> config(m, "ContainerConfig");
    config.def_readwrite("main", &ContainerConfig::main)
        .def_readwrite("pending", &ContainerConfig::pending)
        .def_readwrite("snapshots", &ContainerConfig::snapshots)
        .def_static(
            "parse",
            [](std::string_view text, std::uint32_t vmid, bool strict) {
                parse::ConfigOptions options;
                options.vmid = vmid;
                options.strict = strict;
                require_utf8(text, options);
                return std::move(unwrap(parse::config(text, options)).config);
            },
            py::arg("text"), py::arg("vmid") = 100, py::arg("strict") = false)
        .def_static(
            "load",
            [](const std::string& path, std::optional<std::uint32_t> vmid, bool strict) {
                return unwrap(load_file(path, vmid, strict)).doc.config();
            },
            py::arg("path"), py::arg("vmid") = py::none(), py::arg("strict") = false)
        .def("render", [](const ContainerConfig& c) { return render::config(c); })
        .def("__str__", [](const ContainerConfig& c) { return unwrap(render::config(c)); })
        .def("validate", [](const ContainerConfig& c) { return validate::config(c); })
        .def("section", &section_of, py::arg("name") = "",
             py::return_value_policy::reference_internal);
    def_value(config, {"main", "pending", "snapshots"});

    py::enum_<DiagCode> diag_code(m, "DiagCode");
    diag_code.value("invalid_line", DiagCode::invalid_line)
        .value("unknown_key", DiagCode::unknown_key)
        .value("invalid_value", DiagCode::invalid_value)
        .value("delete_outside_pending", DiagCode::delete_outside_pending)
        .value("lxc_key_rejected", DiagCode::lxc_key_rejected)
        .value("lxc_key_deprecated", DiagCode::lxc_key_deprecated);
    def_enum_repr(diag_code);

    py::class_<Diagnostic> diag(m, "Diagnostic");
    diag.def_readwrite("code", &Diagnostic::code)
        .def_readwrite("message", &Diagnostic::message)
        .def_readwrite("line", &Diagnostic::line)
        .def_readwrite("column", &Diagnostic::column)
        .def_readwrite("key", &Diagnostic::key)
        .def_readwrite("subkey", &Diagnostic::subkey)
        .def_readwrite("section", &Diagnostic::section)
        .def("__str__", [](const Diagnostic& d) { return d.message; });
    def_value(diag, {"code", "message", "line", "column", "key", "subkey", "section"});

    py::class_<ConfigFile> file(m, "ParsedConfig");
    file.def(py::init([](std::string_view text, std::uint32_t vmid, bool strict, std::string path,
                         std::optional<std::string> digest) {
                 ConfigFile f =
                     unwrap(parse_file(std::string(text), vmid, strict, std::move(path)));
                 if (digest) {
                     f.digest = *digest;
                     f.doc.set_base_digest(*digest);
                 }
                 return f;
             }),
             py::arg("text") = "", py::arg("vmid") = 100, py::arg("strict") = false,
             py::arg("file") = "", py::arg("digest") = py::none())
        .def_static(
            "parse",
            [](std::string_view text, std::uint32_t vmid, bool strict) {
                return parse_file(std::string(text), vmid, strict, {});
            },
            py::arg("text"), py::arg("vmid") = 100, py::arg("strict") = false)
        .def_static("load", &load_file, py::arg("path"), py::arg("vmid") = py::none(),
                    py::arg("strict") = false)
        // A copy: editing it could not reach the text, so edits go through set()/delete().
        .def_property_readonly("config", [](const ConfigFile& f) { return f.doc.config(); })
        .def_property_readonly("digest", [](const ConfigFile& f) { return f.digest; })
        .def_property_readonly("warnings",
                               [](const ConfigFile& f) { return f.doc.parsed().warnings; })
        .def_property_readonly("text", [](const ConfigFile& f) { return f.doc.text(); })
        .def_property_readonly("vmid", [](const ConfigFile& f) { return f.doc.options().vmid; })
        .def_property_readonly("strict", [](const ConfigFile& f) { return f.doc.options().strict; })
        .def_property_readonly("file", [](const ConfigFile& f) { return f.doc.options().file; })
        .def(
            "get",
            [](const ConfigFile& f, std::string_view key,
               const std::string& section) -> py::object {
                const Section* s = f.doc.section(section);
                if (!s)
                    return py::none();
                if (key == "description")
                    return s->description.empty() ? py::object(py::none())
                                                  : py::str(s->description);
                if (auto v = s->get(key))
                    return py::str(std::string(*v));
                return py::none();
            },
            py::arg("key"), py::arg("section") = "")
        .def(
            "set",
            [](ConfigFile& f, const std::string& key, std::string_view value,
               const std::string& section) { unwrap(f.doc.set(section, key, value)); },
            py::arg("key"), py::arg("value"), py::arg("section") = "")
        .def(
            "delete",
            [](ConfigFile& f, const std::string& key, const std::string& section) {
                unwrap(f.doc.remove(section, key));
            },
            py::arg("key"), py::arg("section") = "")
        .def("pending_deletes",
             [](const ConfigFile& f) { return edit::pending_deletes(f.doc.text()); })
        .def(
            "pending_delete_add",
            [](ConfigFile& f, std::string_view key, bool force) {
                unwrap(f.doc.pending_delete_add(key, force));
            },
            py::arg("key"), py::arg("force") = false)
        .def(
            "pending_delete_remove",
            [](ConfigFile& f, std::string_view key) { unwrap(f.doc.pending_delete_remove(key)); },
            py::arg("key"))
        .def("render", [](const ConfigFile& f) { return render::config(f.doc.config()); })
        .def("__str__", [](const ConfigFile& f) { return unwrap(render::config(f.doc.config())); })
        .def(
            "save",
            [](const ConfigFile& f, std::optional<std::string> path, bool lossless) {
                std::string target = path ? *path : f.doc.path();
                if (target.empty())
                    throw Raised{error(Errc::invalid_argument,
                                       "no path given and the config was not loaded from a file",
                                       {.key = ""})};
                std::string text = lossless ? f.doc.text() : unwrap(render::config(f.doc.config()));
                unwrap(f.doc.save(target, text));
            },
            py::arg("path") = py::none(), py::arg("lossless") = true)
        .def("validate", [](const ConfigFile& f) { return validate::config(f.doc.config()); })
        // The digest is only spelled out when edits made it differ from the text's own.
        .def("__repr__",
             [](const ConfigFile& f) {
                 const parse::ConfigOptions& o = f.doc.options();
                 std::string out =
                     "ParsedConfig(text=" + py::repr(py::str(f.doc.text())).cast<std::string>();
                 out += ", vmid=" + std::to_string(o.vmid);
                 if (o.strict)
                     out += ", strict=True";
                 if (!o.file.empty())
                     out += ", file=" + py::repr(py::str(o.file)).cast<std::string>();
                 if (f.digest != f.doc.parsed().digest)
                     out += ", digest='" + f.digest + "'";
                 return out + ")";
             })
        .def("__eq__",
             [](const ConfigFile& self, const py::object& other) -> py::object {
                 if (!py::isinstance<ConfigFile>(other))
                     return py::reinterpret_borrow<py::object>(Py_NotImplemented);
                 return py::bool_(self == other.cast<const ConfigFile&>());
             })
        .def("__copy__", [](const ConfigFile& f) { return ConfigFile(f); })
        .def(
            "__deepcopy__", [](const ConfigFile& f, const py::object&) { return ConfigFile(f); },
            py::arg("memo"));
    file.attr("__hash__") = py::none();

    m.def(
        "validate_value",
        [](std::string_view key, std::string_view value) { return validate::value(key, value); },
        py::arg("key"), py::arg("value"));
    m.def(
        "validate_vmid",
        [](std::uint64_t id) -> Result<std::uint32_t> {
            auto v = validate::vmid(id);
            if (!v)
                return std::unexpected(std::move(v).error());
            return v->value;
        },
        py::arg("vmid"));
    m.def(
        "check_type",
        [](std::string_view key, std::string_view value) -> Result<std::string> {
            auto r = parse::check_type(key, value);
            if (!r) {
                Error e = r.error();
                if (e.key.empty())
                    e.key = std::string(key);
                return std::unexpected(std::move(e));
            }
            return r;
        },
        py::arg("key"), py::arg("value"));
    m.def("encode_text", &render::encode_text, py::arg("text"));
    m.def("decode_text", &parse::decode_text, py::arg("text"));
    m.def("vmid_from_path", &parse::vmid_from_path, py::arg("path"));
}

} // namespace pypct
