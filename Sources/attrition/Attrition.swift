import ArgumentParser
import CSignals
import AttritionCore
import Foundation

/// The `attrition` command: where criminal cases fall out of the justice system.
@main
struct Attrition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attrition",
        abstract: "Shows where criminal cases fall out of the justice system: reported, referred to CPS, charged, prosecuted, convicted.",
        discussion: """
        Reads a case-journey CSV file (one row per case; see docs/data-format.md) and reports the \
        attrition funnel: how many cases reached each stage, where and why the others stopped, and \
        which are still open.
        """,
        version: ToolInfo.version,
        subcommands: [Browse.self] + AnalysisView.allCases.map { analysisCommand($0.descriptor) }
            + [Export.self, LedgerCommand.self, Save.self, Cube.self, Verify.self, Validate.self, Map.self, Sample.self],
        defaultSubcommand: Browse.self
    )

    /// Runs the command. A wrong request (an unknown option, a value out of range) is one line on
    /// standard error and exit status 2, as for every other wrong request; help and version as usual.
    static func main() {
        // Temporary files of case data are removed, and the terminal given back, however the process ends.
        cs_install_handlers()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            guard status == .validationFailure else { exit(withError: error) }
            printError(message(for: error) + " (see attrition help)")
            Foundation.exit(2)
        }
    }
}
