import Foundation

/// Which cases to count: for each filtered dimension, the groups allowed. Groups of one dimension
/// are OR-ed, different dimensions AND-ed (docs/contracts/case-journey-format.md, section 8). An empty filter keeps every case.
public struct CaseFilter: Equatable, Sendable {
    /// Allowed group labels by dimension name, each as the table spells it.
    public private(set) var allowed: [String: Set<String>] = [:]
    /// Maturity: only cases reported on or before this day (see `Maturity`).
    public var reportedBy: DayNumber?

    /// A filter that keeps every case.
    public init() {}

    /// True when nothing is filtered.
    public var isEmpty: Bool { allowed.isEmpty && reportedBy == nil }

    /// This filter with `label` of `dimension` also allowed.
    public func adding(_ label: String, of dimension: String) -> CaseFilter {
        var copy = self
        copy.allowed[dimension, default: []].insert(label)
        return copy
    }

    /// This filter with `label` of `dimension` no longer allowed (the dimension is dropped when none remain).
    public func removing(_ label: String, of dimension: String) -> CaseFilter {
        var copy = self
        copy.allowed[dimension]?.remove(label)
        if copy.allowed[dimension]?.isEmpty == true { copy.allowed[dimension] = nil }
        return copy
    }

    /// Replaces the groups allowed for `dimension` (an empty set drops the dimension from the filter).
    public mutating func setAllowed(_ labels: Set<String>, for dimension: String) {
        allowed[dimension] = labels.isEmpty ? nil : labels
    }

    /// This filter with `label` of `dimension` allowed if it was not, and no longer allowed if it was.
    public func toggling(_ label: String, of dimension: String) -> CaseFilter {
        allowed[dimension]?.contains(label) == true ? removing(label, of: dimension) : adding(label, of: dimension)
    }

    /// A filter from `DIM=VALUE` terms, checked against the table's dimensions and groups.
    public static func parse(_ terms: [String], in table: CaseTable) throws -> CaseFilter {
        var filter = CaseFilter()
        for term in terms {
            guard let equals = term.firstIndex(of: "=") else {
                throw QueryError.malformedFilter(term)
            }
            let column = try table.requireDimension(String(term[..<equals]))
            let value = String(term[term.index(after: equals)...])
            guard let code = column.code(ofLabel: value) else {
                throw QueryError.unknownValue(value, dimension: column.name, known: column.labels)
            }
            filter = filter.adding(column.labels[code], of: column.name)
        }
        return filter
    }

    /// One line for people: `crime_type = Rape or Stalking; bcu = North; reported by 2023-09-30`.
    public var summary: String {
        guard !isEmpty else { return "none" }
        var terms = allowed.keys.sorted().map { name in "\(name) = " + allowed[name]!.sorted().joined(separator: " or ") }
        if let reportedBy { terms.append("reported by \(reportedBy.iso)") }
        return terms.joined(separator: "; ")
    }

    /// The filter made ready to test rows of `table` quickly.
    func compiled(for table: CaseTable) throws -> CompiledFilter {
        let dimensions = try allowed.keys.sorted().map { name in
            let column = try table.requireDimension(name)
            let labels = allowed[name]!
            return (column.codes, column.labels.map { labels.contains($0) })
        }
        return CompiledFilter(dimensions: dimensions, reportedDays: table.reportedDays, reportedBy: reportedBy?.days)
    }
}

/// A filter resolved against one table: per dimension the codes and which pass, and the maturity cut-off.
struct CompiledFilter: @unchecked Sendable {
    let dimensions: [(codes: PackedColumn, passes: [Bool])]
    let reportedDays: DayColumn
    let reportedBy: Int32?
    /// Per dimension, 1 for each code that passes and 0 for the rest.
    private let passing: [[UInt8]]

    init(dimensions: [(codes: PackedColumn, passes: [Bool])], reportedDays: DayColumn, reportedBy: Int32?) {
        self.dimensions = dimensions
        self.reportedDays = reportedDays
        self.reportedBy = reportedBy
        passing = dimensions.map { $0.passes.map { $0 ? 1 : 0 } }
    }

    /// Whether every row is kept.
    var isEmpty: Bool { dimensions.isEmpty && reportedBy == nil }

    /// Whether the case in `row` is kept.
    @inline(__always)
    func keeps(_ row: Int) -> Bool {
        for dimension in dimensions where !dimension.passes[Int(dimension.codes[row])] { return false }
        if let reportedBy, reportedDays[row] > reportedBy { return false }
        return true
    }

    /// Writes 1 into `buffers.mask` for each row of `rows` kept, 0 for the others, a column at a
    /// time and without a branch per row.
    func mark(_ rows: Range<Int>, in buffers: RowBuffers) {
        let mask = buffers.mask, scratch = buffers.filterScratch, count = rows.count
        mask.update(repeating: 1, count: count)
        for (index, dimension) in dimensions.enumerated() {
            passing[index].withUnsafeBufferPointer { passes in
                if let codes = dimension.codes.bytes(rows) {
                    for row in 0..<count { mask[row] &= passes[Int(codes[row])] }
                } else {
                    dimension.codes.decode(rows, into: scratch)
                    for row in 0..<count { mask[row] &= passes[Int(scratch[row])] }
                }
            }
        }
        if let reportedBy {
            scratch.withMemoryRebound(to: Int32.self, capacity: count) { days in
                reportedDays.decode(rows, into: days)
                for row in 0..<count { mask[row] &= days[row] <= reportedBy ? 1 : 0 }
            }
        }
    }
}

/// A question the table cannot answer as asked.
public enum QueryError: Error, Equatable, CustomStringConvertible {
    /// No dimension has this name.
    case unknownDimension(String, known: [String])
    /// The dimension has no group with this label.
    case unknownValue(String, dimension: String, known: [String])
    /// A filter term without `=`.
    case malformedFilter(String)
    /// The view cannot be worked out from this file, and why.
    case notAnswerable(String)

    public var description: String {
        switch self {
        case let .unknownDimension(name, known):
            return "unknown dimension '\(DisplayText.sanitized(name))'; choose one of: \(known.joined(separator: ", "))"
        case let .unknownValue(value, dimension, known):
            let shown = known.prefix(30).joined(separator: ", ") + (known.count > 30 ? ", …" : "")
            return "no \(dimension) is '\(DisplayText.sanitized(value))' in this file; its values are: \(shown)"
        case let .malformedFilter(term):
            return "filter '\(DisplayText.sanitized(term))' is not of the form DIMENSION=VALUE (for example crime_type=Rape)"
        case let .notAnswerable(reason):
            return reason
        }
    }
}

extension CaseTable {
    /// The dimension with this name, or a `QueryError` listing the names there are.
    public func requireDimension(_ name: String) throws -> DimensionColumn {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let column = dimension(named: trimmed) else {
            let victim = [BuiltInDimension.victimSex, .victimAgeBand, .victimEthnicity, .victimDisability, .victimRelationship, .repeatVictim]
            if let note = noVictimCharacteristicsNote, victim.contains(where: { $0.rawValue == trimmed.lowercased() }) {
                throw QueryError.notAnswerable("'\(DisplayText.sanitized(trimmed))': \(note)")
            }
            throw QueryError.unknownDimension(name, known: dimensions.map(\.name))
        }
        return column
    }
}
