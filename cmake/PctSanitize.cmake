# SPDX-License-Identifier: AGPL-3.0-or-later
# PCT_SANITIZE=ON builds everything with AddressSanitizer + UndefinedBehaviorSanitizer; CI runs
# the whole test suite that way once.
if(PCT_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    add_link_options(-fsanitize=address,undefined)
endif()

# PCT_BUILD_FUZZ=ON instruments every library for libFuzzer's coverage; the fuzz targets
# themselves link -fsanitize=fuzzer (fuzz/CMakeLists.txt).
if(PCT_BUILD_FUZZ)
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
