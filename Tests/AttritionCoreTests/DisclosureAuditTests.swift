@testable import AttritionCore
import Testing

/// The disclosure audit against tables whose attackable cells are known by construction, and
/// secondary suppression against tables whose cheapest protection is known by construction.
@Suite struct DisclosureAuditTests {
    /// A two-by-two table with row and column totals: `cells` row by row, margins added.
    private func twoByTwo(_ cells: [[Int]]) -> DataTable {
        let rows = ["A", "B"].enumerated().map { index, name in
            TableRow([.text(name), .count(cells[index][0]), .count(cells[index][1]), .count(cells[index][0] + cells[index][1])])
        }
        let total = TableRow([.text("Total"), .count(cells[0][0] + cells[1][0]), .count(cells[0][1] + cells[1][1]),
                              .count(cells.flatMap { $0 }.reduce(0, +))], isTotal: true)
        return DataTable(title: "t", notes: [], columns: [TableColumn("group", .group), TableColumn("x", .count(parts: [])),
                                                          TableColumn("y", .count(parts: [])), TableColumn("all", .count(parts: ["x", "y"]))],
                         rows: rows + [total])
    }

    private func withheld(_ table: DataTable) -> Set<CellAddress> {
        var cells = Set<CellAddress>()
        for (row, tableRow) in table.rows.enumerated() {
            for (column, cell) in tableRow.cells.enumerated() where cell == .suppressed { cells.insert(CellAddress(row, column)) }
        }
        return cells
    }

    /// One small cell in a table with margins can only be protected by withholding a rectangle:
    /// the cell, one other in its row, one in its column and the fourth corner. The cheapest
    /// rectangle here is the one of the smallest counts.
    @Test func aSmallCellNeedsTheCheapestRectangle() {
        let result = Suppression().apply(to: twoByTwo([[2, 20], [30, 40]]))
        #expect(withheld(result.table) == [CellAddress(0, 1), CellAddress(0, 2), CellAddress(1, 1), CellAddress(1, 2)])
        #expect(result.primary == 1 && result.secondary == 3)
        #expect(result.audit.exposed.isEmpty)
        // x + y = 22, x + B.x = 32, y + B.y = 60, B.x + B.y = 70, all at least 1: x lies in 1...21.
        #expect(result.audit.ranges[CellAddress(0, 1)]! == AttackRange(lower: 1, upper: 21))
    }

    /// With a third column, the rectangle through the cheaper column is chosen.
    @Test func theRectangleGoesThroughTheSmallerCounts() {
        let rows = [TableRow([.text("A"), .count(3), .count(500), .count(9), .count(512)]),
                    TableRow([.text("B"), .count(40), .count(600), .count(10), .count(650)]),
                    TableRow([.text("Total"), .count(43), .count(1100), .count(19), .count(1162)], isTotal: true)]
        let table = DataTable(title: "t", notes: [], columns: [TableColumn("group", .group), TableColumn("x", .count(parts: [])),
                                                               TableColumn("y", .count(parts: [])), TableColumn("z", .count(parts: [])),
                                                               TableColumn("all", .count(parts: ["x", "y", "z"]))], rows: rows)
        let result = Suppression().apply(to: table)
        #expect(withheld(result.table) == [CellAddress(0, 1), CellAddress(0, 3), CellAddress(1, 1), CellAddress(1, 3)])
        #expect(result.audit.exposed.isEmpty)
    }

    /// Nothing small, nothing withheld, nothing to attack.
    @Test func aTableWithoutSmallCountsIsLeftAlone() {
        let result = Suppression().apply(to: twoByTwo([[20, 20], [30, 40]]))
        #expect(withheld(result.table).isEmpty && result.audit.ranges.isEmpty)
    }

    /// A published table built by hand with known weaknesses: the audit finds exactly them.
    @Test func theAuditFindsExactlyTheCellsThatCanBeWorkedBack() {
        // Row A: 10 = [c] + 3 + 5, so the [c] is 2. Row B: 9 = [c] + [c] + 5: each in 1...3, safe.
        // Row C: 12 = [c] + [c] + 8: each in 1...3, safe. Row D: [c] + 3 = 7 and its rate x/7 = 0.2857 shown: x is 2.
        let columns = [TableColumn("group", .group), TableColumn("all", .count(parts: ["a", "b", "c"])), TableColumn("a", .count(parts: [])),
                       TableColumn("b", .count(parts: [])), TableColumn("c", .count(parts: [])),
                       TableColumn("share_a", .rate(numerator: "a", denominator: "all"))]
        let published = DataTable(title: "t", notes: [], columns: columns, rows: [
            TableRow([.text("A"), .count(10), .suppressed, .count(3), .count(5), .suppressed]),
            TableRow([.text("B"), .count(9), .suppressed, .suppressed, .count(5), .suppressed]),
            TableRow([.text("C"), .count(12), .suppressed, .suppressed, .count(8), .suppressed]),
            TableRow([.text("D"), .count(7), .suppressed, .suppressed, .count(3), .rate(2.0 / 7)]),
        ])
        let small: Set<CellAddress> = [CellAddress(0, 2), CellAddress(1, 2), CellAddress(1, 3), CellAddress(2, 2), CellAddress(2, 3),
                                       CellAddress(3, 2), CellAddress(3, 3)]
        let audit = DisclosureAudit(published, primary: small, secondary: 0, span: 3)
        #expect(audit.exposed == [CellAddress(0, 2), CellAddress(3, 2), CellAddress(3, 3)])
        #expect(audit.ranges[CellAddress(0, 2)]! == AttackRange(lower: 2, upper: 2))
        #expect(audit.ranges[CellAddress(1, 2)]! == AttackRange(lower: 1, upper: 3))
        #expect(audit.ranges[CellAddress(3, 2)]!?.wholeNumbers == 1)
    }

    /// The issue's own example: a stage count withheld beside the stage before it and the cases
    /// open and closed there is worked back by subtraction unless more is withheld.
    @Test func stageFlowIsProtected() {
        let columns = [TableColumn("group", .group), TableColumn("reported", .count(parts: ["referred", "open", "closed"])),
                       TableColumn("referred", .count(parts: [])), TableColumn("open", .count(parts: [])), TableColumn("closed", .count(parts: []))]
        let table = DataTable(title: "t", notes: [], columns: columns, rows: [
            TableRow([.text("North East"), .count(203), .count(4), .count(13), .count(186)]),
            TableRow([.text("South"), .count(300), .count(40), .count(60), .count(200)]),
            TableRow([.text("Total"), .count(503), .count(44), .count(73), .count(386)], isTotal: true),
        ])
        let result = Suppression().apply(to: table)
        #expect(result.table.rows[0].cells[2] == .suppressed)
        #expect(result.audit.exposed.isEmpty)
        #expect(result.secondary >= 3)  // a rectangle: one more in its row, its column, and the corner
        let range = result.audit.ranges[CellAddress(0, 2)]!!
        #expect(range.spans(atLeast: 3) && range.lower <= 4 && (range.upper ?? .infinity) >= 4)
    }
}
