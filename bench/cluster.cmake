# SPDX-License-Identifier: AGPL-3.0-or-later
# build/bin/pct-bench-cluster: ClusterStore's allocations/s and config commits/s beside raw etcd
# transactions through the same JSON gateway, on a 3-member loopback cluster it starts with
# scripts/cluster (needs etcd-server).
add_executable(pct_bench_cluster ${CMAKE_CURRENT_LIST_DIR}/cluster.cpp)
set_target_properties(pct_bench_cluster PROPERTIES OUTPUT_NAME pct-bench-cluster)
target_link_libraries(pct_bench_cluster PRIVATE pct::cluster CURL::libcurl OpenSSL::Crypto
                                                fmt::fmt Threads::Threads)
target_compile_definitions(pct_bench_cluster PRIVATE PCT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
pct_set_warnings(pct_bench_cluster)
