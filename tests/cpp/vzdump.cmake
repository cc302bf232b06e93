# SPDX-License-Identifier: AGPL-3.0-or-later
# The vzdump conformance suite (tests/vzdump, vzdump-format.md §8): pytest over fixture trees
# made as root in temp dirs. vzdump_reference proves the suite's tools with Proxmox's own tar
# command lines on both sides; the libpct suites hold `pct backup` / `pct restore` against
# them (real containers: the template fixture and the containers' lock).
set(vzdump_dir ${PROJECT_SOURCE_DIR}/tests/vzdump)
set(vzdump_env PYTHONDONTWRITEBYTECODE=1 PCT_BINARY_DIR=${PROJECT_BINARY_DIR}
               PCT_CLI=$<TARGET_FILE:pct_cli> PCT_TEST_SWEEP=$<TARGET_FILE:pct-test-sweep>)
# pytest's exit code 5 ("no tests collected") is a failure like any other non-zero code.
add_test(NAME vzdump_reference
    COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${vzdump_dir}/test_pve_reference.py)
set_tests_properties(vzdump_reference PROPERTIES TIMEOUT 120 LABELS "vzdump;no-asan"
    ENVIRONMENT "${vzdump_env}")

# Acceptance bullet 1: PVE's reference archives through libpct's restore, onto real volumes.
add_test(NAME vzdump_libpct_restore
    COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${vzdump_dir}/test_libpct_restore.py)
set_tests_properties(vzdump_libpct_restore PROPERTIES TIMEOUT 240
    LABELS "vzdump;container;no-asan" FIXTURES_REQUIRED pct_template RESOURCE_LOCK pct_containers
    ENVIRONMENT "${vzdump_env}")

# Acceptance bullets 2 and 3: libpct's backups against PVE's archives and restore command line,
# round trips privileged <-> unprivileged, a snapshot backup of a running CT under a writer.
add_test(NAME vzdump_libpct_backup
    COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${vzdump_dir}/test_libpct_backup.py)
set_tests_properties(vzdump_libpct_backup PROPERTIES TIMEOUT 240
    LABELS "vzdump;container;no-asan" FIXTURES_REQUIRED pct_template RESOURCE_LOCK pct_containers
    ENVIRONMENT "${vzdump_env}")
