import ArgumentParser
import AttritionCore
import Foundation

/// `attrition sample`: writes the synthetic London sample, or a larger one for benchmarks.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic London VAWG case-journey file (see docs/sample-data.md).",
        discussion: """
        The same seed and size always give the same bytes. With the defaults the output is \
        identical to SampleData/london-vawg-sample.csv, which `attrition` opens when no file is named.

        Examples:
          attrition sample --out sample.csv
          attrition sample --cases 1000000 --seed 7 --out big.csv
        """
    )

    @Option(help: "Number of cases.")
    var cases = SampleSpec.shipped.cases

    @Option(help: "Random seed.")
    var seed = SampleSpec.shipped.seed

    @Option(help: "Output file (standard output when omitted).")
    var out: String?

    @Flag(help: "Replace the output file if it already exists.")
    var force = false

    func validate() throws {
        try check("--cases", cases, in: 1...SampleSpec.largest, "the number of cases")
    }

    func run() throws {
        try reportingFailures {
            var spec = SampleSpec.shipped
            spec.cases = cases
            spec.seed = seed
            if let out {
                let file = try AtomicFile(destination: out, overwrite: force)
                try SampleGenerator.write(spec) { chunk in try chunk.withUnsafeBytes { try file.write($0) } }
                try file.commit()
            } else {
                SampleGenerator.write(spec) { FileHandle.standardOutput.write(Data($0)) }
            }
        }
    }
}
