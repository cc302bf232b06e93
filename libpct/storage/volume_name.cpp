// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's rules for volume names (the file-system plugins' parse_volname, parse_name_dir;
// spec storage.md §2.2) and the allocation form.
#include <pct/storage/backend.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <fmt/format.h>

#include <charconv>
#include <regex>

namespace pct::storage {

namespace {

struct NameDir {
    bool is_base = false;
    VolumeFormat format = VolumeFormat::raw;
};

// Proxmox's parse_name_dir: the file name of an image or subvol.
Result<NameDir> parse_name_dir(const std::string& name) {
    static const std::regex image(R"(^(vm-|base-|subvol-)(\d+)-[^/\s]+\.(raw|qcow2|vmdk|subvol)$)");
    static const std::regex snapshot(R"(^snap-.*\.qcow2$)");
    static const std::regex any_image(R"(^(base-)?[^/\s]+\.(raw|qcow2|vmdk|subvol)$)");
    std::smatch m;
    if (std::regex_match(name, m, image))
        return NameDir{m[1].str() == "base-", *format_from_name(m[3].str())};
    if (std::regex_match(name, snapshot))
        return fail(Errc::invalid_argument,
                    fmt::format("'{}' is a snapshot filename, not a volume!", name));
    if (std::regex_match(name, m, any_image))
        return NameDir{false, *format_from_name(m[2].str())};
    return fail(Errc::invalid_argument, fmt::format("unable to parse volume filename '{}'", name));
}

std::optional<Vmid> to_vmid(const std::string& digits) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || p != digits.data() + digits.size())
        return std::nullopt;
    return Vmid{v};
}

Error unparsable(std::string_view volname) {
    return error(Errc::invalid_argument,
                 fmt::format("unable to parse directory volume name '{}'", volname));
}

} // namespace

Result<VolumeRef> parse_dir_volname(std::string_view storage, std::string_view volname) {
    static const std::regex linked(R"(^(\d+)/(\S+)/(\d+)/(\S+)$)");
    static const std::regex owned(R"(^(\d+)/(\S+)$)");
    static const std::regex iso(R"(^iso/([^/]+\.(iso|img))$)", std::regex::icase);
    static const std::regex vztmpl(R"(^vztmpl/([^/]+\.(tar|tar\.gz|tar\.xz|tar\.zst|tar\.bz2))$)",
                                   std::regex::icase);
    static const std::regex backup(R"(^backup/([^/]+\.(tgz|(tar|vma)(\.(gz|lzo|zst|bz2))?))$)");
    static const std::regex backup_owner(R"(^vzdump-(openvz|lxc|qemu)-(\d+)-.+)");
    static const std::regex snippets(R"(^snippets/([^/]+)$)");
    static const std::regex import(R"(^import/([^/]+\.(ova|ovf|qcow2|raw|vmdk))$)");
    static const std::regex import_ova(R"(^import/([^/]+\.ova)/([^/]+)$)");
    const std::string text(volname);
    VolumeRef ref;
    ref.storage = std::string(storage);
    ref.volname = text;
    if (text.find('\n') != std::string::npos)
        return std::unexpected(unparsable(volname));
    std::smatch m;
    if (std::regex_match(text, m, linked)) {
        auto base = parse_name_dir(m[2].str());
        if (!base)
            return std::unexpected(std::move(base).error());
        auto own = parse_name_dir(m[4].str());
        if (!own)
            return std::unexpected(std::move(own).error());
        ref.base_vmid = to_vmid(m[1].str());
        ref.owner = to_vmid(m[3].str());
        if (!ref.base_vmid || !ref.owner)
            return std::unexpected(unparsable(volname));
        ref.vtype = "images";
        ref.name = m[4].str();
        ref.base_name = m[2].str();
        ref.is_base = own->is_base;
        ref.format = own->format;
        return ref;
    }
    if (std::regex_match(text, m, owned)) {
        auto own = parse_name_dir(m[2].str());
        if (!own)
            return std::unexpected(std::move(own).error());
        ref.owner = to_vmid(m[1].str());
        if (!ref.owner)
            return std::unexpected(unparsable(volname));
        ref.vtype = "images";
        ref.name = m[2].str();
        ref.is_base = own->is_base;
        ref.format = own->format;
        return ref;
    }
    auto simple = [&](const char* vtype) {
        ref.vtype = vtype;
        ref.name = m[1].str();
        return ref;
    };
    if (std::regex_match(text, m, iso))
        return simple("iso");
    if (std::regex_match(text, m, vztmpl))
        return simple("vztmpl");
    if (std::regex_match(text, m, backup)) {
        simple("backup");
        std::smatch o;
        const std::string file = m[1].str();
        if (std::regex_match(file, o, backup_owner))
            ref.owner = to_vmid(o[2].str());
        return ref;
    }
    if (std::regex_match(text, m, snippets)) {
        if (m[1].str() == "." || m[1].str() == "..") // the snippets directory or its parent
            return std::unexpected(unparsable(volname));
        return simple("snippets");
    }
    if (std::regex_match(text, m, import_ova) || std::regex_match(text, m, import)) {
        ref.vtype = "import";
        ref.name = text.substr(7);
        return ref;
    }
    return std::unexpected(unparsable(volname));
}

Result<void> check_dir_image_name(std::string_view volname) {
    auto ref = parse_dir_volname("", volname);
    if (!ref)
        return std::unexpected(std::move(ref).error());
    if (ref->vtype != "images")
        return fail(Errc::invalid_argument,
                    fmt::format("volume name '{}' is not a container volume (content type '{}')",
                                volname, ref->vtype));
    return {};
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
