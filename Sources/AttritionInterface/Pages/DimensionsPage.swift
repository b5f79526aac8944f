import AttritionCore
import AttritionTerminal

extension Page {
    /// Choosing the breakdown dimension.
    public static let dimensions = Page(id: "dimensions")
}

/// Choosing the breakdown dimension.
enum DimensionsPage: PageUnit {
    static let name = "dimensions"

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "move", footer: "move"),
            KeyHelp.entry("Enter", "break down by this dimension", footer: "choose"),
        ] + [KeyHelp.commanding[0]] + KeyHelp.searching + KeyHelp.leaving.filter { $0.keys != "i" }
    }

    static func open(_ state: inout AppState) throws {
        state.dimensionCursor = state.table.dimensions.firstIndex { $0.name == state.dimension } ?? 0
        state.push(.dimensions)
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        let names = state.table.dimensions.map(\.name)
        if let cursor = Update.moved(state.dimensionCursor, key, count: names.count, page: Layout.listHeight(state.display)) {
            state.dimensionCursor = cursor
            return
        }
        switch key {
        case .enter:
            state.choose(dimension: names[state.dimensionCursor])
            state.back()
            if state.page != .breakdown { state.push(.breakdown) }
        case let .click(row, _):
            let index = Layout.firstVisible(cursor: state.dimensionCursor, height: Layout.listHeight(state.display)) + row - Layout.listTop
            if row >= Layout.listTop, names.indices.contains(index) { state.dimensionCursor = index }
        default: Update.unknown(&state, key)
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? {
        (state.table.dimensions.map { "\(BreakdownPage.title($0.name)) \($0.name)" }, state.dimensionCursor)
    }
    static func select(_ state: inout AppState, item index: Int) { state.dimensionCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        canvas.rule("Break down by", row: Layout.headingRow)
        canvas.text("Dimension                       Groups", row: Layout.columnsRow, column: 2, width: canvas.width - 2,
                    style: TextStyle(bold: true))
        let height = Layout.listHeight(state.display)
        let first = Layout.firstVisible(cursor: state.dimensionCursor, height: height)
        for (offset, column) in state.table.dimensions.dropFirst(first).prefix(height).enumerated() {
            let selected = first + offset == state.dimensionCursor
            let name = BreakdownPage.title(column.name)
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
