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
        // A mistyped command would otherwise be taken for a file to open: say which command was meant.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), !FileManager.default.fileExists(atPath: first) {
            let names = configuration.subcommands.flatMap { [$0.configuration.commandName ?? ""] + $0.configuration.aliases } + ["help"]
            if !names.contains(first), let meant = NearestWord.nearest(first, in: names) {
                printError("no file or command '\(first)': did you mean attrition \(meant)\(arguments.count > 1 ? " " + arguments.dropFirst().joined(separator: " ") : "")?")
                Foundation.exit(2)
            }
        }
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
