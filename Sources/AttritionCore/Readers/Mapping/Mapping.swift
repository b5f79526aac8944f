import Crypto
import Foundation
import TOMLKit

/// A mapping file (docs/contracts/mapping-and-events.md, section 1): how a records-system extract's
/// headers, dates and values translate to the case-journey format, which columns are never
/// read, and where the events are. Read with TOMLKit; every problem is found before any data is
/// read, and named with the mapping's line.
public struct Mapping: Sendable {
    /// The mapping file's path, as given.
    public let path: String
    /// SHA-256 of the mapping file's bytes.
    public let sha256: String
    /// `[columns]`: for a canonical column, the header it has in the data.
    public let columns: [KnownColumn: String]
    /// `[columns]`: each canonical column's key as written in the mapping (for its line).
    let columnKeys: [KnownColumn: String]
    /// `[dates] formats`, tried in order before the built-in two.
    public let dateFormats: [DateFormat]
    /// `[values.<column>]`: for a canonical column, each value (folded: trimmed, lower case) and its canonical value.
    public let values: [KnownColumn: [String: String]]
    /// `[drop] columns`: headers never read.
    public let dropped: [String]
    /// `[events]`, when the journeys come from an event log.
    public let events: EventLogSpec?
    private let lines: TOMLKeyLines

    /// The line of `key` in `[table]` (or of the table's header when `key` is nil), if found.
    public func line(_ table: String, _ key: String? = nil) -> Int? { lines.line(table, key) }

    /// An error about this mapping, at the line of `key` in `[table]`.
    func error(_ table: String, _ key: String? = nil, _ reason: String) -> MappingError {
        MappingError(file: path, line: line(table, key) ?? line(table), reason: reason)
    }

