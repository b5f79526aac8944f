import Foundation

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

/// What a reader of a table can work out from it, derived from its columns' roles: which cells
/// are counts of people, which cells go with a count (the rates computed from it), which counts
/// add up to which, and which cells repeat another's value.
public struct DisclosureRelations: Sendable {
    /// Columns whose counts could identify people.
    public let countColumns: [Int]
    /// For a count column, the columns of the same row computed from it (withheld with it).
    public let dependents: [Int: [Int]]
    /// Counts that add up to another count: withheld alone, any one of them could be worked back.
    public let sums: [(parts: [CellAddress], total: CellAddress)]
    /// Counts that add up to at most another (the groups shown of a total some groups have no row in).
    public let partialSums: [(parts: [CellAddress], total: CellAddress)]
    /// Cells that stand for one value: withheld together.
    public let copies: [[CellAddress]]

    /// The relations `table`'s roles declare: sums within a row (`count(parts:)`), total rows
    /// adding up the rows that share their labels, and repeated counts adding up their block.
    public init(_ table: DataTable) {
        let index = table.columnIndex
        let counts = table.columns.indices.filter { table.columns[$0].role.isCount }
        countColumns = counts
        dependents = Dictionary(uniqueKeysWithValues: counts.map { ($0, DisclosureRelations.computed(from: $0, in: table)) })
        // A count, shown or withheld: what a sum can relate (a stage not recorded relates nothing).
        let isCount = { (address: CellAddress) -> Bool in
            switch table.rows[address.row].cells[address.column] {
            case .count, .suppressed: true
            default: false
            }
        }
        var sums: [(parts: [CellAddress], total: CellAddress)] = []
        var copies: [[CellAddress]] = []
        var partialSums: [(parts: [CellAddress], total: CellAddress)] = []
        func relate(_ parts: [CellAddress], _ total: CellAddress) {
            if !parts.isEmpty, isCount(total), parts.allSatisfy(isCount) { sums.append((parts, total)) }
        }
        // Within a row.
        for (column, declared) in table.columns.enumerated() {
            guard case .count(let partKeys) = declared.role, !partKeys.isEmpty else { continue }
            let partColumns = partKeys.compactMap { index[$0] }
            guard partColumns.count == partKeys.count else { continue }
            for row in table.rows.indices { relate(partColumns.map { CellAddress(row, $0) }, CellAddress(row, column)) }
        }
        // Total rows add up the other rows that share their labels (counts standing once per row).
        let labels = table.columns.indices.filter { table.columns[$0].role == .label }
        let key = { (row: Int, columns: [Int]) in columns.map { table.rows[row].cells[$0] } }
        var rowsByLabels: [[DataCell]: [Int]] = [:]
        for row in table.rows.indices where !table.rows[row].isTotal { rowsByLabels[key(row, labels), default: []].append(row) }
        let perRow = counts.filter { if case .count = table.columns[$0].role { true } else { false } }
        for total in table.rows.indices where table.rows[total].isTotal {
            let parts = rowsByLabels[key(total, labels)] ?? []
            for column in perRow { relate(parts.map { CellAddress($0, column) }, CellAddress(total, column)) }
        }
        // Repeated counts stand once per block (the rows sharing every label but `across`): the
        // block's rows repeat one value, which may add up a column over the block, and a total
        // block's value adds up the other groups' blocks with the same labels.
        for (column, declared) in table.columns.enumerated() {
            guard case let .repeated(across, sumOf) = declared.role, let acrossColumn = index[across] else { continue }
            let blockLabels = labels.filter { $0 != acrossColumn }
            let groupColumns = table.columns.indices.filter { table.columns[$0].role == .group }
            var blocks: [[DataCell]: [Int]] = [:]
            var order: [[DataCell]] = []
            for row in table.rows.indices {
                let blockKey = key(row, groupColumns + blockLabels) + [.text(table.rows[row].isTotal ? "total" : "")]
                if blocks[blockKey] == nil { order.append(blockKey) }
                blocks[blockKey, default: []].append(row)
            }
            var groupBlocksByLabels: [[DataCell]: [Int]] = [:]
            for blockKey in order {
                let rows = blocks[blockKey]!
                if rows.count > 1 { copies.append(rows.map { CellAddress($0, column) }) }
                if let sumOf, let summed = index[sumOf] {
                    relate(rows.map { CellAddress($0, summed) }, CellAddress(rows[0], column))
                }
                if !table.rows[rows[0]].isTotal { groupBlocksByLabels[key(rows[0], blockLabels), default: []].append(rows[0]) }
            }
            for blockKey in order where table.rows[blocks[blockKey]![0]].isTotal {
                let first = blocks[blockKey]![0]
                let parts = (groupBlocksByLabels[key(first, blockLabels)] ?? []).map { CellAddress($0, column) }
                // A group with no row here has none of the summed column (so the sum holds), but
                // may have any number of an unsummed one (so the groups shown add up to at most the total).
                if sumOf != nil {
                    relate(parts, CellAddress(first, column))
                } else if !parts.isEmpty, isCount(CellAddress(first, column)), parts.allSatisfy(isCount) {
                    partialSums.append((parts, CellAddress(first, column)))
                }
            }
        }
        self.sums = sums
        self.partialSums = partialSums
        self.copies = copies
    }

