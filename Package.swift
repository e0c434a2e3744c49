// swift-tools-version: 6.1
import PackageDescription

// Strict modes from hummingbird's package: every existential is spelled `any`,
// and imports stay internal unless a file says otherwise, so no C type leaks
// into a public signature by accident.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wgmesh",
    products: [
        .executable(name: "wgmesh", targets: ["wgmesh"]),
        .executable(name: "wgmeshd", targets: ["wgmeshd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries, each imported only by the one target that owns it.
        .systemLibrary(name: "CMNL", pkgConfig: "libmnl", providers: [.apt(["libmnl-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // glibc calls hidden behind _GNU_SOURCE (setns, closefrom for posix_spawn), and the one
        // Swift target that makes them.
        .target(name: "CWGMeshSystem"),
        .target(name: "WGMeshSystem",
                dependencies: ["CWGMeshSystem", .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio")],
                swiftSettings: strict),

        // Value types and protocols, no C.
        .target(name: "WGMeshCore", swiftSettings: strict),
        .target(name: "WGMeshKeys", dependencies: ["WGMeshCore", "CSodium"], swiftSettings: strict),
        .target(name: "WGMeshNetlink", dependencies: ["WGMeshCore", "CMNL"], swiftSettings: strict),
        .target(
            name: "WGMeshWireGuard",
            dependencies: ["WGMeshCore", "WGMeshKeys", "WGMeshNetlink", "WGMeshRouting", "WGMeshSystem",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(name: "WGMeshRouting", dependencies: ["WGMeshCore", "WGMeshNetlink", "WGMeshSystem"],
                swiftSettings: strict),
        // Resources (Node, IPPool, ...), their JSON/YAML codec, selectors, validation.
        .target(name: "WGMeshResources",
                dependencies: ["WGMeshCore", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        // The datastore protocol, the typed resource store and IPAM; no backend.
        .target(name: "WGMeshDatastore",
                dependencies: ["WGMeshCore", "WGMeshResources", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(name: "WGMeshDatastoreSQLite",
                dependencies: ["WGMeshDatastore", "CSQLite", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Code generated from etcd's protos by scripts/gen-etcd-protos; not edited by hand.
        .target(name: "EtcdAPI",
                dependencies: [.product(name: "GRPCCore", package: "grpc-swift-2"),
                               .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                               .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "WGMeshDatastoreEtcd",
                dependencies: ["WGMeshDatastore", "EtcdAPI",
                               .product(name: "GRPCCore", package: "grpc-swift-2"),
                               .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                               .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                               .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Opens a datastore from its URL: the one place that knows both backends.
        .target(name: "WGMeshDatastoreConnect",
                dependencies: ["WGMeshDatastore", "WGMeshDatastoreSQLite", "WGMeshDatastoreEtcd",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The node service: config, planning, dataplane, publishing, reconciling, endpoints.
        .target(name: "WGMeshAgent",
                dependencies: ["WGMeshCore", "WGMeshKeys", "WGMeshSystem", "WGMeshWireGuard", "WGMeshRouting",
                               "WGMeshResources", "WGMeshDatastore", "WGMeshDatastoreConnect",
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "Yams", package: "Yams"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(
            name: "WGMeshCLI",
            dependencies: ["WGMeshCore", "WGMeshKeys", "WGMeshWireGuard", "WGMeshRouting", "WGMeshAgent",
                           "WGMeshSystem", "WGMeshResources", "WGMeshDatastore", "WGMeshDatastoreConnect",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .executableTarget(name: "wgmesh", dependencies: ["WGMeshCLI"], swiftSettings: strict),
        .executableTarget(name: "wgmeshd", dependencies: ["WGMeshCLI"], swiftSettings: strict),
        // A small client used by tests and benchmarks to drive a datastore
        // from other processes (concurrent writers, cross-process watchers).
        .executableTarget(name: "wgmesh-dstool",
                          dependencies: ["WGMeshDatastore", "WGMeshDatastoreConnect", "WGMeshResources", "WGMeshCore"],
                          path: "Tests/DatastoreTool", swiftSettings: strict),

        // Fakes that model the kernel's rules, shared by every test target.
        .target(name: "WGMeshTestSupport", dependencies: ["WGMeshCore", "WGMeshWireGuard", "WGMeshDatastore"],
                path: "Tests/WGMeshTestSupport", swiftSettings: strict),

        .testTarget(name: "WGMeshCoreTests", dependencies: ["WGMeshCore"], swiftSettings: strict),
        .testTarget(name: "WGMeshKeysTests", dependencies: ["WGMeshKeys", "WGMeshCore", "WGMeshTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshNetlinkTests", dependencies: ["WGMeshNetlink", "WGMeshCore"], swiftSettings: strict),
        .testTarget(
            name: "WGMeshWireGuardTests",
            dependencies: ["WGMeshWireGuard", "WGMeshCore", "WGMeshKeys", "WGMeshNetlink", "WGMeshTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "WGMeshRoutingTests", dependencies: ["WGMeshRouting", "WGMeshNetlink", "WGMeshCore"],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshResourcesTests", dependencies: ["WGMeshResources", "WGMeshCore"],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshDatastoreTests",
                    dependencies: ["WGMeshDatastore", "WGMeshDatastoreSQLite", "WGMeshDatastoreEtcd",
                                   "WGMeshDatastoreConnect", "WGMeshResources", "WGMeshCore", "WGMeshTestSupport",
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshDatastoreSQLiteTests",
                    dependencies: ["WGMeshDatastoreSQLite", "WGMeshDatastore", "WGMeshTestSupport",
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshDatastoreEtcdTests",
                    dependencies: ["WGMeshDatastoreEtcd", "WGMeshDatastore", "WGMeshTestSupport",
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "WGMeshAgentTests",
                    dependencies: ["WGMeshAgent", "WGMeshCore", "WGMeshKeys", "WGMeshWireGuard", "WGMeshRouting",
                                   "WGMeshResources", "WGMeshDatastore", "WGMeshDatastoreSQLite", "WGMeshTestSupport",
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        // Multi-node meshes in network namespaces, driven through scripts/lib/mesh.sh.
        .testTarget(name: "WGMeshE2ETests",
                    dependencies: ["WGMeshCore", "WGMeshTestSupport"],
                    swiftSettings: strict),
        .testTarget(
            name: "WGMeshCLITests",
            dependencies: ["WGMeshCLI", "WGMeshAgent", "WGMeshCore", "WGMeshKeys", "WGMeshWireGuard", "WGMeshTestSupport",
                           "WGMeshResources", "WGMeshDatastore", "WGMeshDatastoreConnect", "WGMeshDatastoreEtcd",
                           "WGMeshDatastoreSQLite", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
    ]
)
