@testable import AttritionCore

/// What a reader of a published table knows about how its counts add up, written down here from
/// the meaning of each layout's columns (the contract), independently of the roles the code
/// declares, and an attacker that uses it to work withheld counts back.
enum PublishedArithmetic {
    /// A linear fact: Σ sign × cell = 0.
    struct Equation: CustomStringConvertible {
        var cells: [CellAddress] = []
        var signs: [Int] = []

        mutating func add(_ cell: CellAddress, _ sign: Int) {
            cells.append(cell)
            signs.append(sign)
        }

        var description: String {
            zip(cells, signs).map { "\($1 > 0 ? "+" : "-")(\($0.row),\($0.column))" }.joined(separator: " ")
        }
    }

    /// The equations a reader knows hold in `table`, made with rate basis `basis`.
    static func equations(of table: DataTable, basis: RateBasis) -> [Equation] {
        let names = table.columns.map(\.name)
        let column = { (name: String) in names.firstIndex(of: name) }
        let isTotal = { (row: Int) in table.rows[row].cells[0] == .text("Total") }
        let groupRows = table.rows.indices.filter { !isTotal($0) }
        let totalRows = table.rows.indices.filter(isTotal)
        var equations: [Equation] = []
        func isCount(_ row: Int, _ col: Int) -> Bool {
            if case .count = table.rows[row].cells[col] { return true }
            return false
        }
        func equal(_ a: CellAddress, _ b: CellAddress) {
            var equation = Equation()
            equation.add(a, 1)
            equation.add(b, -1)
            equations.append(equation)
        }
        func totalOf(_ col: Int, rows: [Int], total: Int) {
            var equation = Equation()
            equation.add(CellAddress(total, col), 1)
            for row in rows { equation.add(CellAddress(row, col), -1) }
            equations.append(equation)
        }
        if let reported = column("reported"), column("open_reported") != nil {
            // Funnel layout: stage flow, numerators and denominators, totals.
            let stages = ["reported", "referred", "charged", "prosecuted", "convicted"]
            for row in table.rows.indices {
                let recorded = stages.filter { isCount(row, column($0)!) }
                for (stage, next) in zip(recorded, recorded.dropFirst()) {
                    var flow = Equation()
                    flow.add(CellAddress(row, column(stage)!), 1)
                    for part in [next, "open_\(stage)", "closed_\(stage)"] { flow.add(CellAddress(row, column(part)!), -1) }
                    equations.append(flow)
                    if let numerator = column("\(stage)_to_\(next)_numerator"), let denominator = column("\(stage)_to_\(next)_denominator") {
                        equal(CellAddress(row, numerator), CellAddress(row, column(next)!))
                        var den = Equation()
                        den.add(CellAddress(row, denominator), 1)
                        if basis == .all {
                            den.add(CellAddress(row, column(stage)!), -1)
                        } else {
                            den.add(CellAddress(row, column(next)!), -1)
                            den.add(CellAddress(row, column("closed_\(stage)")!), -1)
                        }
                        equations.append(den)
                    }
                }
            }
            for total in totalRows {
                for col in names.indices where isCount(total, col) && col >= reported { totalOf(col, rows: groupRows, total: total) }
            }
        } else if let count = column("count"), let closed = column("closed_at_stage"), let open = column("open_at_stage"),
                  let stage = column("stage"), let reason = column("reason") {
            // Reasons: each block's reasons add up to the cases closed there; the total adds up the groups.
            var blocks: [[DataCell]: [Int]] = [:]
            for row in table.rows.indices { blocks[[table.rows[row].cells[0], table.rows[row].cells[stage]], default: []].append(row) }
            for rows in blocks.values {
                var sum = Equation()
                sum.add(CellAddress(rows[0], closed), 1)
                for row in rows { sum.add(CellAddress(row, count), -1) }
                equations.append(sum)
                for row in rows.dropFirst() {
                    equal(CellAddress(row, closed), CellAddress(rows[0], closed))
                    equal(CellAddress(row, open), CellAddress(rows[0], open))
                }
            }
            for total in totalRows {
                let matching = groupRows.filter {
                    table.rows[$0].cells[stage] == table.rows[total].cells[stage] && table.rows[$0].cells[reason] == table.rows[total].cells[reason]
                }
                totalOf(count, rows: matching, total: total)
                let firstOfEachGroup = Dictionary(grouping: groupRows.filter { table.rows[$0].cells[stage] == table.rows[total].cells[stage] }) {
                    table.rows[$0].cells[0]
                }.values.map { $0[0] }
                // Only where every group with cases closed there shows up (a group with none closed has no row).
                totalOf(closed, rows: firstOfEachGroup, total: total)
            }
        } else if let measure = column("measure"), let crime = column("crime_type"), let numerator = column("numerator"),
                  let denominator = column("denominator") {
            // Scorecard: within a measure and a crime type, the groups add up to the total.
            for total in table.rows.indices where table.rows[total].isTotal {
                let block = table.rows.indices.filter {
                    !table.rows[$0].isTotal && table.rows[$0].cells[measure] == table.rows[total].cells[measure]
                        && table.rows[$0].cells[crime] == table.rows[total].cells[crime]
                }
                totalOf(numerator, rows: block, total: total)
                totalOf(denominator, rows: block, total: total)
            }
        } else if let cases = column("cases"), column("open_censored") != nil {
            // Survival: every case's follow-up ends one way; the total adds up the groups.
            let parts = ["reached_stage", "closed_before", "open_censored", "left_out"].map { column($0)! }
            for row in table.rows.indices {
                var sum = Equation()
                sum.add(CellAddress(row, cases), 1)
                for part in parts { sum.add(CellAddress(row, part), -1) }
                equations.append(sum)
            }
            for total in totalRows {
                for col in [cases] + parts { totalOf(col, rows: groupRows, total: total) }
            }
        } else if column("timed") != nil, let stage = column("stage") {
            for total in totalRows {
                let matching = groupRows.filter { table.rows[$0].cells[stage] == table.rows[total].cells[stage] }
                for name in ["timed", "no_date", "dates_out_of_order", "still_open"] { totalOf(column(name)!, rows: matching, total: total) }
            }
        }
        return equations
    }

