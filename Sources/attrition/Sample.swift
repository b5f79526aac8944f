import ArgumentParser
import AttritionCore
import Foundation

/// `attrition sample`: writes the synthetic London sample, or a larger one for benchmarks.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic London VAWG case-journey file, or a synthetic police.uk download (see docs/sample-data.md, docs/police-uk.md).",
        discussion: """
        The same seed and size always give the same bytes. With the defaults the output is \
        identical to SampleData/london-vawg-sample.csv, which `attrition` opens when no file is named.

        --format police-uk writes police.uk's archive layout (YYYY-MM/YYYY-MM-<force>-street.csv, \
        -outcomes.csv, -stop-and-search.csv) to a new folder, or to an archive when --out ends in .zip.

        Examples:
          attrition sample --out sample.csv
          attrition sample --cases 1000000 --seed 7 --out big.csv
          attrition sample --format police-uk --forces 3 --months 12 --out police-data.zip
        """
    )

    @Option(help: "What to write: csv (the case-journey format), police-uk (police.uk's download layout) or events (a records-system export: cases.csv, events.csv and their mapping).")
    var format = SampleFormat.csv

    @Option(help: "Number of cases (csv).")
    var cases = SampleSpec.shipped.cases

    @Option(help: "Forces in the archive (police-uk; the first is the Metropolitan Police).")
    var forces = PoliceUKSampleSpec().forces

    @Option(help: "Months in the archive, ending 2024-09 (police-uk).")
    var months = PoliceUKSampleSpec().months

    @Option(help: "Street rows per force per month, anti-social behaviour included (police-uk).")
    var rowsPerMonth = PoliceUKSampleSpec().rowsPerForceMonth

    @Option(help: "Random seed.")
    var seed = SampleSpec.shipped.seed

    @Option(help: "Output file (standard output when omitted); for police-uk a new folder, or FILE.zip.")
    var out: String?

    @Flag(help: "Replace the output file if it already exists.")
    var force = false

    func validate() throws {
        try check("--cases", cases, in: 1...SampleSpec.largest, "the number of cases")
        try check("--forces", forces, in: 1...PoliceUKSample.forceNames.count, "forces")
        try check("--months", months, in: 1...240, "months")
        try check("--rows-per-month", rowsPerMonth, in: 1...10_000_000, "street rows per force per month")
        if format == .policeUK, out == nil {
            throw ValidationError("--format police-uk writes a folder or an archive: give --out DIR or --out FILE.zip")
        }
        if format == .events, out == nil {
            throw ValidationError("--format events writes a folder (cases.csv, events.csv, attrition.toml): give --out DIR")
        }
    }

    func run() throws {
        try reportingFailures {
            if format == .events, let out {
                var spec = SampleSpec.shipped
                spec.cases = cases
                spec.seed = seed
                try EventSample.write(spec, toFolder: out)
                return
            }
            if format == .policeUK, let out {
                let spec = PoliceUKSampleSpec(forces: forces, months: months, rowsPerForceMonth: rowsPerMonth, seed: seed)
                try PoliceUKSampleOutput.write(spec, to: out, overwrite: force)
                return
            }
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

/// The layouts `attrition sample` writes.
enum SampleFormat: String, ExpressibleByArgument, CaseIterable {
    /// The case-journey CSV.
    case csv
    /// police.uk's download layout.
    case policeUK = "police-uk"
    /// A records-system export: a case file, an event file and the mapping that reads them.
    case events
}
