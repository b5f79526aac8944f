import Foundation

/// Which cases lie behind one number on screen: a filter, optionally one group of a dimension,
/// a stage the cases reached, and optionally how they ended.
public struct CaseSelection: Equatable, Sendable {
    /// The filter in force when the number was drilled into.
    public var filter: CaseFilter
    /// A dimension and the label of one of its groups, or nil for every group.
    public var group: (dimension: String, label: String)?
    /// Cases that reached this stage.
    public var reached: Stage
    /// When set, only cases whose furthest stage is `reached` and which ended this way.
    public var outcome: CaseOutcome?

    /// A selection of the cases that reached `reached` under `filter`.
    public init(filter: CaseFilter, group: (dimension: String, label: String)? = nil, reached: Stage = .reported,
                outcome: CaseOutcome? = nil) {
        self.filter = filter
        self.group = group
        self.reached = reached
        self.outcome = outcome
    }

    public static func == (lhs: CaseSelection, rhs: CaseSelection) -> Bool {
        lhs.filter == rhs.filter && lhs.group?.dimension == rhs.group?.dimension && lhs.group?.label == rhs.group?.label
            && lhs.reached == rhs.reached && lhs.outcome == rhs.outcome
    }
}

/// Finds the rows behind a number, and searches them: pure functions of the table.
public enum CaseQuery {
    /// Row indices of the cases `selection` describes, in file order.
    public static func rows(of table: CaseTable, _ selection: CaseSelection) throws -> [Int] {
        var filter = selection.filter
        if let group = selection.group { filter = filter.restricting(group.dimension, to: group.label) }
        let compiled = try filter.compiled(for: table)
        let stage = UInt8(selection.reached.rawValue)
        let outcomeCode = selection.outcome?.code
        var rows: [Int] = []
        let furthest = table.furthestStages, outcomes = table.outcomes
        rows: for row in 0..<table.rowCount {
            guard compiled.keeps(row) else { continue rows }
            if let outcomeCode {
                guard furthest[row] == stage, outcomes[row] == outcomeCode else { continue }
            } else {
                guard furthest[row] >= stage else { continue }
            }
            rows.append(row)
        }
        return rows
    }

    /// The rows among `rows` whose case reference, report date or any group label contains
    /// `query`, ignoring case.
    public static func search(_ rows: [Int], in table: CaseTable, for query: String) -> [Int] {
        let needle = query.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return rows }
        // A label matches once per dimension, so each row costs a few array look-ups.
        let matchingCodes = table.dimensions.map { column in column.labels.map { $0.lowercased().contains(needle) } }
        return rows.filter { row in
            for (index, column) in table.dimensions.enumerated() where matchingCodes[index][Int(column.codes[row])] {
                return true
            }
            if table.caseId(ofRow: row).lowercased().contains(needle) { return true }
            return DayNumber(days: table.reportedDays[row]).iso.contains(needle)
        }
    }
}

extension CaseFilter {
    /// This filter with `dimension` narrowed to the single group `label`.
    public func restricting(_ dimension: String, to label: String) -> CaseFilter {
        var copy = self
        copy.setAllowed([label], for: dimension)
        return copy
    }
}
