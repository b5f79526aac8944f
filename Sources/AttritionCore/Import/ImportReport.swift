/// A row the import refused, with the file line it starts on.
public struct Rejection: Equatable, Sendable {
    /// File line (1-based, the header is line 1) on which the record starts.
    public let line: Int
    /// Why it was refused, in words.
    public let reason: String

    /// A rejection of the record starting on `line`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// A row accepted with a field it could not read (that field became Unknown) or dates out of order.
public struct ImportWarning: Equatable, Sendable {
    /// File line (1-based) on which the record starts.
    public let line: Int
    /// The column concerned.
    public let field: String
    /// What was wrong, in words.
    public let reason: String

    /// A warning about `field` of the record starting on `line`.
    public init(line: Int, field: String, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }
}

/// The account of one import: every data record read is either accepted or rejected.
public struct ImportReport: Sendable {
    /// The file's name as given.
    public let file: String
    /// Data records read (the header and blank lines are not records).
    public let rows: Int
    /// Records accepted into the case table.
    public let accepted: Int
    /// Records refused, in file order.
    public let rejections: [Rejection]
    /// Records accepted with warnings, in file order.
    public let warnings: [ImportWarning]
    /// Empty lines passed over.
    public let blankLines: Int
    /// Stages the file's columns cannot speak to (for example `referred` with no `referred_date` column).
    public let unavailableStages: [Stage]
    /// Extra columns kept as dimensions, by their dimension name.
    public let extraDimensions: [String]
    /// SHA-256 of the bytes read, worked out while reading them.
    public let sourceSHA256: String

    /// Records refused.
    public var rejected: Int { rejections.count }
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
            return "\(file), line 1: missing required column '\(column)' (the header has \(shown))"
        case let .duplicateColumn(file, column, positions):
            let list = positions.map(String.init).joined(separator: " and ")
            return "\(file), line 1: column '\(column)' appears more than once (columns \(list)); rename or remove one"
        }
    }
}
