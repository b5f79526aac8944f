import AttritionCore
import AttritionTerminal

extension Page {
    /// One case's journey.
    public static let caseDetail = Page(id: "caseDetail")
}

/// One case's journey as a timeline.
enum CaseJourneyPage: PageUnit {
    static let name = "case journey"

    static var keys: [KeyHelp.Entry] {
        [KeyHelp.entry("↑↓ j k", "previous / next case in the list", footer: "case")] + [KeyHelp.commanding[0]] + KeyHelp.leaving.filter { $0.keys != "i" }
    }

    static func handle(_ state: inout AppState, _ key: Key) {
        guard var list = state.caseList,
              let cursor = Update.moved(list.cursor, key, count: list.shown.count, page: 1) else { return }
        list.cursor = cursor
        state.caseList = list
        state.caseRow = list.shown[cursor]
    }

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
        let furthest = table.furthestStage(ofRow: row)
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
        let outcome = table.outcome(ofRow: row)
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
