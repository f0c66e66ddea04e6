// swift-tools-version: 6.0
import PackageDescription

/// Release builds on Linux instantiate generic types (`[String: Int]`, `Set<Int>`) through metadata accessors
/// instead of mangled names: the runtime then skips demangling and, for each first use, a scan of every protocol
/// conformance record in the static executable to check the type's requirements.
let directMetadataAccess: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "GoldenPath",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "goldenpath", targets: ["goldenpath"]),
        .library(name: "GoldenPathCore", targets: ["GoldenPathCore"]),
        .plugin(name: "GenerateCI", targets: ["GenerateCI"]),
        .plugin(name: "VendorCollections", targets: ["VendorCollections"]),
        .plugin(name: "InstallCollections", targets: ["InstallCollections"]),
        .plugin(name: "VerifyPlugin", targets: ["VerifyPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Pure core: text in, text out, no file system.
        .target(
            name: "GoldenPathCore",
            dependencies: ["CSHA256", .product(name: "Yams", package: "Yams")],
            swiftSettings: directMetadataAccess
        ),
        // SHA-256 blocks through the x86 SHA instructions (GoldenPathCore's SHA256 falls back to Swift without them).
        .target(name: "CSHA256"),
        // The CLI: argument parsing and I/O only.
        .executableTarget(
            name: "goldenpath",
            dependencies: [
                "GoldenPathCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A release build on Linux is one static executable: it starts without loading ~20 shared libraries
            // (about 7 ms of every call) and runs on any Linux of the same architecture.
            swiftSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))] + directMetadataAccess,
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))]
        ),
        .plugin(
            name: "GenerateCI",
            capability: .command(
                intent: .custom(
                    verb: "generate-ci",
                    description: "Write the Makefile, workflows and verification playbook from targets/ (or check them with --check)"
                ),
                permissions: [
                    .writeToPackageDirectory(reason: "Writes the generated Makefile, .github/workflows and playbooks/tests")
                ]
            ),
            dependencies: ["goldenpath"]
        ),
        .plugin(
            name: "VendorCollections",
            capability: .command(
                intent: .custom(
                    verb: "vendor-collections",
                    description: "Vendor the Ansible collections of requirements.yml into vendor/, pinned by sha256"
                ),
                permissions: [
                    .writeToPackageDirectory(reason: "Writes vendor/*.tar.gz, vendor/SHA256SUMS, vendor/SOURCES.md and requirements.yml"),
                    .allowNetworkConnections(scope: .all(), reason: "Downloads collections with ansible-galaxy unless --from is given"),
                ]
            ),
            dependencies: ["goldenpath"]
        ),
        .plugin(
            name: "InstallCollections",
            capability: .command(
                intent: .custom(
                    verb: "install-collections",
                    description: "Check vendor/SHA256SUMS and install the vendored collections offline into collections/"
                ),
                permissions: [
                    .writeToPackageDirectory(reason: "Installs the vendored collections into collections/")
                ]
            ),
            dependencies: ["goldenpath"]
        ),
        .plugin(
            name: "VerifyPlugin",
            capability: .command(
                intent: .custom(
                    verb: "verify",
                    description: "Run make verify and report the checks of docs/verification-spec.md (table, JUnit, summary)"
                ),
                permissions: [
                    .writeToPackageDirectory(reason: "Writes the verification reports under artifacts/itest"),
                    .allowNetworkConnections(scope: .all(), reason: "The verification playbook connects to the inventory's hosts"),
                ]
            ),
            dependencies: ["goldenpath"]
        ),
        // Helpers shared by the test targets (processes, temporary folders, golden files).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GoldenPathCoreTests", dependencies: ["GoldenPathCore", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["GoldenPathCore", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "VendoringTests", dependencies: ["GoldenPathCore", "TestSupport"]),
        // Fixtures and golden files are read from the package folder by path, not bundled.
        .testTarget(name: "VerificationTests", dependencies: ["GoldenPathCore", "TestSupport"], exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "LabTests", dependencies: ["TestSupport"]),
        // The command line itself (the executable's module), without running the binary.
        .testTarget(name: "CommandLineTests", dependencies: [
            "goldenpath", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The promotion program against real git repositories (a bare remote and clones).
        .testTarget(name: "PromotionTests", dependencies: ["TestSupport"]),
    ]
)
