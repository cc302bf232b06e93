// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "lists": string lists and diagnostic lists.
#include "guard.hpp"
#include "handles.hpp"

using namespace pct::capi;

extern "C" {

size_t pct_string_list_count(const pct_string_list* list) noexcept {
    return list ? list->items.size() : 0;
}

const char* pct_string_list_at(const pct_string_list* list, size_t index) noexcept {
    if (!list || index >= list->items.size())
        return invalid_access<const char*>(nullptr, "string list index out of range");
    return list->items[index].c_str();
}

void pct_string_list_free(pct_string_list* list) noexcept { delete list; }

size_t pct_diag_list_count(const pct_diag_list* list) noexcept {
    return list ? list->items.size() : 0;
}

const pct_diag* pct_diag_list_at(const pct_diag_list* list, size_t index) noexcept {
    if (!list || index >= list->items.size())
        return invalid_access<const pct_diag*>(nullptr, "diagnostic list index out of range");
    return &list->items[index];
}

void pct_diag_list_free(pct_diag_list* list) noexcept { delete list; }

int pct_diag_code(const pct_diag* diag) noexcept {
    return diag ? diag->code : invalid_access(0, "diag must not be NULL");
}

const char* pct_diag_message(const pct_diag* diag) noexcept {
    return diag ? diag->message.c_str() : invalid_access<const char*>(nullptr, "diag is NULL");
}

int pct_diag_line(const pct_diag* diag) noexcept { return diag ? diag->line : 0; }

int pct_diag_column(const pct_diag* diag) noexcept { return diag ? diag->column : 0; }

const char* pct_diag_key(const pct_diag* diag) noexcept {
    return diag ? diag->key.c_str() : invalid_access<const char*>(nullptr, "diag is NULL");
}

const char* pct_diag_subkey(const pct_diag* diag) noexcept {
    return diag ? diag->subkey.c_str() : invalid_access<const char*>(nullptr, "diag is NULL");
}

const char* pct_diag_section(const pct_diag* diag) noexcept {
    return diag ? diag->section.c_str() : invalid_access<const char*>(nullptr, "diag is NULL");
}

const char* pct_diag_file(const pct_diag* diag) noexcept {
    return diag ? diag->file.c_str() : invalid_access<const char*>(nullptr, "diag is NULL");
}

} // extern "C"
