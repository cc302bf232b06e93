# SPDX-License-Identifier: AGPL-3.0-or-later
# PCT_SANITIZE=ON builds everything with AddressSanitizer + UndefinedBehaviorSanitizer; CI runs
# the whole test suite that way once.
if(PCT_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    add_link_options(-fsanitize=address,undefined)
endif()