    /// The columns computed, directly or through other computed columns, from count column `column`.
    private static func computed(from column: Int, in table: DataTable) -> [Int] {
        var reached: Set<ColumnKey> = [table.columns[column].key]
        var result: [Int] = []
        var grew = true
        while grew {
            grew = false
            for (candidate, declared) in table.columns.enumerated() where !reached.contains(declared.key) && !declared.role.isCount {
                if declared.role.sources.contains(where: reached.contains) {
                    reached.insert(declared.key)
                    result.append(candidate)
                    grew = true
                }
            }
        }
        return result.sorted()
    }
}

/// A linear fact about a table's counts that its reader can rely on: `lower ≤ Σ coefficient × cell ≤ upper`.
public struct LinearFact: Sendable {
    /// One cell and its coefficient.
    public struct Term: Sendable {
        /// The cell.
        public let cell: CellAddress
        /// Its coefficient.
        public let coefficient: Double
    }

    /// The cells and their coefficients.
    public let terms: [Term]
    /// The least the sum can be, nil for no bound.
    public let lower: Double?
    /// The greatest the sum can be, nil for no bound.
    public let upper: Double?

    /// `Σ parts − total = 0`.
    public static func sum(_ parts: [CellAddress], equals total: CellAddress) -> LinearFact {
        LinearFact(terms: parts.map { Term(cell: $0, coefficient: 1) } + [Term(cell: total, coefficient: -1)], lower: 0, upper: 0)
    }

    /// What a rate printed as `rate` to `decimals` decimals says of its counts:
    /// `(rate − h) × denominator ≤ numerator ≤ (rate + h) × denominator`, h half the last decimal.
    public static func rate(_ rate: Double, decimals: Int, numerator: CellAddress, denominator: CellAddress) -> [LinearFact] {
        let half = 0.5 * pow(10, -Double(decimals)) * (1 + 1e-9)
        return [LinearFact(terms: [Term(cell: numerator, coefficient: 1), Term(cell: denominator, coefficient: -(rate + half))], lower: nil, upper: 0),
                LinearFact(terms: [Term(cell: numerator, coefficient: 1), Term(cell: denominator, coefficient: -(rate - half))], lower: 0, upper: nil)]
    }

    /// Every fact `table` publishes about its counts, shown or withheld: the sums and repeated
    /// values its columns' roles declare, and each shown rate's bounds on its counts (to the 4
    /// decimals of the CSV and JSON, the finest any format prints).
    public static func facts(of table: DataTable) -> [LinearFact] {
        structural(DisclosureRelations(table)) + rates(of: table)
    }

    /// The sums and repeated values of `relations`, as facts.
    static func structural(_ relations: DisclosureRelations) -> [LinearFact] {
        relations.sums.map { sum($0.parts, equals: $0.total) }
            + relations.partialSums.map { partial in
                LinearFact(terms: sum(partial.parts, equals: partial.total).terms, lower: nil, upper: 0)
            }
            + relations.copies.flatMap { group in zip(group, group.dropFirst()).map { sum([$0], equals: $1) } }
    }

    /// Each shown rate's bounds on its counts, where both are counts (shown or withheld).
    static func rates(of table: DataTable) -> [LinearFact] {
        var facts: [LinearFact] = []
        let index = table.columnIndex
        for (column, declared) in table.columns.enumerated() {
            guard case let .rate(numeratorKey, denominatorKey) = declared.role,
                  let numerator = index[numeratorKey], let denominator = index[denominatorKey] else { continue }
            for row in table.rows.indices {
                guard case .rate(let value?) = table.rows[row].cells[column] else { continue }
                let counts = [numerator, denominator].map { table.rows[row].cells[$0] }
                guard counts.allSatisfy({ if case .count = $0 { true } else { $0 == .suppressed } }) else { continue }
                facts += rate(value, decimals: 4, numerator: CellAddress(row, numerator), denominator: CellAddress(row, denominator))
            }
        }
        return facts
    }
}
