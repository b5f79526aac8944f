/// A cell of a data table, by row and column.
public struct CellAddress: Hashable, Sendable {
    /// Row index.
    public let row: Int
    /// Column index.
    public let column: Int

    /// The cell at `row`, `column`.
    public init(_ row: Int, _ column: Int) {
        self.row = row
        self.column = column
    }
}

/// What disclosure control needs to know about a table: which cells are counts of people, which
/// cells must go with a count (a rate computed from it), and which cells add up to which totals.
public struct DisclosureLayout: Sendable {
    /// Columns whose counts could identify people.
    public var countColumns: Set<Int> = []
    /// For a count column, the columns in the same row that must be withheld with it (its rates).
    public var dependents: [Int: [Int]] = [:]
    /// Parts that add up to a total: if one part alone were withheld it could be worked back.
    public var sums: [(parts: [CellAddress], total: CellAddress)] = []
    /// Cells that repeat another cell's value (withheld whenever it is).
    public var copies: [CellAddress: [CellAddress]] = [:]

    /// A layout with nothing to protect.
    public init() {}
}

/// Small-count suppression for exports, with secondary suppression so no withheld count can be
/// recovered from the totals it adds up to (docs/methodology.md).
public struct Suppression: Equatable, Sendable {
    /// Counts from 1 to `threshold − 1` are withheld.
    public var threshold: Int

    /// Suppression of counts below `threshold` (default 5: counts 1 to 4 withheld).
    public init(threshold: Int = 5) { self.threshold = threshold }

    /// A description for export metadata.
    public var description: String {
        "counts of 1 to \(threshold - 1) withheld as [c], with rates computed from them; further cells withheld so none can be worked back from totals"
    }

    /// `table` with small counts withheld (primary), then further counts withheld until every
    /// sum has either no withheld part or at least two (secondary), and the number withheld of each kind.
    public func apply(to table: DataTable) -> (table: DataTable, primary: Int, secondary: Int) {
        var rows = table.rows
        let layout = table.disclosure
        var withheld = Set<CellAddress>()
        func withhold(_ address: CellAddress) {
            guard withheld.insert(address).inserted else { return }
            rows[address.row][address.column] = .suppressed
            for column in layout.dependents[address.column] ?? [] { rows[address.row][column] = .suppressed }
            for copy in layout.copies[address] ?? [] { withhold(copy) }
        }
        func count(_ address: CellAddress) -> Int? {
            if case .count(let n) = table.rows[address.row][address.column] { return n }
            return nil
        }
        for row in rows.indices {
            for column in layout.countColumns {
                let address = CellAddress(row, column)
                if let n = count(address), n >= 1, n < threshold { withhold(address) }
            }
        }
        let primary = withheld.count
        var changed = true
        while changed {
            changed = false
            for sum in layout.sums {
                let hidden = sum.parts.filter { withheld.contains($0) }
                guard hidden.count == 1, !withheld.contains(sum.total) else { continue }
                let candidates = sum.parts.filter { !withheld.contains($0) && count($0) != nil }
                let positive = candidates.filter { (count($0) ?? 0) > 0 }
                if let next = (positive.isEmpty ? candidates : positive).min(by: { (count($0) ?? 0) < (count($1) ?? 0) }) {
                    withhold(next)
                } else {
                    withhold(sum.total)
                }
                changed = true
            }
        }
        var result = table
        result.rows = rows
        return (result, primary, withheld.count - primary)
    }
}
