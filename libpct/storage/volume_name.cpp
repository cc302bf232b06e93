// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's rules for the volume names a container may be given (the `dir` storage's
// parse_volname, the allocation form).
#include <pct/storage/storage_cfg.hpp>

#include <fmt/format.h>

#include <regex>

namespace pct::storage {

namespace {

// Proxmox's parse_name_dir: the file name of an image or subvol.
Result<void> check_name_dir(const std::string& name) {
    static const std::regex image(R"(^(vm-|base-|subvol-)(\d+)-[^/\s]+\.(raw|qcow2|vmdk|subvol)$)");
    static const std::regex snapshot(R"(^snap-.*\.qcow2$)");
    static const std::regex any_image(R"(^(base-)?[^/\s]+\.(raw|qcow2|vmdk|subvol)$)");
    if (std::regex_match(name, image))
        return {};
    if (std::regex_match(name, snapshot))
        return fail(Errc::invalid_argument,
                    fmt::format("'{}' is a snapshot filename, not a volume!", name));
    if (std::regex_match(name, any_image))
        return {};
    return fail(Errc::invalid_argument, fmt::format("unable to parse volume filename '{}'", name));
}

} // namespace

Result<void> check_dir_image_name(std::string_view volname) {
    static const std::regex linked(R"(^(\d+)/(\S+)/(\d+)/(\S+)$)");
    static const std::regex owned(R"(^(\d+)/(\S+)$)");
    const std::string name(volname);
    std::smatch m;
    if (std::regex_match(name, m, linked)) {
        if (auto ok = check_name_dir(m[2].str()); !ok)
            return ok;
        return check_name_dir(m[4].str());
    }
    if (std::regex_match(name, m, owned))
        return check_name_dir(m[2].str());
    for (std::string_view type : {"iso", "vztmpl", "backup", "snippets", "import"})
        if (volname.starts_with(type) && volname.size() > type.size() &&
            volname[type.size()] == '/')
            return fail(
                Errc::invalid_argument,
                fmt::format("volume name '{}' is not a container volume (content type '{}')", name,
                            type));
    return fail(Errc::invalid_argument,
                fmt::format("unable to parse directory volume name '{}'", name));
}

bool is_allocation_form(std::string_view volume) noexcept {
    auto colon = volume.find(':');
    if (colon == 0 || colon == std::string_view::npos)
        return false;
    std::string_view id = volume.substr(0, colon);
    if (id.find_first_of(" \t\n\r\f\v") != std::string_view::npos)
        return false;
    std::string_view size = volume.substr(colon + 1);
    auto digits = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    auto dot = size.find('.');
    if (dot == std::string_view::npos)
        return digits(size);
    return digits(size.substr(0, dot)) && digits(size.substr(dot + 1));
}

} // namespace pct::storage
