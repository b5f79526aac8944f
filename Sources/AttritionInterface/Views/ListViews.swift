import AttritionCore
import AttritionTerminal

/// Choosing filter values: dimensions on the left, the highlighted dimension's values on the right.
enum FilterView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        canvas.rule("Filters: values of one dimension are OR-ed, different dimensions AND-ed", row: Layout.headingRow)
        let dimensions = state.table.dimensions
        let height = Layout.listHeight(state.display)
        let left = FilterColumns.valuesLeft
        canvas.text("Dimension", row: Layout.columnsRow, column: 2, width: left - 3,
                    style: TextStyle(bold: true, reverse: state.pane == .primary))
        let dimension = dimensions[state.filterDimensionCursor]
        canvas.text("Values of \(BreakdownView.title(dimension.name))", row: Layout.columnsRow, column: left,
                    width: canvas.width - left, style: TextStyle(bold: true, reverse: state.pane == .secondary))
        let firstDimension = Layout.firstVisible(cursor: state.filterDimensionCursor, height: height)
        for (offset, column) in dimensions.dropFirst(firstDimension).prefix(height).enumerated() {
            let index = firstDimension + offset
            let chosen = state.filter.allowed[column.name]?.count ?? 0
            let selected = index == state.filterDimensionCursor
            canvas.text("\(selected ? "▶" : " ") \(BreakdownView.title(column.name))\(chosen > 0 ? " (\(chosen))" : "")",
                        row: Layout.listTop + offset, column: 0, width: left - 1,
                        style: TextStyle(bold: chosen > 0, reverse: selected && state.pane == .primary))
        }
        let below = Layout.listTop + min(height, dimensions.count) + 1
        if state.table.noVictimCharacteristicsNote != nil, below < Layout.messageRow(state.display) {
            canvas.text("(no victim characteristics in this data)", row: below, column: 2, width: left - 3, style: TextStyle(dim: true))
        }
        let allowed = state.filter.allowed[dimension.name] ?? []
        let firstValue = Layout.firstVisible(cursor: state.filterValueCursor, height: height)
        for (offset, label) in dimension.labels.dropFirst(firstValue).prefix(height).enumerated() {
            let index = firstValue + offset
            let selected = index == state.filterValueCursor && state.pane == .secondary
            let box = allowed.contains(label) ? "[x]" : "[ ]"
            canvas.text("\(box) \(label)", row: Layout.listTop + offset, column: left, width: canvas.width - left,
                        style: TextStyle(bold: allowed.contains(label), reverse: selected))
        }
    }
}

/// Choosing the breakdown dimension.
enum DimensionView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        canvas.rule("Break down by", row: Layout.headingRow)
        canvas.text("Dimension                       Groups", row: Layout.columnsRow, column: 2, width: canvas.width - 2,
                    style: TextStyle(bold: true))
        let height = Layout.listHeight(state.display)
        let first = Layout.firstVisible(cursor: state.dimensionCursor, height: height)
        for (offset, column) in state.table.dimensions.dropFirst(first).prefix(height).enumerated() {
            let selected = first + offset == state.dimensionCursor
            let name = BreakdownView.title(column.name)
            let padded = name.count < 30 ? name + String(repeating: " ", count: 30 - name.count) : name
            canvas.text("\(selected ? "▶" : " ") \(padded)  \(Figures.count(column.labels.count).leftPadded(6))  (\(column.name))",
                        row: Layout.listTop + offset, column: 0, width: canvas.width,
                        style: TextStyle(bold: column.name == state.dimension, reverse: selected))
        }
        let below = Layout.listTop + min(height, state.table.dimensions.count) + 1
        if let note = state.table.noVictimCharacteristicsNote {
            canvas.wrapped(note, row: below, column: 2, width: canvas.width - 4, lastRow: Layout.messageRow(state.display) - 1,
                           style: TextStyle(dim: true))
        }
    }
}

