import AttritionCore
import Foundation

/// The export dialogue on the message line: choose a format, edit the file name, confirm
/// replacing an existing file.
public struct ExportPrompt: Equatable, Sendable {
    /// Where the dialogue is.
    public enum Step: Equatable, Sendable {
        /// Waiting for c, m, j, x, s or b.
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
    /// Whether the board pack (one workbook of every table) was chosen instead of the page's table.
    public var pack = false
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
    /// The board pack rather than the page's table (the query's filters and settings apply).
    public let pack: Bool

    /// A request to write `query` as `format` (or, with `pack`, the board pack) to `path`.
    public init(query: AnalysisQuery, format: ExportFormat, path: String, overwrite: Bool, pack: Bool = false) {
        self.query = query
        self.format = format
        self.path = path
        self.overwrite = overwrite
        self.pack = pack
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
    /// A file name for an export of `query` naming its view, dimension, stage and filters:
    /// `attrition-breakdown-bcu-crime_type-rape.xlsx`; for the board pack, `attrition-board-pack-….xlsx`.
    static func suggestedName(_ query: AnalysisQuery, _ format: ExportFormat, pack: Bool = false) -> String {
        var parts = ["attrition"]
        if pack {
            parts.append("board-pack")
        } else {
            parts += [query.view.rawValue] + (query.view == .funnel ? [] : [query.dimension]) + (query.stage.map { [$0.name] } ?? [])
        }
        for dimension in query.filter.allowed.keys.sorted() {
            parts += [dimension, query.filter.allowed[dimension]!.sorted().joined(separator: "+")]
        }
        if let reportedBy = query.filter.reportedBy { parts.append("to-\(reportedBy.iso)") }
        let name = parts.joined(separator: "-").lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" ? $0 : "_" }
        return String(String(name).prefix(120)) + "." + (pack ? "xlsx" : format.fileExtension)
    }
}
