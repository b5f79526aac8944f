/// A row the import refused, with the file line it starts on.
public struct Rejection: Equatable, Sendable, Codable {
    /// The file the row is in, when the source has several (a police.uk folder or archive).
    public let file: String?
    /// File line (1-based, the header is line 1) on which the record starts.
    public let line: Int
    /// Why it was refused, in words.
    public let reason: String

    /// A rejection of the record starting on `line` (of `file`, for a source of several files).
    public init(line: Int, reason: String, file: String? = nil) {
        self.file = file
        self.line = line
        self.reason = reason
    }
}

/// A row accepted with a field it could not read (that field became Unknown) or dates out of order.
public struct ImportWarning: Equatable, Sendable, Codable {
    /// The file the row is in, when the source has several.
    public let file: String?
    /// File line (1-based) on which the record starts.
    public let line: Int
    /// The column concerned.
    public let field: String
    /// What was wrong, in words.
    public let reason: String

    /// A warning about `field` of the record starting on `line` (of `file`, for a source of several files).
    public init(line: Int, field: String, reason: String, file: String? = nil) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }
}

/// The account of one import: every data record read is either accepted or rejected.
public struct ImportReport: Sendable, Codable {
    /// The file's name as given.
    public let file: String
    /// Data records read (the header and blank lines are not records).
    public let rows: Int
    /// Records accepted into the case table.
    public let accepted: Int
    /// Records refused, in file order: the first `ImportLimits.listed` of them (`rejected` counts all).
    public let rejections: [Rejection]
    /// Warnings, in file order: the first `ImportLimits.listed` of them (`warningCount` counts all).
    public let warnings: [ImportWarning]
    /// Records refused.
    public let rejected: Int
    /// Warnings given.
    public let warningCount: Int
    /// Extra columns left out because they had more distinct values than `ImportLimits.maxDistinct`.
    public let droppedColumns: [String]
    /// Empty lines passed over.
    public let blankLines: Int
    /// Stages the file's columns cannot speak to (for example `referred` with no `referred_date` column).
    public let unavailableStages: [Stage]
    /// Extra columns kept as dimensions, by their dimension name.
    public let extraDimensions: [String]
    /// SHA-256 of the bytes read, worked out while reading them (for a folder or archive: of the
    /// manifest of the files read, docs/police-uk.md).
    public let sourceSHA256: String
    /// Rows passed over by rule rather than refused (police.uk's anti-social behaviour incidents):
    /// rows read = accepted + skipped + rejected.
    public var skipped = 0
    /// What the skipped rows are, in words.
    public var skippedReason: String?
    /// For a source of several files: each file read or passed over, and the outcome rows.
    public var sourceFiles: SourceFilesAccount?
    /// The source format, for messages (`case-journey CSV`, `police.uk`).
    public var format = "case-journey CSV"
    /// The mapping the data was read through, if any.
    public var mapping: MappingUse?
    /// The event file read after the case file, if any.
    public var events: EventAccount?
    /// Why the `unavailableStages` are not recorded.
    public var unrecordedReason = CaseTable.defaultUnrecordedReason

    /// Every file the import read: the data, the mapping, the event file. None may be written over.
    public var inputFiles: [String] { [file] + [mapping?.path, events?.file].compactMap { $0 } }
    /// The snapshot file the cases were opened from, when they were (`attrition save`).
    public var snapshot: SnapshotUse?

    /// Rows refused of every kind (for police.uk, outcome rows too; event file rows too).
    public var rejectedTotal: Int { rejected + (sourceFiles?.eventsRejected ?? 0) + (events?.rejected ?? 0) }

    /// Rejected rows and warnings given but not listed one by one (all are counted).
    public var unlisted: Int { rejectedTotal - rejections.count + warningCount - warnings.count }
}

/// A snapshot file cases were opened from: when it was saved, and which of the files it was
/// built from have changed or gone since (its figures are those of the files as they were).
public struct SnapshotUse: Sendable, Codable {
    /// The snapshot file's path.
    public let path: String
    /// When it was saved (ISO 8601, UTC).
    public let saved: String
    /// One line for each file it was built from that is no longer as it was.
    public let changedSources: [String]
}

