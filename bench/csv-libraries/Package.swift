// swift-tools-version:6.0
// A side package that measures CSV libraries against attrition's own scanner on the same file.
// It is not part of the attrition build; run it with bench/csv-libraries/run.
import PackageDescription

let package = Package(
    name: "csv-libraries",
    dependencies: [
        .package(path: "../../.bench/attrition"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .executableTarget(name: "csv-libraries", dependencies: [
            .product(name: "AttritionCore", package: "attrition"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
    ]
)