    /// Reads and checks the mapping at `path`.
    public static func load(path: String) throws -> Mapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingError(file: path, line: nil, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MappingError(file: path, line: nil, reason: "is not UTF-8 text")
        }
        return try Mapping(path: path, text: text, sha256: Hex.string(SHA256.hash(data: data)))
    }

    /// A mapping from TOML `text`, known as `path` in messages.
    init(path: String, text: String, sha256: String) throws {
        self.path = path
        self.sha256 = sha256
        lines = TOMLKeyLines(text)
        let root: TOMLTable
        do {
            root = try TOMLDocument.parse(text)
        } catch {
            throw MappingError(file: path, line: error.line, reason: "is not valid TOML: \(error.reason)")
        }
        let lines = self.lines
        func fail(_ table: String, _ key: String?, _ reason: String) -> MappingError {
            MappingError(file: path, line: lines.line(table, key) ?? lines.line(table, nil), reason: reason)
        }
        for section in root.keys where !["columns", "dates", "values", "drop", "events"].contains(section) {
            throw fail(section, nil, "[\(section)] is not a section of a mapping (columns, dates, values, drop, events)")
        }
        func table(_ name: String, in parent: TOMLTable = root, path tablePath: String? = nil) throws -> TOMLTable? {
            guard let value = parent[name] else { return nil }
            guard let table = value.table else { throw fail(tablePath ?? name, nil, "\(tablePath ?? name) must be a table ([\(tablePath ?? name)])") }
            return table
        }
        func string(_ value: TOMLValueConvertible, _ tableName: String, _ key: String) throws -> String {
            guard let text = value.string else { throw fail(tableName, key, "\(key) must be text in quotes") }
            return text
        }

        var columns: [KnownColumn: String] = [:]
        var columnKeys: [KnownColumn: String] = [:]
        if let section = try table("columns") {
            for key in section.keys {
                guard let column = KnownColumn(name: key.lowercased()) else {
                    throw fail("columns", key, "'\(DisplayText.sanitized(key))' is not a canonical column; the columns are "
                        + KnownColumn.allCases.map(\.name).joined(separator: ", "))
                }
                columns[column] = try string(section[key]!, "columns", key)
                columnKeys[column] = key
            }
        }
        self.columns = columns
        self.columnKeys = columnKeys

        var formats: [DateFormat] = []
        if let section = try table("dates") {
            for key in section.keys where key != "formats" {
                throw fail("dates", key, "[dates] takes only formats = [\"%d-%b-%Y\", …]")
            }
            if let value = section["formats"] {
                guard let array = value.array else { throw fail("dates", "formats", "formats must be a list of text, like [\"%d-%b-%Y\"]") }
                for element in array {
                    guard let text = element.string else { throw fail("dates", "formats", "formats must be a list of text, like [\"%d-%b-%Y\"]") }
                    switch DateFormat.parse(text) {
                    case .success(let format): formats.append(format)
                    case .failure(let problem): throw fail("dates", "formats", "date format '\(DisplayText.sanitized(text))': \(problem.reason)")
                    }
                }
            }
        }
        dateFormats = formats

        var values: [KnownColumn: [String: String]] = [:]
        if let section = try table("values") {
            for name in section.keys {
                let tableName = "values.\(name)"
                guard let column = KnownColumn(name: name.lowercased()) else {
                    throw fail(tableName, nil, "[values.\(DisplayText.sanitized(name))]: '\(DisplayText.sanitized(name))' is not a canonical column")
                }
                guard let entries = try table(name, in: section, path: tableName) else { continue }
                var translation: [String: String] = [:]
                for key in entries.keys {
                    let canonical = try string(entries[key]!, tableName, key)
                    if let reason = Mapping.unacceptable(canonical, for: column) {
                        throw fail(tableName, key, "'\(DisplayText.sanitized(canonical))' is not accepted for \(column.name): \(reason)")
                    }
                    translation[ValueTranslation.fold(key)] = canonical
                }
                values[column] = translation
            }
        }
        self.values = values

        var dropped: [String] = []
        if let section = try table("drop") {
            for key in section.keys where key != "columns" { throw fail("drop", key, "[drop] takes only columns = [\"…\", …]") }
            if let value = section["columns"] {
                guard let array = value.array else { throw fail("drop", "columns", "columns must be a list of headers, like [\"Victim Name\"]") }
                for element in array {
                    guard let name = element.string else { throw fail("drop", "columns", "columns must be a list of headers, like [\"Victim Name\"]") }
                    dropped.append(name)
                }
            }
        }
        for (column, header) in columns where dropped.contains(where: { ValueTranslation.fold($0) == ValueTranslation.fold(header) }) {
            throw fail("drop", "columns", "'\(DisplayText.sanitized(header))' is both mapped (to \(column.name)) and dropped")
        }
        // A header of a canonical column's own name is read as that column unless another header is mapped to it.
        for name in dropped {
            guard let column = KnownColumn.allCases.first(where: { $0.name == ValueTranslation.fold(name) }), columns[column] == nil else { continue }
            throw fail("drop", "columns", "'\(DisplayText.sanitized(name))' is the \(column.name) column attrition reads, so it cannot be dropped; "
                + "map \(column.name) to another header in [columns] first, or take it out of [drop]")
        }
        self.dropped = dropped

        if let section = try table("events") {
            events = try EventLogSpec(section, mappingPath: path, fail: fail)
        } else {
            events = nil
        }
    }

    /// Why `value` is not an accepted canonical value of `column`, or nil when it is.
    static func unacceptable(_ value: String, for column: KnownColumn) -> String? {
        let bytes = Array(value.trimmingCharacters(in: .whitespaces).utf8)
        return bytes.withUnsafeBytes { raw -> String? in
            switch column {
            case .victimSex:
                let ok = ["female", "male", "other", "f", "m"].contains(value.lowercased()) || FieldParsing.isExplicitUnknown(raw) || raw.isEmpty
                return ok ? nil : "give Female, Male, Other or Unknown"
            case .victimDisability, .repeatVictim:
                return FieldParsing.yesNo(raw) != nil || FieldParsing.isExplicitUnknown(raw) || raw.isEmpty ? nil : "give Yes, No or Unknown"
            case .courtOutcome:
                return FieldParsing.courtOutcome(raw) != nil || raw.isEmpty ? nil : "give convicted, acquitted, discontinued or other"
            case .policeOutcome:
                return FieldParsing.policeOutcome(value) != nil || raw.isEmpty ? nil : "give a Home Office outcome code 1–22 or its name"
            case .victimAge:
                let band = CanonicalRowReader.looksLikeAgeBand(value)
                return FieldParsing.wholeNumber(raw).map { $0 <= 120 } == true || band || FieldParsing.isExplicitUnknown(raw) || raw.isEmpty
                    ? nil : "give an age 0–120 or a band such as 18-24"
            case .count:
                return FieldParsing.wholeNumber(raw).map { $0 >= 1 } == true ? nil : "give a whole number of at least 1"
            case .reportedDate, .referredDate, .chargedDate, .prosecutedDate, .convictedDate, .outcomeDate:
                return FieldParsing.date(raw) != nil || raw.isEmpty ? nil : "give a date as YYYY-MM-DD"
            case .caseId, .crimeType, .bcu, .borough, .victimEthnicity, .victimRelationship:
                return nil
            }
        }
    }
}

/// Why a mapping cannot be used: the mapping file, the line, and what is wrong.
public struct MappingError: Error, Equatable, CustomStringConvertible {
    /// The mapping file's path.
    public let file: String
    /// The line concerned, when one is.
    public let line: Int?
    /// What is wrong, and what would be right.
    public let reason: String

    /// An error about the mapping at `file`, at `line` when one is concerned.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "mapping \(file)\(line.map { ", line \($0)" } ?? ""): \(reason)" }
}
