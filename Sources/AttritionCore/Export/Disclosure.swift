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
    /// Cells that stand for one value: withheld together.
    public let copies: [[CellAddress]]

    /// The relations `table`'s roles declare: sums within a row (`count(parts:)`), total rows
    /// adding up the rows that share their labels, and repeated counts adding up their block.
    public init(_ table: DataTable) {
        let index = Dictionary(table.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let counts = table.columns.indices.filter { table.columns[$0].role.isCount }
        countColumns = counts
        dependents = Dictionary(uniqueKeysWithValues: counts.map { ($0, DisclosureRelations.computed(from: $0, in: table)) })
        let isCount = { (address: CellAddress) -> Bool in
            if case .count = table.rows[address.row].cells[address.column] { return true }
            return false
        }
        var sums: [(parts: [CellAddress], total: CellAddress)] = []
        var copies: [[CellAddress]] = []
        func relate(_ parts: [CellAddress], _ total: CellAddress) {
            if !parts.isEmpty, isCount(total), parts.allSatisfy(isCount) { sums.append((parts, total)) }
        }
        // Within a row.
        for (column, declared) in table.columns.enumerated() {
            guard case .count(let partNames) = declared.role, !partNames.isEmpty else { continue }
            let partColumns = partNames.compactMap { index[$0] }
            guard partColumns.count == partNames.count else { continue }
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
                let parts = groupBlocksByLabels[key(first, blockLabels)] ?? []
                relate(parts.map { CellAddress($0, column) }, CellAddress(first, column))
            }
        }
        self.sums = sums
        self.copies = copies
    }

    /// The columns computed, directly or through other computed columns, from count column `column`.
    private static func computed(from column: Int, in table: DataTable) -> [Int] {
        var reached: Set<String> = [table.columns[column].name]
        var result: [Int] = []
        var grew = true
        while grew {
            grew = false
            for (candidate, declared) in table.columns.enumerated() where !reached.contains(declared.name) && !declared.role.isCount {
                if declared.role.sources.contains(where: reached.contains) {
                    reached.insert(declared.name)
                    result.append(candidate)
                    grew = true
                }
            }
        }
        return result.sorted()
    }
}

/// Small-count suppression for tables that leave the program, with secondary suppression so
/// no withheld count can be worked back from a sum it is part of (docs/methodology.md).
public struct Suppression: Equatable, Sendable {
    /// Counts from 1 to `threshold − 1` are withheld.
    public var threshold: Int

    /// Suppression of counts below `threshold` (default 5: counts 1 to 4 withheld).
    public init(threshold: Int = 5) { self.threshold = threshold }

    /// A description for export metadata.
    public var description: String {
        "counts of 1 to \(threshold - 1) withheld as [c], with rates computed from them; further cells withheld so none can be worked back from totals"
    }

    /// `table` with small counts withheld (primary), then further counts withheld until no sum
    /// the table's roles declare has exactly one withheld cell among its parts and total
    /// (secondary), and the number withheld of each kind.
    public func apply(to table: DataTable) -> (table: DataTable, primary: Int, secondary: Int) {
        let relations = DisclosureRelations(table)
        let copiesOf = Dictionary(relations.copies.flatMap { group in group.map { ($0, group) } }, uniquingKeysWith: { first, _ in first })
        var rows = table.rows
        var withheld = Set<CellAddress>()
        func withhold(_ address: CellAddress) {
            for cell in copiesOf[address] ?? [address] where withheld.insert(cell).inserted {
                rows[cell.row].cells[cell.column] = .suppressed
                for column in relations.dependents[cell.column] ?? [] { rows[cell.row].cells[column] = .suppressed }
            }
        }
        func count(_ address: CellAddress) -> Int? {
            if case .count(let n) = table.rows[address.row].cells[address.column] { return n }
            return nil
        }
        for row in rows.indices {
            for column in relations.countColumns {
                let address = CellAddress(row, column)
                if let n = count(address), n >= 1, n < threshold { withhold(address) }
            }
        }
        let primary = withheld.count
        var changed = true
        while changed {
            changed = false
            for sum in relations.sums {
                let cells = sum.parts + [sum.total]
                guard cells.filter(withheld.contains).count == 1 else { continue }
                let open = cells.filter { !withheld.contains($0) }
                let positive = open.filter { (count($0) ?? 0) > 0 }
                guard let next = (positive.isEmpty ? open : positive).min(by: { (count($0) ?? 0) < (count($1) ?? 0) }) else { continue }
                withhold(next)
                changed = true
            }
        }
        var result = table
        result.rows = rows
        return (result, primary, withheld.count - primary)
    }
}
