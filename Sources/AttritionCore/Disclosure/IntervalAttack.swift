/// What an attacker can prove about one withheld count: the least and greatest value it can
/// take given everything published.
public struct AttackRange: Equatable, Sendable {
    /// The least value (at least 1: zeros are always shown, so a withheld count is never 0).
    public let lower: Double
    /// The greatest value, nil when nothing published bounds it.
    public let upper: Double?

    /// The whole numbers the count could be, nil for endlessly many.
    public var wholeNumbers: Int? {
        guard let upper else { return nil }
        // Tolerance for the solver's arithmetic: 3.0000000001 is 3.
        let low = (lower - 1e-6).rounded(.up), high = (upper + 1e-6).rounded(.down)
        return max(0, Int(high - low) + 1)
    }

    /// Whether the range spans at least `span` whole numbers.
    public func spans(atLeast span: Int) -> Bool { wholeNumbers.map { $0 >= span } ?? true }
}

/// The interval attack of statistical disclosure control: for each withheld count, the linear
/// programmes min and max of the cell subject to every fact the table publishes (sums, repeated
/// values, rates' bounds), the shown counts at their values and the withheld ones at least 1.
/// Solved by GLPK; cells can be withheld or shown again between questions, so choosing what
/// else to withhold re-uses one programme.
final class IntervalAttack {
    /// The programme: one column per cell that appears in a fact or is withheld.
    private let program: LinearProgram
    /// Each cell's column.
    private let columns: [CellAddress: Int]
    /// The true values of the cells, for showing a cell again.
    private let values: [CellAddress: Int]
    /// The cells withheld now.
    private(set) var withheld: Set<CellAddress>
    /// Unknowns that may be 0 (groups of cases no table names by themselves); every other withheld cell is at least 1.
    private let mayBeZero: Set<CellAddress>

    /// An attack on a table publishing `facts`, with true counts `values` (only shown cells' are
    /// needed, and every cell that may be shown again) and `withheld` the cells withheld.
    init(facts: [LinearFact], values: [CellAddress: Int], withheld: Set<CellAddress>, mayBeZero: Set<CellAddress> = []) {
        self.mayBeZero = mayBeZero
        var columns: [CellAddress: Int] = [:]
        for cell in facts.flatMap({ $0.terms.map(\.cell) }) + withheld.sorted(by: IntervalAttack.order) where columns[cell] == nil {
            columns[cell] = columns.count
        }
        program = LinearProgram(columns: columns.count)
        self.columns = columns
        self.values = values
        self.withheld = withheld
        for fact in facts {
            var merged: [Int: Double] = [:]
            for term in fact.terms { merged[columns[term.cell]!, default: 0] += term.coefficient }
            program.addRow(merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, lower: fact.lower, upper: fact.upper)
        }
        for (cell, column) in columns { bound(cell, column) }
    }

    /// Withholds `cells` from now on.
    func withhold(_ cells: [CellAddress]) {
        for cell in cells where withheld.insert(cell).inserted { if let column = columns[cell] { bound(cell, column) } }
    }

    /// Shows `cells` (at their true values) from now on.
    func show(_ cells: [CellAddress]) {
        for cell in cells where withheld.remove(cell) != nil { if let column = columns[cell] { bound(cell, column) } }
    }

    /// What can be proved about withheld cell `cell`; nil when the solver cannot say (treated as exposed).
    func range(of cell: CellAddress) -> AttackRange? { solve(cell, witnessed: false)?.range }

    /// What can be proved about withheld cell `cell`, with the points of the region where it is
    /// least and greatest (one value per column; nil for an unbounded side): while those points
    /// stay in the region, so does the range.
    func witnessedRange(of cell: CellAddress) -> (range: AttackRange, least: [Double], greatest: [Double]?)? {
        solve(cell, witnessed: true).map { ($0.range, $0.least ?? [], $0.greatest) }
    }

    /// The least and greatest value of `cell`, and, when `witnessed`, the points where they are reached.
    private func solve(_ cell: CellAddress, witnessed: Bool) -> (range: AttackRange, least: [Double]?, greatest: [Double]?)? {
        guard let column = columns[cell] else { return (AttackRange(lower: 1, upper: nil), nil, nil) }
        guard case .value(let lower) = program.extreme(of: column, maximise: false) else { return nil }
        let least = witnessed ? program.solution() : nil
        switch program.extreme(of: column, maximise: true) {
        case .value(let upper): return (AttackRange(lower: lower, upper: upper), least, witnessed ? program.solution() : nil)
        case .unbounded: return (AttackRange(lower: lower, upper: nil), least, nil)
        case .infeasible, .failed: return nil
        }
    }

    /// Whether the point `witness` (from `witnessedRange`) has `cells` at their true values, so
    /// showing them leaves it in the region.
    func holds(_ witness: [Double], at cells: [CellAddress]) -> Bool {
        cells.allSatisfy { cell in
            guard let column = columns[cell] else { return true }
            return column < witness.count && abs(witness[column] - Double(values[cell] ?? 0)) < 1e-7
        }
    }

    /// Whether `cell`'s range spans at least `span` whole numbers.
    func protects(_ cell: CellAddress, span: Int) -> Bool { range(of: cell)?.spans(atLeast: span) ?? false }

    /// A shown cell fixed at its value; a withheld one at least 1 with no upper bound.
    private func bound(_ cell: CellAddress, _ column: Int) {
        if withheld.contains(cell) {
            program.setBounds(column, lower: mayBeZero.contains(cell) ? 0 : 1, upper: nil)
        } else {
            let value = Double(values[cell] ?? 0)
            program.setBounds(column, lower: value, upper: value)
        }
    }

    /// Reading order: by row, then column.
    static func order(_ a: CellAddress, _ b: CellAddress) -> Bool { (a.row, a.column) < (b.row, b.column) }

    /// The solver named in audit metadata.
    static var solver: String { LinearProgram.solverVersion }
}
