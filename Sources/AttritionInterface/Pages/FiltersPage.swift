import AttritionCore
import AttritionTerminal

extension Page {
    /// Choosing filter values.
    public static let filters = Page(id: "filters")
}

/// Choosing filter values: dimensions on the left, the highlighted dimension's values on the right.
enum FiltersPage: PageUnit {
    static let name = "filters"

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "move", footer: "move"),
            KeyHelp.entry("Tab ←→", "switch between dimensions and values", footer: "pane"),
            KeyHelp.entry("Space Enter", "select or unselect the value", footer: "select"),
            KeyHelp.entry("c", "clear all filters", footer: "clear"),
            KeyHelp.entry("u / U", "undo / redo", footer: "undo/redo"),
        ] + [KeyHelp.commanding[0]] + KeyHelp.searching + KeyHelp.leaving.filter { $0.keys != "i" }
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        let dimensions = state.table.dimensions
        let values = dimensions[state.filterDimensionCursor].labels
        let height = Layout.listHeight(state.display)
        if state.pane == .primary, let cursor = Update.moved(state.filterDimensionCursor, key, count: dimensions.count, page: height) {
            state.filterDimensionCursor = cursor
            state.filterValueCursor = 0
            return
        }
        if state.pane == .secondary, let cursor = Update.moved(state.filterValueCursor, key, count: values.count, page: height) {
            state.filterValueCursor = cursor
            return
        }
        switch key {
        case .tab, .backTab: state.pane = state.pane == .primary ? .secondary : .primary
        case .right, .character("l"): state.pane = .secondary
        case .left, .character("h"): state.pane = .primary
        case .character(" "), .enter, .character("x"):
            if state.pane == .primary {
                state.pane = .secondary
            } else if values.indices.contains(state.filterValueCursor) {
                let name = dimensions[state.filterDimensionCursor].name
                state.apply(filter: state.filter.toggling(values[state.filterValueCursor], of: name))
            }
        case let .click(row, column):
            let index = Layout.firstVisible(cursor: state.pane == .primary ? state.filterDimensionCursor : state.filterValueCursor,
                                            height: height) + row - Layout.listTop
            guard row >= Layout.listTop, row < Layout.listTop + height else { return }
            if column < valuesLeft {
                if dimensions.indices.contains(index) {
                    state.pane = .primary
                    state.filterDimensionCursor = index
                    state.filterValueCursor = 0
                }
            } else if values.indices.contains(index) {
                state.pane = .secondary
                state.filterValueCursor = index
            }
        case .character("f"): break
        default: try Update.common(&state, key)
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? {
        let dimensions = state.table.dimensions
        return state.pane == .primary ? (dimensions.map { BreakdownPage.title($0.name) }, state.filterDimensionCursor)
            : (dimensions[state.filterDimensionCursor].labels, state.filterValueCursor)
    }

    static func select(_ state: inout AppState, item index: Int) {
        if state.pane == .primary {
            state.filterDimensionCursor = index
            state.filterValueCursor = 0
        } else {
            state.filterValueCursor = index
        }
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        canvas.rule("Filters: values of one dimension are OR-ed, different dimensions AND-ed", row: Layout.headingRow)
        let dimensions = state.table.dimensions
        let height = Layout.listHeight(state.display)
        let left = valuesLeft
        canvas.text("Dimension", row: Layout.columnsRow, column: 2, width: left - 3,
                    style: TextStyle(bold: true, reverse: state.pane == .primary))
        let dimension = dimensions[state.filterDimensionCursor]
        canvas.text("Values of \(BreakdownPage.title(dimension.name))", row: Layout.columnsRow, column: left,
                    width: canvas.width - left, style: TextStyle(bold: true, reverse: state.pane == .secondary))
        let firstDimension = Layout.firstVisible(cursor: state.filterDimensionCursor, height: height)
        for (offset, column) in dimensions.dropFirst(firstDimension).prefix(height).enumerated() {
            let index = firstDimension + offset
            let chosen = state.filter.allowed[column.name]?.count ?? 0
            let selected = index == state.filterDimensionCursor
            canvas.text("\(selected ? "▶" : " ") \(BreakdownPage.title(column.name))\(chosen > 0 ? " (\(chosen))" : "")",
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

    /// First column of the values pane.
    static let valuesLeft = 30
}