/// A mapping an import used, and what it did not cover.
public struct MappingUse: Sendable {
    /// The mapping file's path.
    public let path: String
    /// SHA-256 of the mapping file.
    public let sha256: String
    /// For each column with a `[values.<column>]` table, the values it does not list (passed through unchanged).
    public let unmappedValues: [(column: String, values: [String])]

    /// The mapping as messages name it: its path, safe to show, and the start of its SHA-256.
    public var shownName: String { "\(DisplayText.sanitized(path)) (SHA-256 \(sha256.prefix(16))…)" }
}

/// Why a file could not be read at all.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened.
    case unreadable(file: String, reason: String)
    /// Reading failed part way.
    case readFailed(reason: String)
    /// The file has no header line.
    case empty(file: String)
    /// A required column is absent from the header.
    case missingColumn(file: String, column: String, header: [String])
    /// A column name appears more than once in the header.
    case duplicateColumn(file: String, column: String, positions: [Int])
    /// The header has more columns than `ImportLimits.maxColumns`.
    case tooManyColumns(file: String, count: Int)
    /// The file holds NUL bytes: binary, or text in an encoding other than UTF-8.
    case notText(file: String)
    /// The file changed while it was read (grew, shrank, was rewritten or replaced).
    case changedWhileRead(file: String, change: String)
    /// The header line runs past `ImportLimits.maxRecordBytes`.
    case headerTooLong(file: String)
    /// A snapshot file cannot be opened: not one, cut short, damaged, or of a newer format.
    case badSnapshot(file: String, reason: String)
    /// A ZIP archive (or one of its entries) cannot be read: cut short, damaged, encrypted or compressed in a way not supported.
    case corruptArchive(file: String, reason: String)
    /// Holding the cases would take more memory than allowed: rows read by then, bytes held, the limit.
    case memoryLimit(file: String, rows: Int, bytes: Int, limit: Int)
    /// A dimension has more groups than --max-distinct allows.
    case tooManyGroups(file: String, dimension: String, groups: Int, limit: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)"
        case let .readFailed(reason):
            return "reading failed: \(reason)"
        case let .empty(file):
            return "\(file) is empty: expected a header line naming at least case_id, reported_date, crime_type and bcu or borough"
        case let .missingColumn(file, column, header):
            let shown = header.map { DisplayText.quoted($0, limit: 30) }.joined(separator: ", ")
            return "\(file), line 1: missing required column '\(column)' (the header has \(shown)); "
                + "if the file names it differently, map it: attrition map \(file) > attrition.toml"
        case let .duplicateColumn(file, column, positions):
            let list = positions.map(String.init).joined(separator: " and ")
            return "\(file), line 1: column '\(column)' appears more than once (columns \(list)); rename or remove one"
        case let .tooManyColumns(file, count):
            return "\(file), line 1: the header has \(count) columns, more than the \(ImportLimits.maxColumns) a case file may have"
        case let .changedWhileRead(file, change):
            return "\(file): \(change); the figures would match no version of it, so nothing is shown: read it again once it is complete"
        case let .notText(file):
            return "\(file) is not UTF-8 text: it holds NUL bytes (a binary file, or UTF-16 or UTF-32 text without a byte-order mark: give --encoding utf-16 or utf-32)"
        case let .headerTooLong(file):
            return "\(file), line 1: the header runs past \(ImportLimits.maxRecordBytes >> 20) MiB without a line end; is this a case file?"
        case let .badSnapshot(file, reason):
            return "\(file) cannot be opened as a snapshot: \(reason)"
        case let .corruptArchive(file, reason):
            return "\(file) cannot be read as a ZIP archive: \(reason)"
        case let .memoryLimit(file, rows, bytes, limit):
            return "\(file): stopped after \(rows) rows: the cases (and the files being read) would take \(bytes >> 20) MiB, more than --max-memory \(limit >> 20) MiB; "
                + "filter the extract, drop wide columns, or raise --max-memory"
        case let .tooManyGroups(file, dimension, groups, limit):
            return "\(file): \(dimension) has \(NumberText.thousands(groups)) distinct values, more than --max-distinct \(NumberText.thousands(limit)) "
                + "allows a dimension to break cases down by; correct the column (is it free text?) or raise --max-distinct"
        }
    }
}

