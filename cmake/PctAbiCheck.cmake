# SPDX-License-Identifier: AGPL-3.0-or-later
# The C ABI gate around the shared library target `pct`:
#  - capi_symbols: `nm -D --defined-only` == pct.h's PCT_API functions == capi/libpct.symbols
#  - capi_prefix:  every global name pct.h declares starts with pct_/PCT_ (clang decides)
#  - capi_abidiff: abidiff against capi/abi/libpct.abi (only with PCT_ABI_CHECK=ON, needs -g)
# and the target `abi-baseline`, which rewrites the baseline (only at releases or SOVERSION
# bumps: the dump depends on the toolchain).
find_program(PCT_CLANG NAMES clang-19 clang)
find_program(PCT_ABIDIFF abidiff)
find_program(PCT_ABIDW abidw)
set(PCT_PYTHON3 /usr/bin/python3 CACHE FILEPATH "Python used by the ABI and packaging checks")

function(pct_add_abi_tests)
    set(capi ${PROJECT_SOURCE_DIR}/capi)
    set(checks ${PROJECT_SOURCE_DIR}/tests/capi)
    add_test(NAME capi_symbols
        COMMAND ${PCT_PYTHON3} ${checks}/check_symbols.py $<TARGET_FILE:pct>
                ${capi}/include/pct/pct.h ${capi}/libpct.symbols)
    if(PCT_CLANG)
        add_test(NAME capi_prefix
            COMMAND ${PCT_PYTHON3} ${checks}/check_prefix.py ${PCT_CLANG} ${capi}/include)
    else()
        add_test(NAME capi_prefix COMMAND ${CMAKE_COMMAND} -E echo
                 "capi_prefix: SKIPPED (no clang to read pct.h's declarations)")
    endif()
    set_tests_properties(capi_symbols capi_prefix PROPERTIES TIMEOUT 60 LABELS abi)

    if(PCT_ABI_CHECK)
        if(NOT PCT_ABIDIFF)
            message(FATAL_ERROR "PCT_ABI_CHECK=ON needs abidiff (abigail-tools)")
        endif()
        add_test(NAME capi_abidiff
            COMMAND ${PCT_PYTHON3} ${checks}/check_abi.py $<TARGET_FILE:pct>
                    ${capi}/abi/libpct.abi ${capi}/include/pct ${capi}/libpct.symbols
                    ${capi}/abi/opaque.suppr)
        # ASan builds change the binary's types (and are Debug): the gate runs on the normal build.
        set_tests_properties(capi_abidiff PROPERTIES TIMEOUT 300 LABELS "abi;no-asan")
    endif()

    if(PCT_ABIDW)
        add_custom_target(abi-baseline
            COMMAND ${PCT_ABIDW} --headers-dir ${capi}/include/pct --drop-private-types
                    --exported-interfaces-only --suppressions ${capi}/abi/opaque.suppr
                    --no-corpus-path --no-comp-dir-path --short-locs
                    --out-file ${capi}/abi/libpct.abi $<TARGET_FILE:pct>
            DEPENDS pct
            COMMENT "Rewriting capi/abi/libpct.abi (releases and SOVERSION bumps only)"
            VERBATIM)
    endif()
endfunction()
