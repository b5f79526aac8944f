import AttritionCore
import AttritionTerminal

extension Page {
    /// The cases behind a number.
    public static let cases = Page(id: "cases")
}

/// The cases behind a number, searchable.
enum CasesPage: PageUnit {
    static let name = "case list"

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "choose a case", footer: "move"),
            KeyHelp.entry("PgUp PgDn g G", "page up / down, first / last"),
            KeyHelp.entry("Enter", "the case's journey", footer: "journey"),
            KeyHelp.entry("/", "search by case reference or any field; Enter keeps, Esc clears", footer: "search"),
        ] + [KeyHelp.commanding[0]] + KeyHelp.leaving.filter { $0.keys != "i" }
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        guard var list = state.caseList else { return }
        if let cursor = Update.moved(list.cursor, key, count: list.shown.count, page: Layout.listHeight(state.display)) {
            list.cursor = cursor
            state.caseList = list
            return
        }
        switch key {
        case .character("/"):
            list.searching = true
            state.caseList = list
        case .enter:
            guard list.shown.indices.contains(list.cursor) else { return }
            state.caseRow = list.shown[list.cursor]
            state.push(.caseDetail)
        case let .click(row, _):
            let index = Layout.firstVisible(cursor: list.cursor, height: Layout.listHeight(state.display)) + row - Layout.listTop
            if row >= Layout.listTop, list.shown.indices.contains(index) {
                list.cursor = index
                state.caseList = list
            }
        default: Update.unknown(&state, key)
        }
    }

    static func search(_ state: inout AppState, _ key: Key) {
        guard var list = state.caseList else { return }
        switch key {
        case .enter:
            list.searching = false
        case .escape:
            list.searching = false
            list.query = ""
        case .backspace:
            if !list.query.isEmpty { list.query.removeLast() }
        case let .character(char) where !char.isNewline && char.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
            list.query.append(char)
        default:
            return
        }
        list.shown = CaseQuery.search(list.rows, in: state.table, for: list.query)
        list.cursor = min(list.cursor, max(list.shown.count - 1, 0))
        state.caseList = list
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard let list = state.caseList else { return }
        let count = list.query.isEmpty ? Figures.count(list.rows.count)
            : "\(Figures.count(list.shown.count)) of \(Figures.count(list.rows.count)) match '\(list.query)'"
        canvas.rule("Cases: \(list.title) (\(count))", row: Layout.headingRow)
        let table = state.table
        let columns = CaseColumns(table: table, width: canvas.width)
        canvas.text(columns.heading, row: Layout.columnsRow, column: 0, width: canvas.width, style: TextStyle(bold: true))
        let height = Layout.listHeight(state.display)
        let first = Layout.firstVisible(cursor: list.cursor, height: height)
        for (offset, row) in list.shown.dropFirst(first).prefix(height).enumerated() {
            let selected = first + offset == list.cursor
            canvas.text(columns.line(row, selected: selected), row: Layout.listTop + offset, column: 0, width: canvas.width,
                        style: TextStyle(reverse: selected))
        }
        if list.shown.isEmpty {
            canvas.text("  No case matches.", row: Layout.listTop, column: 0, width: canvas.width, style: TextStyle(dim: true))
        }
        if list.searching {
            canvas.text(" Search: \(list.query)_   (Enter keeps, Esc clears)", row: Layout.messageRow(state.display), column: 0,
                        width: canvas.width, style: TextStyle(bold: true, colour: .accent))
        }
    }
}

/// The columns of a case list row, sized to the screen: reference, report date, crime type,
/// BCU, furthest stage, and status taking the rest.
struct CaseColumns {
    let table: CaseTable
    private let crime: DimensionColumn?
    private let bcu: DimensionColumn?
    private let widths: [Int]

    init(table: CaseTable, width: Int) {
        self.table = table
        crime = table.dimension(named: BuiltInDimension.crimeType.rawValue)
        bcu = table.dimension(named: BuiltInDimension.bcu.rawValue)
        let wide = width >= 120
        widths = [wide ? 18 : 12, 10, wide ? 22 : 15, wide ? 14 : 13, 10]
    }

    var heading: String {
        cells(["  Case", "Reported", "Crime type", "BCU", "Reached", "Status"])
    }

    func line(_ row: Int, selected: Bool) -> String {
        let stage = table.furthestStage(ofRow: row)
        let status: String
        switch table.outcome(ofRow: row) {
        case .police(let outcome): status = "\(outcome.code) \(outcome.shortName)"
        case let other: status = other.name
        }
        return cells([
            // As precise as the data: police.uk dates crimes by month (2016-01), never a made-up first day.
            (selected ? "▶ " : "  ") + table.caseId(ofRow: row), table.datePrecision.text(DayNumber(days: table.reportedDays[row])),
            crime.map { $0.labels[Int($0.codes[row])] } ?? "", bcu.map { $0.labels[Int($0.codes[row])] } ?? "",
            stage == .referred ? "Referred" : stage.title, status,
        ])
    }

    private func cells(_ values: [String]) -> String {
        var line = ""
        for (index, value) in values.enumerated() {
            guard index < widths.count else { line += value; break }
            let width = widths[index]
            let fitted = value.count > width ? String(value.prefix(width - 1)) + "…" : value
            line += fitted + String(repeating: " ", count: width - fitted.count) + " "
        }
        return line
    }
}
