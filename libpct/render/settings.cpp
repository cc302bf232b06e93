// SPDX-License-Identifier: AGPL-3.0-or-later
// render::settings: every typed field back into its stored form. Each value is run through
// check_type, so whatever this writes reads back (parse::settings(render::settings(x)) == x).
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

namespace pct::render {
namespace {

class Writer {
  public:
    std::optional<Error> put(std::string key, std::string value) {
        auto checked = parse::check_type(key, value);
        if (!checked) {
            checked.error().code = Errc::invalid_argument;
            return std::move(checked.error());
        }
        m_section.options.insert_or_assign(std::move(key), std::move(value));
        return std::nullopt;
    }
    std::optional<Error> put(std::string key, const std::optional<std::string>& v) {
        return v ? put(std::move(key), *v) : std::nullopt;
    }
    std::optional<Error> put(std::string key, const std::optional<bool>& v) {
        return v ? put(std::move(key), std::string(*v ? "1" : "0")) : std::nullopt;
    }
    template <class T> std::optional<Error> put_number(std::string key, const std::optional<T>& v) {
        return v ? put(std::move(key), std::to_string(*v)) : std::nullopt;
    }
    template <class E> std::optional<Error> put_enum(std::string key, const std::optional<E>& v) {
        return v ? put(std::move(key), std::string(to_string(*v))) : std::nullopt;
    }
    // A property string printed by `printer`; its errors name the real key (`net3`).
    template <class T, class P>
    std::optional<Error> put_property(std::string key, const T& value, P printer) {
        auto text = printer(value);
        if (!text) {
            text.error().key = key;
            return std::move(text.error());
        }
        return put(std::move(key), std::move(*text));
    }
    Section& section() { return m_section; }

  private:
    Section m_section;
};

#define PCT_PUT(expr)                                                                              \
    do {                                                                                           \
        if (auto pct_error_ = (expr))                                                              \
            return std::unexpected(std::move(*pct_error_));                                        \
    } while (0)

} // namespace

Result<Section> settings(const ContainerSettings& s) {
    Writer w;
    PCT_PUT(w.put_enum("arch", s.arch));
    PCT_PUT(w.put_enum("cmode", s.cmode));
    PCT_PUT(w.put("console", s.console));
    PCT_PUT(w.put_number("cores", s.cores));
    if (s.cpulimit)
        PCT_PUT(w.put("cpulimit", s.cpulimit->text));
    PCT_PUT(w.put_number("cpuunits", s.cpuunits));
    PCT_PUT(w.put("debug", s.debug));
    PCT_PUT(w.put("entrypoint", s.entrypoint));
    if (!s.env.empty()) {
        std::string joined;
        for (const auto& entry : s.env) {
            if (entry.empty() || entry.find('\0') != std::string::npos) {
                return fail(Errc::invalid_argument,
                            "environment entries must be non-empty and without NUL",
                            {.key = "env"});
            }
            if (!joined.empty())
                joined += '\0';
            joined += entry;
        }
        PCT_PUT(w.put("env", std::move(joined)));
    }
    if (s.features)
        PCT_PUT(w.put_property("features", *s.features, features));
    PCT_PUT(w.put("hookscript", s.hookscript));
    PCT_PUT(w.put("hostname", s.hostname));
    PCT_PUT(w.put_enum("lock", s.lock));
    PCT_PUT(w.put_number("memory", s.memory));
    PCT_PUT(w.put("nameserver", s.nameserver));
    PCT_PUT(w.put("onboot", s.onboot));
    PCT_PUT(w.put("ostype", s.ostype));
    PCT_PUT(w.put("parent", s.parent));
    PCT_PUT(w.put("protection", s.protection));
    if (s.rootfs)
        PCT_PUT(w.put_property("rootfs", *s.rootfs, rootfs));
    PCT_PUT(w.put("searchdomain", s.searchdomain));
    PCT_PUT(w.put_number("snaptime", s.snaptime));
    if (s.startup)
        PCT_PUT(w.put_property("startup", *s.startup, startup));
    PCT_PUT(w.put_number("swap", s.swap));
    PCT_PUT(w.put("tags", s.tags));
    PCT_PUT(w.put("template", s.template_));
    PCT_PUT(w.put("timezone", s.timezone));
    PCT_PUT(w.put_number("tty", s.tty));
    PCT_PUT(w.put("unprivileged", s.unprivileged));
    for (const auto& [i, v] : s.net)
        PCT_PUT(w.put_property("net" + std::to_string(i), v, net));
    for (const auto& [i, v] : s.mp)
        PCT_PUT(w.put_property("mp" + std::to_string(i), v, mount_point));
    for (const auto& [i, v] : s.unused)
        PCT_PUT(w.put_property("unused" + std::to_string(i), v, unused));
    for (const auto& [i, v] : s.dev)
        PCT_PUT(w.put_property("dev" + std::to_string(i), v, device));
    if (s.description)
        w.section().description = *s.description;
    return std::move(w.section());
}

#undef PCT_PUT

} // namespace pct::render
