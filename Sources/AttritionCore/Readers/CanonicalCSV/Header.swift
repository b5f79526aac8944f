import Foundation

/// The columns docs/contracts/case-journey-format.md names (section 1).
public enum KnownColumn: Int, CaseIterable, Sendable {
    /// Required columns, and where the case was.
    case caseId, reportedDate, crimeType, bcu, borough
    /// The victim's characteristics.
    case victimSex, victimAge, victimEthnicity, victimDisability, victimRelationship, repeatVictim
    /// Stage dates.
    case referredDate, chargedDate, prosecutedDate, convictedDate
    /// Outcomes, how many cases a row stands for, and when the case closed.
    case policeOutcome, courtOutcome, count, outcomeDate

    /// The column's header name.
    public var name: String { KnownColumn.names[rawValue] }

    /// The column with this header name (lower case), if it is one the contract names.
    public init?(name: String) {
        guard let index = KnownColumn.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: index)
    }

    private static let names = [
        "case_id", "reported_date", "crime_type", "bcu", "borough",
        "victim_sex", "victim_age", "victim_ethnicity", "victim_disability", "victim_relationship", "repeat_victim",
        "referred_date", "charged_date", "prosecuted_date", "convicted_date",
        "police_outcome", "court_outcome", "count", "outcome_date",
    ]
}

/// Where each column sits in a file, from its header line.
struct Header {
    /// Field position of each known column present.
    let positions: [KnownColumn: Int]
    /// Extra columns: dimension name and field position.
    let extras: [(name: String, position: Int)]
    /// Number of fields every record must have.
    let fieldCount: Int

    /// Matches header names case-insensitively after trimming, through `mapping`'s `[columns]`
    /// and `[drop]` when given; checks the required columns.
    /// For an event log that carries the attributes (`eventLog`), the case reference is its
    /// `[events] case_id` unless `[columns]` maps one, its event and date columns are no
    /// attributes, and a report date is not required: it comes from the events.
    init(names rawNames: [String], file: String, mapping: Mapping? = nil, eventLog: EventLogSpec? = nil) throws {
        let names = rawNames.map { $0.trimmingCharacters(in: .whitespaces) }
        var positions: [KnownColumn: Int] = [:]
        var extraPositions: [Int] = []
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = name.lowercased()
            if let first = seen[key] {
                throw ImportError.duplicateColumn(file: file, column: DisplayText.sanitized(name), positions: [first + 1, index + 1])
            }
            seen[key] = index
        }
        var claimed = Set<Int>()
        if let mapping {
            for (column, header) in mapping.columns {
                guard let index = seen[header.trimmingCharacters(in: .whitespaces).lowercased()] else {
                    throw mapping.error("columns", mapping.columnKeys[column], "\(column.name) = '\(DisplayText.sanitized(header))', but \(file) has no such column "
                        + "(its header has \(names.map { DisplayText.quoted($0, limit: 30) }.joined(separator: ", ")))")
                }
                positions[column] = index
                claimed.insert(index)
            }
            for header in mapping.dropped {
                guard let index = seen[header.trimmingCharacters(in: .whitespaces).lowercased()] else {
                    throw mapping.error("drop", "columns", "'\(DisplayText.sanitized(header))' is to be dropped, but \(file) has no such column")
                }
                claimed.insert(index)
            }
        }
        if let eventLog, let mapping {
            for (key, header) in [("case_id", eventLog.caseId), ("event", eventLog.event), ("date", eventLog.date)] {
                guard let index = seen[header.trimmingCharacters(in: .whitespaces).lowercased()] else {
                    throw mapping.error("events", key, "\(key) = '\(DisplayText.sanitized(header))', but \(file) has no such column")
                }
                if key == "case_id", positions[.caseId] == nil { positions[.caseId] = index }
                claimed.insert(index)
            }
        }
        for (index, name) in names.enumerated() where !claimed.contains(index) {
            if let known = KnownColumn(name: name.lowercased()), positions[known] == nil {
                positions[known] = index
            } else {
                extraPositions.append(index)
            }
        }
        let required: [KnownColumn] = eventLog == nil ? [.caseId, .reportedDate, .crimeType] : [.caseId, .crimeType]
        for required in required where positions[required] == nil {
            throw ImportError.missingColumn(file: file, column: required.name, header: names)
        }
        if positions[.bcu] == nil, positions[.borough] == nil {
            throw ImportError.missingColumn(file: file, column: "bcu' or 'borough", header: names)
        }
        self.positions = positions
        self.extras = Header.extraNames(names, at: extraPositions)
        fieldCount = names.count
    }

    /// Extra columns' dimension names, unique ignoring case: each header as it stands where it is
    /// free, else `NAME_extra` (clashing with a built-in dimension) or `column_N` (blank), with
    /// `_2`, `_3`… added until no other dimension has the name.
    private static func extraNames(_ names: [String], at positions: [Int]) -> [(name: String, position: Int)] {
        var taken = Set(BuiltInDimension.allCases.map(\.rawValue))
        let clean = positions.map { DisplayText.sanitized(names[$0]) }
        let keepsOwnName = clean.map { !$0.isEmpty && !taken.contains($0.lowercased()) }
        for (name, keeps) in zip(clean, keepsOwnName) where keeps { taken.insert(name.lowercased()) }
        return zip(positions, zip(clean, keepsOwnName)).map { position, named in
            let (name, keeps) = named
            if keeps { return (name, position) }
            let base = name.isEmpty ? "column_\(position + 1)" : name + "_extra"
            var candidate = base
            var suffix = 1
            while taken.contains(candidate.lowercased()) {
                suffix += 1
                candidate = "\(base)_\(suffix)"
            }
            taken.insert(candidate.lowercased())
            return (candidate, position)
        }
    }

    /// Stages the file cannot speak to, given the columns it has (docs/contracts/case-journey-format.md, section 2).
    var unavailableStages: [Stage] {
        let has = { (column: KnownColumn) in positions[column] != nil }
        var missing: [Stage] = []
        if !has(.referredDate) { missing.append(.referred) }
        if !has(.chargedDate), !has(.policeOutcome) { missing.append(.charged) }
        if !has(.prosecutedDate), !has(.courtOutcome) { missing.append(.prosecuted) }
        if !has(.convictedDate), !has(.courtOutcome) { missing.append(.convicted) }
        return missing
    }
}