    /// Withheld small counts (1 to 4 in `original`) that an attacker narrows to fewer than three
    /// whole numbers by linear programming (GLPK, through the code's solver wrapper) over
    /// `equations`, every withheld count at least 1 and every shown count at its value.
    static func exposed(_ table: DataTable, original: DataTable, equations: [Equation]) -> [CellAddress] {
        var shown: [CellAddress: Int] = [:]
        var withheld = Set<CellAddress>()
        for (row, tableRow) in table.rows.enumerated() {
            for (col, cell) in tableRow.cells.enumerated() {
                if case .count(let n) = cell { shown[CellAddress(row, col)] = n }
                if cell == .suppressed, case .count = original.rows[row].cells[col] { withheld.insert(CellAddress(row, col)) }
            }
        }
        let facts = equations.map { equation in
            LinearFact(terms: zip(equation.cells, equation.signs).map { LinearFact.Term(cell: $0, coefficient: Double($1)) }, lower: 0, upper: 0)
        }
        let attack = IntervalAttack(facts: facts, values: shown, withheld: withheld)
        return withheld.sorted(by: IntervalAttack.order).filter { cell in
            guard case .count(let n) = original.rows[cell.row].cells[cell.column], n < 5 else { return false }
            return !attack.protects(cell, span: 3)
        }
    }

    /// The numerator column of rate column `column`, by the layouts' naming.
    static func numerator(of column: Int, in table: DataTable) -> Int? {
        let name = table.columns[column].name
        let names = table.columns.map(\.name)
        if name.hasSuffix("_rate"), name.contains("_to_") { return names.firstIndex(of: name.dropLast(5) + "_numerator") }
        if name.hasSuffix("_cumulative_rate") { return names.firstIndex(of: String(name.dropLast("_cumulative_rate".count))) }
        if name == "share" { return names.firstIndex(of: "count") }
        if name == "rate" { return names.firstIndex(of: "numerator") }
        return nil
    }
}
