# SPDX-License-Identifier: AGPL-3.0-or-later
# pct_set_warnings(target): the project's warning set, per target (never directory-wide).
function(pct_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion)
    if(PCT_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
