import ArgumentParser
import AttritionCore
import Foundation

/// `attrition validate`: every rejected row and warning, and the rejected rows written out.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a case file: rows read, accepted and rejected, with the line and reason for each problem.",
        discussion: """
        Exit status 0 when the file could be read, even with rejected rows; 1 when it could not.

        Examples:
          attrition validate cases.csv
          attrition validate cases.csv --rejects rejected.csv --format json
        """
    )

    @Argument(help: "The case-journey CSV file (the built-in London sample when omitted).")
    var file: String?

    @Option(help: ArgumentHelp("Write the rejected rows, byte for byte after the header line, to this file.", valueName: "OUT.csv"))
    var rejects: String?

    @Flag(help: "Replace the rejects file if it already exists.")
    var force = false

    @Option(help: "Output format: \(ValidationFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ValidationFormat = .text

    @OptionGroup var reading: ReadOptions

    func run() throws {
        try reportingFailures {
            let sink = try rejects.map { try RejectsFile(path: $0, overwrite: force, inputs: reading.inputs(for: file)) }
            let result = try loadCases(path: file, reading: reading, rejectSink: sink)
            try sink?.commit()
            FileHandle.standardOutput.write(Data(format.render(result.report).utf8))
            if let rejects {
                printError("wrote \(result.report.rejectedTotal) rejected rows to \(rejects)")
            }
        }
    }
}
