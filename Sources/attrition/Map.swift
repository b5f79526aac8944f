import ArgumentParser
import AttritionCore
import Foundation

/// `attrition map FILE`: a starting mapping for a records-system extract, on standard output.
struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starting mapping for an extract whose columns are not named as attrition expects (docs/mapping.md).",
        discussion: """
        Reads the header and a sample of the rows and prints a mapping file: the header each \
        canonical column most likely is (commented out when unsure), the date formats that read \
        the sampled dates, and the values of categorical columns that match no canonical value, \
        ready to fill in. It applies nothing: check it, save it as attrition.toml beside the data \
        (or anywhere, with --mapping FILE), and read the data again.

        Example:
          attrition map extract.csv > attrition.toml
        """
    )

    @Argument(help: "The extract (CSV).")
    var file: String

    @Option(help: "Rows to sample.")
    var sample = 10_000

    func validate() throws {
        try check("--sample", sample, in: 1...10_000_000, "rows")
    }

    func run() throws {
        try reportingFailures {
            let proposal = try MappingProposal.propose(path: file, sampleRows: sample)
            FileHandle.standardOutput.write(Data(proposal.toml(for: file).utf8))
        }
    }
}