extension ImportReport {
    /// The account of the import, one fact per line: rows, files, stages not recorded, columns.
    public var accountLines: [String] {
        var lines: [String] = []
        if let snapshot {
            lines.append("Snapshot       \(DisplayText.sanitized(snapshot.path)), saved \(snapshot.saved)")
            lines += snapshot.changedSources.map { "  NOT CURRENT: \(DisplayText.sanitized($0))" }
        }
        lines += ["Rows read      \(rows)", "Accepted       \(accepted)"]
        if let skippedReason { lines.append("Skipped        \(skipped) \(skippedReason)") }
        lines += ["Rejected       \(rejected)", "Warnings       \(warningCount)"]
        if blankLines > 0 { lines.append("Blank lines    \(blankLines) (passed over)") }
        if let files = sourceFiles {
            let kinds = Dictionary(grouping: files.read, by: \.kind)
            lines.append("Files read     \(files.read.count): " + kinds.keys.sorted().map { "\(kinds[$0]!.count) \($0)" }.joined(separator: ", "))
            lines.append("Outcome rows   \(files.eventRows): \(files.eventsApplied) applied, \(files.eventsOutside) of crimes outside these files,")
            lines.append("               \(files.eventsBlank) blank, \(files.eventsUnknown) of unknown category, \(files.eventsRejected) rejected")
            lines.append("Passed over    \(files.passedOver.count) files" + (files.passedOver.isEmpty ? "" : ":"))
            lines += files.passedOver.map { "  \(DisplayText.sanitized($0.name)) (\($0.reason))" }
        }
        if let mapping {
            lines.append("Mapping        \(mapping.shownName)")
            for (column, values) in mapping.unmappedValues {
                let shown = values.prefix(8).map { DisplayText.quoted($0, limit: 30) }.joined(separator: ", ")
                lines.append("  not in [values.\(column)]: \(shown)\(values.count > 8 ? ", … (\(values.count) in all)" : "")")
            }
        }
        if let events {
            lines.append("Events         \(DisplayText.sanitized(events.file)): \(events.rows) rows: \(events.applied) applied, "
                + "\(events.unknownCases) of unknown cases, \(events.unmappedTypes.reduce(0) { $0 + $1.rows }) of unmapped types, \(events.rejected) rejected")
            if !events.unknownCaseLines.isEmpty {
                let shown = events.unknownCaseLines.prefix(10).map(String.init).joined(separator: ", ")
                lines.append("  unknown cases on lines \(shown)\(events.unknownCases > 10 ? ", …" : "")")
            }
            if !events.unmappedTypes.isEmpty {
                let shown = events.unmappedTypes.prefix(8).map { "\(DisplayText.quoted($0.type, limit: 30)) (\($0.rows))" }.joined(separator: ", ")
                lines.append("  not in [events.map]: \(shown)\(events.unmappedTypes.count > 8 ? ", …" : "")")
            }
        }
        if !unavailableStages.isEmpty {
            lines.append("Not recorded   \(unavailableStages.map(\.name).joined(separator: ", ")) (\(unrecordedReason))")
        }
        if !extraDimensions.isEmpty {
            lines.append("Extra columns  \(extraDimensions.map(DisplayText.sanitized).joined(separator: ", "))")
        }
        if !droppedColumns.isEmpty {
            lines.append("Left out       \(droppedColumns.map(DisplayText.sanitized).joined(separator: ", ")) (too many distinct values)")
        }
        return lines
    }

    /// Where a rejection or warning is: `line N`, or `FILE:N` for a source of several files.
    public func place(_ file: String?, _ line: Int) -> String {
        file.map { "\(DisplayText.sanitized($0)):\(line)" } ?? "line \(line)"
    }
}
