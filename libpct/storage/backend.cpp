// SPDX-License-Identifier: AGPL-3.0-or-later
// The backend interface's defaults and the registry of storage types.
#include <pct/storage/backend.hpp>
#include <pct/storage/btrfs_backend.hpp>
#include <pct/storage/dir_backend.hpp>

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <sys/stat.h>

namespace pct::storage {

namespace {

struct Registry {
    Registry() {
        factories.emplace(
            "dir", [](const StorageEntry& e, std::string base) -> Result<std::unique_ptr<Backend>> {
                return std::make_unique<DirBackend>(e, std::move(base));
            });
        factories.emplace(
            "btrfs",
            [](const StorageEntry& e, std::string base) -> Result<std::unique_ptr<Backend>> {
                return std::make_unique<BtrfsBackend>(e, std::move(base));
            });
    }
    std::mutex mutex;
    std::map<std::string, BackendFactory, std::less<>> factories;
};

// The one piece of process-wide state of the module: which types can be used. Filled with the
// built-in types on first use; `register_backend` adds a third party's.
Registry& registry() {
    static Registry r;
    return r;
}

} // namespace

std::string_view format_name(VolumeFormat format) noexcept {
    switch (format) {
    case VolumeFormat::raw:
        return "raw";
    case VolumeFormat::subvol:
        return "subvol";
    case VolumeFormat::qcow2:
        return "qcow2";
    case VolumeFormat::vmdk:
        return "vmdk";
    }
    return "raw";
}

std::optional<VolumeFormat> format_from_name(std::string_view name) noexcept {
    for (auto f :
         {VolumeFormat::raw, VolumeFormat::subvol, VolumeFormat::qcow2, VolumeFormat::vmdk})
        if (format_name(f) == name)
            return f;
    return std::nullopt;
}

std::string_view feature_name(Feature feature) noexcept {
    switch (feature) {
    case Feature::snapshot:
        return "snapshot";
    case Feature::clone:
        return "clone";
    case Feature::template_:
        return "template";
    case Feature::copy:
        return "copy";
    case Feature::sparseinit:
        return "sparseinit";
    case Feature::rename:
        return "rename";
    case Feature::replicate:
        return "replicate";
    }
    return "snapshot";
}

std::optional<Feature> feature_from_name(std::string_view name) noexcept {
    for (auto f : {Feature::snapshot, Feature::clone, Feature::template_, Feature::copy,
                   Feature::sparseinit, Feature::rename, Feature::replicate})
        if (feature_name(f) == name)
            return f;
    return std::nullopt;
}

Backend::Backend(StorageEntry entry, std::string base)
    : m_entry(std::move(entry)), m_base(std::move(base)) {}

Backend::~Backend() = default;

Result<VolumeRef> Backend::parse_volname(std::string_view volname) const {
    return parse_dir_volname(id(), volname);
}

Result<void> Backend::activate_volume(const VolumeRef& volume,
                                      std::optional<std::string_view> snap) {
    auto p = path(volume, snap);
    if (!p)
        return std::unexpected(std::move(p).error());
    struct stat st {};
    if (::stat(p->c_str(), &st) != 0)
        return fail(Errc::not_found, fmt::format("volume '{}' does not exist", volume.volid()),
                    {.context = *p});
    return {};
}

Result<void> Backend::deactivate_volume(const VolumeRef&, std::optional<std::string_view>) {
    return {};
}

Result<void> Backend::resize(const VolumeRef&, std::uint64_t) {
    return fail(Errc::unsupported, "can't resize this image format");
}

Result<void> Backend::snapshot(const VolumeRef&, std::string_view) {
    return fail(Errc::unsupported, "can't snapshot this image format");
}

Result<void> Backend::rollback(const VolumeRef&, std::string_view) {
    return fail(Errc::unsupported, "can't rollback snapshot this image format");
}

Result<void> Backend::delete_snapshot(const VolumeRef&, std::string_view) {
    return fail(Errc::unsupported, "can't delete snapshot for this image format");
}

Result<std::string> Backend::clone_image(const VolumeRef& volume, Vmid,
                                         std::optional<std::string_view>) {
    return fail(Errc::unsupported,
                fmt::format("Linked clone feature for '{}' is not available", volume.volid()));
}

Result<std::string> Backend::create_base(const VolumeRef& volume) {
    return fail(Errc::unsupported,
                fmt::format("Template feature is not available for '{}'", volume.volid()));
}

void register_backend(std::string type, BackendFactory factory) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.factories.insert_or_assign(std::move(type), std::move(factory));
}

Result<std::unique_ptr<Backend>> make_backend(const StorageEntry& entry, std::string base) {
    BackendFactory factory;
    {
        auto& r = registry();
        std::lock_guard lock(r.mutex);
        auto it = r.factories.find(entry.type);
        if (it != r.factories.end())
            factory = it->second;
    }
    if (!factory)
        return fail(Errc::unsupported,
                    fmt::format("storage type '{}' is not supported by this build", entry.type),
                    {.key = entry.name});
    return factory(entry, std::move(base));
}

} // namespace pct::storage
