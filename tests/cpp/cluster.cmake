# SPDX-License-Identifier: AGPL-3.0-or-later
# Cluster store suite: real 3-member etcd clusters on loopback (scripts/cluster through the
# EtcdCluster fixture), worker processes as the hosts. Without etcd each case prints SKIP.
add_library(pct_test_etcd STATIC ${CMAKE_CURRENT_LIST_DIR}/../support/etcd_cluster.cpp)
target_include_directories(pct_test_etcd PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../support)
target_compile_definitions(pct_test_etcd PRIVATE PCT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
pct_set_warnings(pct_test_etcd)

add_executable(pct-cluster-worker ${CMAKE_CURRENT_LIST_DIR}/cluster_worker.cpp)
target_link_libraries(pct-cluster-worker PRIVATE pct::cluster)
pct_set_warnings(pct-cluster-worker)

add_executable(test_cluster ${CMAKE_CURRENT_LIST_DIR}/test_cluster.cpp)
target_link_libraries(test_cluster PRIVATE pct_test_main pct_test_etcd pct_test_support
                                           pct::cluster)
target_compile_definitions(test_cluster PRIVATE
    PCT_CLUSTER_WORKER="$<TARGET_FILE:pct-cluster-worker>")
add_dependencies(test_cluster pct-cluster-worker)
pct_set_warnings(test_cluster)
doctest_discover_tests(test_cluster PROPERTIES TIMEOUT 60 LABELS cluster)
