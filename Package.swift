// swift-tools-version:6.1
import PackageDescription

/// Upcoming features that make the module map real (see ../shared/STYLE.md, "What to absorb" 1).
let strict: [SwiftSetting] = ["ExistentialAny", "MemberImportVisibility", "InternalImportsByDefault"]
    .map { .enableUpcomingFeature($0) }

let package = Package(
    name: "Nightshift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nightshift", targets: ["nightshift"]),
        // For packages of one's own DAGs (README "Your own DAGs"): the DSL, the whole CLI over a DAG list, test helpers,
        // and the fake anime pipeline as an optional DAG list.
        .library(name: "Workflow", targets: ["Workflow"]),
        .library(name: "NightshiftCLI", targets: ["NightshiftCLI"]),
        .library(name: "NightshiftTesting", targets: ["NightshiftTesting"]),
        .library(name: "FakeAnimeDAGs", targets: ["FakeAnimeDAGs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "Workflow", dependencies: ["HTTPFetch"], swiftSettings: strict),
        // The process's metrics: swift-metrics pointed at one swift-prometheus registry, with the documented names.
        .target(
            name: "Telemetry",
            dependencies: [.product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strict),
        .target(
            name: "Store",
            dependencies: ["Workflow", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "Executor",
            dependencies: ["Workflow", "Store", "CForkServer", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Scheduler",
            dependencies: [
                "Workflow", "Store", "Executor", "HTTPFetch",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(
            name: "NightshiftCLI",
            dependencies: [
                "Workflow", "Store", "Executor", "Scheduler", "Dashboard", "CForkServer", "Telemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(
            name: "FakeAnimeDAGs",
            dependencies: [
                "Workflow", "Store", "FakeAnime", "Learning", "CatalogueServer", "Dashboard", "Hashing", "HTTPFetch", "Imaging", "NightshiftCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The fork server tries are forked from (entered from a constructor before main; see its header).
        .target(name: "CForkServer"),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),  // loads libcurl on first use; headers from libcurl4-openssl-dev
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .target(name: "HTTPFetch", dependencies: ["CCurl"], swiftSettings: strict),
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),  // loads libopenblas.so.0 on first use (libopenblas-dev)
        // Optimised in debug builds too: tensor loops run 10-50x slower at -Onone, which would make the debug-built
        // `standalone` (README's main command) and the test suite train at a crawl.
        .target(name: "Learning", dependencies: ["CBLAS"], swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Imaging", dependencies: ["CPNG", "CTurboJPEG"], swiftSettings: strict),
        // SHA-256, HMAC and PBKDF2 from swift-crypto (BoringSSL), behind the byte-array interface the pipeline uses.
        .target(
            name: "Hashing",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")],
            swiftSettings: strict),
        .target(name: "FakeAnime", dependencies: ["HTTPFetch", "Imaging", "Learning", "Hashing"], swiftSettings: strict),
        .target(
            name: "CatalogueServer",
            dependencies: ["FakeAnime", "Imaging", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict),
        .target(
            name: "Dashboard",
            dependencies: [
                "Workflow", "Store", "Hashing", "Telemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The project's own binary: a thin main over NightshiftCLI with the anime pipeline and the examples.
        .executableTarget(name: "nightshift", dependencies: ["Workflow", "NightshiftCLI", "FakeAnimeDAGs"], swiftSettings: strict),
        .target(name: "NightshiftTesting", dependencies: ["Workflow", "Store", "Executor", "Scheduler"], swiftSettings: strict),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Workflow", "Store", "NightshiftTesting"], swiftSettings: strict),
        .testTarget(
            name: "SchedulerTests",
            dependencies: ["Workflow", "Store", "Executor", "Scheduler", "NightshiftTesting", "Telemetry"],
            swiftSettings: strict),
        .testTarget(
            name: "ExecutorTests",
            dependencies: ["Workflow", "Store", "Executor", "NightshiftTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], swiftSettings: strict),
        .testTarget(name: "LearningTests", dependencies: ["Learning"], swiftSettings: strict),
        .testTarget(name: "HTTPFetchTests", dependencies: ["HTTPFetch", "Workflow", "NightshiftTesting", .product(name: "Hummingbird", package: "hummingbird")], swiftSettings: strict),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "FakeAnimeTests",
            dependencies: ["FakeAnime", "HTTPFetch", "Imaging", "Learning", "CatalogueServer", "NightshiftTesting",
                .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "Workflow", "Store", "Hashing", "NightshiftTesting", "Telemetry", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "NightshiftCLITests",
            dependencies: [
                "nightshift", "NightshiftCLI", "FakeAnimeDAGs", "FakeAnime", "Dashboard", "Store", "Workflow", "NightshiftTesting",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
    ]
)
