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
    ],
    targets: [
        // C libraries, each imported only by the one target that owns it.
        .systemLibrary(name: "CMNL", pkgConfig: "libmnl", providers: [.apt(["libmnl-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),

        // Value types and protocols, no C.
        .target(name: "WGMeshCore", swiftSettings: strict),
        .target(name: "WGMeshKeys", dependencies: ["WGMeshCore", "CSodium"], swiftSettings: strict),
        .target(name: "WGMeshNetlink", dependencies: ["WGMeshCore", "CMNL"], swiftSettings: strict),
        .target(
            name: "WGMeshWireGuard",
            dependencies: ["WGMeshCore", "WGMeshKeys", "WGMeshNetlink", "WGMeshRouting",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(name: "WGMeshRouting", dependencies: ["WGMeshCore", "WGMeshNetlink"], swiftSettings: strict),
        .target(
            name: "WGMeshCLI",
            dependencies: ["WGMeshCore", "WGMeshKeys", "WGMeshWireGuard", "WGMeshRouting",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .executableTarget(name: "wgmesh", dependencies: ["WGMeshCLI"], swiftSettings: strict),
        .executableTarget(name: "wgmeshd", dependencies: ["WGMeshCLI"], swiftSettings: strict),

        // Fakes that model the kernel's rules, shared by every test target.
        .target(name: "WGMeshTestSupport", dependencies: ["WGMeshCore", "WGMeshWireGuard"],
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
        .testTarget(
            name: "WGMeshCLITests",
            dependencies: ["WGMeshCLI", "WGMeshCore", "WGMeshKeys", "WGMeshWireGuard", "WGMeshTestSupport"],
            swiftSettings: strict),
    ]
)