/// The cases behind a number, searchable.
enum CaseListView {
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
        let stage = Stage(rawValue: Int(table.furthestStages[row])) ?? .reported
        let status: String
        switch CaseOutcome(code: table.outcomes[row]) {
        case .police(let outcome): status = "\(outcome.code) \(outcome.name)"
        case let other: status = other.name
        }
        return cells([
            (selected ? "▶ " : "  ") + table.caseId(ofRow: row), DayNumber(days: table.reportedDays[row]).iso,
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

/// Help and the import summary: scrolling text.
enum TextPageView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        let title = state.page == .help ? "Help: \(pageName(state.pageBelow))" : "Import summary"
        canvas.rule(title, row: Layout.headingRow)
        let lines = TextPages.lines(state)
        let height = Layout.textHeight(state.display)
        for (offset, line) in lines.dropFirst(state.scroll).prefix(height).enumerated() {
            canvas.text(" " + line.text, row: Layout.headingRow + 1 + offset, column: 0, width: canvas.width,
                        style: TextStyle(bold: line.isHeading))
        }
    }

    static func pageName(_ page: Page) -> String {
        switch page {
        case .funnel: "funnel"
        case .breakdown: "breakdown"
        case .filters: "filters"
        case .dimensions: "dimensions"
        case .cases: "case list"
        case .caseDetail: "case journey"
        case .help: "help"
        case .importSummary: "import summary"
        case .reasons: "reasons"
        case .timing: "timing"
        case .funnelPlot: "funnel plot"
        case .heatmap: "heatmap"
        case .trend: "trend"
        case .survival: "time to a stage"
        }
    }
}

/// One case's journey as a timeline.
enum CaseDetailView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard let row = state.caseRow else { return }
        let table = state.table
        canvas.rule("Case \(table.caseId(ofRow: row)) (\(table.sourcePlace(ofRow: row)))", row: Layout.headingRow)
        func label(_ dimension: BuiltInDimension) -> String {
            table.dimension(named: dimension.rawValue).map { $0.labels[Int($0.codes[row])] } ?? "Unknown"
        }
        var lines: [(String, TextStyle)] = [
            ("Crime type  \(label(.crimeType))", .plain),
            ("BCU         \(label(.bcu)) (borough: \(label(.borough)))", .plain),
        ]
        if table.hasVictimCharacteristics {
            lines.append(("Victim      \(label(.victimSex)) · \(label(.victimAgeBand)) · \(label(.victimEthnicity)) · disabled: \(label(.victimDisability)) · repeat victim: \(label(.repeatVictim))", .plain))
            lines.append(("Suspect     \(label(.victimRelationship))", .plain))
        } else {
            lines.append(("Victim      not in this data (police.uk publishes no victim characteristics)", TextStyle(dim: true)))
        }
        for column in table.dimensions where BuiltInDimension(rawValue: column.name) == nil {
            lines.append(("\(column.name): \(column.labels[Int(column.codes[row])])", .plain))
        }
        if table.weights[row] > 1 { lines.append(("This row stands for \(table.weights[row]) cases.", TextStyle(bold: true))) }
        lines += [("", .plain), ("Journey", TextStyle(bold: true))]
        let furthest = Stage(rawValue: Int(table.furthestStages[row])) ?? .reported
        let reported = table.reportedDays[row]
        for stage in table.availableStages {
            let reached = stage <= furthest
            let date = table.date(ofRow: row, at: stage)
            let dateText = date.map { table.datePrecision.text($0) } ?? (reached ? "(no date)" : "")
            let lag = date.map { stage == .reported ? "" : "  +" + table.datePrecision.lag(from: DayNumber(days: reported), to: $0) } ?? ""
            let mark = reached ? "●" : "○"
            lines.append(("  \(dateText.padding(toLength: 10, withPad: " ", startingAt: 0))  \(mark) \(stage.title)\(reached ? lag : "  not reached")",
                          TextStyle(dim: !reached)))
        }
        let outcome = CaseOutcome(code: table.outcomes[row])
        let closedOn = table.outcomeDate(ofRow: row).map { " on " + table.datePrecision.text($0) } ?? ""
        lines.append(("", .plain))
        switch outcome {
        case .open: lines.append(("Open at \(furthest.title): still in progress, not attrition.", TextStyle(bold: true)))
        case .convicted:
            lines.append(("Convicted\(closedOn).", TextStyle(bold: true)))
        case .police, .court, .policeUK:
            lines.append(("Closed at \(furthest.title)\(closedOn): \(outcome.name)", TextStyle(bold: true, colour: .low)))
        }
        for (offset, line) in lines.prefix(Layout.messageRow(state.display) - Layout.columnsRow).enumerated() {
            canvas.text("  " + line.0, row: Layout.columnsRow + offset, column: 0, width: canvas.width, style: line.1)
        }
    }
}
