import AttritionCore
import Foundation

/// The export dialogue on the message line: choose a format, edit the file name, confirm
/// replacing an existing file.
public struct ExportPrompt: Equatable, Sendable {
    /// Where the dialogue is.
    public enum Step: Equatable, Sendable {
        /// Waiting for c, m, j or x.
        case format
        /// Editing the file name.
        case path
        /// The file exists: waiting for y or n.
        case confirmReplace
    }

    /// Where the dialogue is.
    public var step = Step.format
    /// The chosen format.
    public var format = ExportFormat.csv
    /// The file name being edited.
    public var path = ""
}

/// An export the interface asks its host to carry out: the only side effect of an update.
public struct ExportRequest: Sendable {
    /// What to export.
    public let query: AnalysisQuery
    /// The file format.
    public let format: ExportFormat
    /// Where to write it.
    public let path: String
    /// Replace existing files (asked for explicitly).
    public let overwrite: Bool

    /// A request to write `query` as `format` to `path`.
    public init(query: AnalysisQuery, format: ExportFormat, path: String, overwrite: Bool) {
        self.query = query
        self.format = format
        self.path = path
        self.overwrite = overwrite
    }
}

/// How an export request ended, fed back with `Update.exportFinished`.
public enum ExportOutcome: Sendable {
    /// Files written, with how many cells disclosure control withheld.
    case written([String])
    /// A file of that name exists and replacing it was not asked for.
    case exists(String)
    /// Something else went wrong.
    case failed(String)
}

extension AppState {
    /// A file name for an export of `query`: `attrition-breakdown-bcu.xlsx`.
    static func suggestedName(_ query: AnalysisQuery, _ format: ExportFormat) -> String {
        let parts = ["attrition", query.view.rawValue] + (query.view == .funnel ? [] : [query.dimension])
            + (query.stage.map { [$0.name] } ?? [])
        let name = parts.joined(separator: "-").lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        return String(name) + "." + format.fileExtension
    }
}
