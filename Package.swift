// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "attrition",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "attrition", targets: ["attrition"]),
        .library(name: "AttritionCore", targets: ["AttritionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // What must happen however the process ends: temporary files removed, the terminal given back.
        .target(name: "CSignals"),

        // Memory hints (prefetching) for the hash tables of case references.
        .target(name: "CMemoryHints"),

        // Import, case-journey model, analytics and output formats. No terminal code.
        // Release builds leave out the run-time exclusivity checks, which took a quarter of the
        // CPU time of reading files (docs/performance.md); debug builds, and so `swift test`
        // and the ThreadSanitizer run, keep them.
        .target(name: "AttritionCore", dependencies: ["CSignals", "CMemoryHints", "CZlib", "CDeflate", "CGLPK", .product(name: "Crypto", package: "swift-crypto"),
                                                        .product(name: "TOMLKit", package: "TOMLKit")],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),

        // ncursesw, from Debian's libncurses-dev.
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),

        // zlib, from Debian's zlib1g-dev: inflating police.uk archives in place, deflating synthetic ones.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // libdeflate, from Debian's libdeflate-dev: whole archive entries inflated at twice zlib's speed.
        .systemLibrary(
            name: "CDeflate",
            path: "Sources/CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),

        // GLPK, from Debian's libglpk-dev (no pkg-config file): the linear programmes of the disclosure audit.
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),

        // The terminal layer: a small drawing interface with an ncurses and an in-memory screen.
        .target(name: "AttritionTerminal", dependencies: ["CNcurses", "CSignals"]),

        // The interactive interface: state as values, a pure update function, views drawn on a Screen.
        .target(name: "AttritionInterface", dependencies: ["AttritionCore", "AttritionTerminal", .product(name: "TOMLKit", package: "TOMLKit")]),

        // The command line: subcommands for scripts, and the interactive interface by default.
        .executableTarget(
            name: "attrition",
            dependencies: [
                "AttritionCore",
                "AttritionTerminal",
                "AttritionInterface",
                "CSignals",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The benchmark: import throughput, memory and re-aggregation speed (run through bench/run).
        .executableTarget(name: "attrition-bench", dependencies: ["AttritionCore", "AttritionInterface", "AttritionTerminal"]),

        // The fuzz targets (every reader fed arbitrary bytes) and their libFuzzer driver (Fuzz/run).
        .target(name: "AttritionFuzzTargets", dependencies: ["AttritionCore"]),
        .executableTarget(name: "attrition-fuzz", dependencies: ["AttritionFuzzTargets"]),

        // What every test target shares: temporary folders, the repository's root, hostile inputs.
        .target(name: "AttritionTestSupport", dependencies: ["AttritionCore"], path: "Tests/AttritionTestSupport"),

        .testTarget(name: "AttritionCoreTests", dependencies: ["AttritionCore", "AttritionTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
                                                            .product(name: "TOMLKit", package: "TOMLKit")]),
        .testTarget(name: "AttritionTerminalTests", dependencies: ["AttritionTerminal"]),
        .testTarget(name: "AttritionInterfaceTests", dependencies: ["AttritionInterface", "AttritionTerminal", "AttritionCore", "AttritionTestSupport"],
                    exclude: ["Expected"]),
        .testTarget(name: "AttritionCLITests", dependencies: ["attrition", "AttritionInterface", "AttritionTerminal", "AttritionCore", "AttritionTestSupport"]),
        .testTarget(name: "AttritionFuzzTests", dependencies: ["AttritionFuzzTargets", "AttritionTestSupport"]),
    ]
)
