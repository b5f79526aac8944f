import AttritionCore
import AttritionTerminal

/// The interface's one state transition: (state, key) → state. Pure: no drawing, no terminal.
public enum Update {
    /// The state after `key`.
    public static func apply(_ state: AppState, _ key: Key) -> AppState {
        var next = state
        next.message = nil
        do {
            try handle(&next, key)
        } catch {
            next.message = "\(error)"
        }
        return next
    }

    private static func handle(_ state: inout AppState, _ key: Key) throws {
        if case .resize = key { return }
        if state.display.isTooSmall {
            if key == .character("q") || key == .character("Q") { state.quitting = true }
            return
        }
        if state.page == .cases, state.caseList?.searching == true {
            return search(&state, key)
        }
        if state.exportPrompt != nil { return exportDialogue(&state, key) }
        switch key {
        case .character("Q"): state.quitting = true; return
        case .character("?") where state.page != .help: try state.push(.help); return
        case .character("q"), .escape, .backspace: state.back(); return
        case .character("e") where state.query == nil:
            state.message = "Nothing to export on this page"
            return
        default: break
        }
        switch state.page {
        case .funnel: try funnel(&state, key)
        case .breakdown: try breakdown(&state, key)
        case .filters: try filters(&state, key)
        case .dimensions: try dimensions(&state, key)
        case .cases: try cases(&state, key)
        case .caseDetail: caseDetail(&state, key)
        case .help, .importSummary: scrolling(&state, key)
        case .reasons, .timing, .funnelPlot, .heatmap, .trend, .survival: try reviewer(&state, key)
        }
    }

    /// Keys every analysis page shares: filters, undo, import summary.
    private static func common(_ state: inout AppState, _ key: Key) throws {
        switch key {
        case .character("f"):
            try state.push(.filters)
            state.pane = .primary
        case .character("u"): try state.stepFilterHistory(redo: false)
        case .character("U"): try state.stepFilterHistory(redo: true)
        case .character("c"):
            if state.filter.isEmpty {
                state.message = "No filters to clear"
            } else {
                try state.apply(filter: CaseFilter())
                state.message = "Filters cleared (u to undo)"
            }
        case .character("i"): try state.push(.importSummary)
        case .character("e") where state.query != nil:
            state.exportPrompt = ExportPrompt()
        case .character("a"): try state.toggleBasis()
        case .character("m"): try state.cycleMaturity()
        case .character("r"): try openReviewerPage(&state, .reasons)
        case .character("t"): try openReviewerPage(&state, .timing)
        case .character("p"): try openReviewerPage(&state, .funnelPlot)
        case .character("H"): try openReviewerPage(&state, .heatmap)
        case .character("T"): try openReviewerPage(&state, .trend)
        case .character("C"): try openReviewerPage(&state, .survival)
        case .character("A"): try state.cycleAdjustment()
        case .character("M"): try state.toggleCorrection()
        default: break
        }
    }

    /// Opens a reviewer's page on the step the breakdown has highlighted (or the first),
    /// replacing another reviewer's page rather than stacking on it.
    private static func openReviewerPage(_ state: inout AppState, _ page: Page) throws {
        if state.page == .breakdown, state.columnCursor >= 2 { state.stepCursor = state.columnCursor - 2 }
        if [.reasons, .timing, .funnelPlot, .heatmap, .trend, .survival].contains(state.page) { state.back() }
        state.groupCursor = 0
        state.heatmapColumn = 0
        try state.push(page)
    }

    /// Keys of the reviewer's pages: groups up and down, steps and dimensions, drill-down.
    private static func reviewer(_ state: inout AppState, _ key: Key) throws {
        let rowCount = state.analysisGroupNames.count
        if let cursor = moved(state.groupCursor, key, count: rowCount, page: Layout.listHeight(state.display)) {
            state.groupCursor = cursor
            return
        }
        let steps = state.overall.total.steps.count
        let stages = state.overall.stoppingStages.count
        let limit = state.page == .reasons ? stages : steps
        switch key {
        case .character("<"), .character(">"):
            guard limit > 0 else { return }
            state.stepCursor = (state.stepCursor + (key == .character(">") ? 1 : limit - 1)) % limit
            try state.refreshAnalysis()
        case .left, .right, .character("h"), .character("l"):
            let forward = key == .right || key == .character("l")
            if state.page == .heatmap, case .crossTab(let tab)? = state.analysis {
                state.heatmapColumn = min(max(state.heatmapColumn + (forward ? 1 : -1), 0), max(tab.columns.count - 1, 0))
            } else if limit > 0 {
                state.stepCursor = min(max(state.stepCursor + (forward ? 1 : -1), 0), limit - 1)
                try state.refreshAnalysis()
            }
        case .character("]"), .character("["):
            let names = state.table.dimensions.map(\.name)
            let index = names.firstIndex(of: state.dimension) ?? 0
            try state.choose(dimension: names[(index + (key == .character("]") ? 1 : names.count - 1)) % names.count])
        case .character("}"), .character("{"):
            guard state.page == .heatmap else { return }
            let names = state.table.dimensions.map(\.name).filter { $0 != state.dimension }
            let index = names.firstIndex(of: state.heatmapColumns) ?? 0
            state.heatmapColumns = names[(index + (key == .character("}") ? 1 : names.count - 1)) % names.count]
            state.heatmapColumn = 0
            try state.refreshAnalysis()
        case .character("n"):
            state.showCounts.toggle()
        case .character("o") where state.page == .funnelPlot:
            let models = OverdispersionModel.allCases
            state.overdispersion = models[((models.firstIndex(of: state.overdispersion) ?? 0) + 1) % models.count]
            try state.refreshAnalysis()
            state.message = "Funnel-plot limits: " + state.overdispersion.title
        case .character(let char) where "+-=_".contains(char) && state.page == .survival:
            let steps = AppState.survivalDaySteps
            let index = steps.lastIndex { $0 <= state.survivalDays } ?? 0
            let longer = char == "+" || char == "="
            state.survivalDays = steps[min(max(index + (longer ? 1 : -1), 0), steps.count - 1)]
            try state.refreshAnalysis()
        case .character("R") where state.page == .funnelPlot:
            let names = state.analysisGroupNames
            guard names.indices.contains(state.groupCursor) else { return }
            state.referenceGroup = state.referenceGroup == names[state.groupCursor] ? nil : names[state.groupCursor]
            try state.refreshAnalysis()
            state.message = "Disparity ratios against \(state.referenceGroup ?? "the overall rate")"
        case .enter:
            try reviewerCases(&state)
        default:
            try common(&state, key)
        }
    }

    /// The cases behind the highlighted row (and column, on the heatmap) of a reviewer's page.
    private static func reviewerCases(_ state: inout AppState) throws {
        let steps = state.overall.total.steps
        switch (state.page, state.analysis) {
        case (.heatmap, .crossTab(let tab)?), (.trend, .crossTab(let tab)?):
            guard tab.rows.indices.contains(state.groupCursor) else { return }
            let row = tab.rows[state.groupCursor]
            var filter = state.filter
            var title = "\(row): reached \(tab.to.title)"
            if state.page == .heatmap, tab.columns.indices.contains(state.heatmapColumn) {
                filter = filter.restricting(tab.columnDimension, to: tab.columns[state.heatmapColumn])
                title = "\(row) × \(tab.columns[state.heatmapColumn]): reached \(tab.to.title)"
            }
            try openCases(&state, CaseSelection(filter: filter, group: (state.dimension, row), reached: tab.to), title: title)
        case (.reasons, _):
            let groups = state.breakdown.groups
            let stages = state.overall.stoppingStages
            guard groups.indices.contains(state.groupCursor), stages.indices.contains(state.stepCursor) else { return }
            let stage = stages[state.stepCursor]
            let selection = CaseSelection(filter: state.filter, group: (state.dimension, groups[state.groupCursor].name), reached: stage)
            let rows = try CaseQuery.rows(of: state.table, selection).filter {
                Int(state.table.furthestStages[$0]) == stage.rawValue && CaseOutcome(code: state.table.outcomes[$0]).isDropOff
            }
            state.caseList = CaseList(title: "\(groups[state.groupCursor].name): closed at \(stage.title)", rows: rows, shown: rows)
            try state.push(.cases)
        default:
            let groups = state.analysisGroupNames
            guard groups.indices.contains(state.groupCursor), !steps.isEmpty else { return }
            let step = steps[state.stepCursor]
            try openCases(&state, CaseSelection(filter: state.filter, group: (state.dimension, groups[state.groupCursor]), reached: step.to),
                          title: "\(groups[state.groupCursor]): reached \(step.to.title)")
        }
    }

    /// Keys while the export dialogue is open.
    private static func exportDialogue(_ state: inout AppState, _ key: Key) {
        guard var prompt = state.exportPrompt, let query = state.query else {
            state.exportPrompt = nil
            return
        }
        if key == .escape {
            state.exportPrompt = nil
            state.message = "Export cancelled"
            return
        }
        switch prompt.step {
        case .format:
            let formats: [Character: ExportFormat] = ["c": .csv, "m": .md, "j": .json, "x": .xlsx]
            guard case .character(let char) = key, let format = formats[char] else { break }
            prompt.format = format
            prompt.path = AppState.suggestedName(query, format)
            prompt.step = .path
        case .path:
            switch key {
            case .enter where !prompt.path.trimmingCharacters(in: .whitespaces).isEmpty:
                state.pendingExport = ExportRequest(query: query, format: prompt.format, path: prompt.path, overwrite: false)
            case .backspace:
                if !prompt.path.isEmpty { prompt.path.removeLast() }
            case .character(let char) where char.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
                prompt.path.append(char)
            default: break
            }
        case .confirmReplace:
            if key == .character("y") {
                state.pendingExport = ExportRequest(query: query, format: prompt.format, path: prompt.path, overwrite: true)
            } else if key == .character("n") {
                prompt.step = .path
            }
        }
        state.exportPrompt = prompt
    }

    /// The state once the host has carried out `state.pendingExport` with this outcome.
    public static func exportFinished(_ state: AppState, _ outcome: ExportOutcome) -> AppState {
        var next = state
        next.pendingExport = nil
        switch outcome {
        case .written(let files):
            next.exportPrompt = nil
            next.message = "Wrote \(files.joined(separator: " and ")) (small counts withheld; metadata included)"
        case .exists:
            next.exportPrompt?.step = .confirmReplace
        case .failed(let reason):
            next.exportPrompt = nil
            next.message = "Export failed: \(reason)"
        }
        return next
    }

    /// The new cursor after a movement key in a list of `count` items, `page` rows high; nil for other keys.
    static func moved(_ cursor: Int, _ key: Key, count: Int, page: Int) -> Int? {
        guard count > 0 else { return nil }
        let target: Int
        switch key {
        case .up, .character("k"): target = cursor - 1
        case .down, .character("j"): target = cursor + 1
        case .pageUp: target = cursor - max(page, 1)
        case .pageDown: target = cursor + max(page, 1)
        case .home, .character("g"): target = 0
        case .end, .character("G"): target = count - 1
        default: return nil
        }
        return min(max(target, 0), count - 1)
    }

    // MARK: Pages

    private static func funnel(_ state: inout AppState, _ key: Key) throws {
        let stages = state.overall.stages
        if state.pane == .primary, let cursor = moved(state.stageCursor, key, count: stages.count, page: stages.count) {
            state.stageCursor = cursor
            state.reasonCursor = 0
            return
        }
        let reasons = state.reasonsAtCursor
        if state.pane == .secondary, let cursor = moved(state.reasonCursor, key, count: reasons.count, page: 5) {
            state.reasonCursor = cursor
            return
        }
        switch key {
        case .tab, .backTab:
            state.pane = state.pane == .primary && !reasons.isEmpty ? .secondary : .primary
        case .enter:
            let stage = stages[state.stageCursor]
            if state.pane == .secondary, reasons.indices.contains(state.reasonCursor) {
                let reason = reasons[state.reasonCursor].outcome
                try openCases(&state, CaseSelection(filter: state.filter, reached: stage, outcome: reason),
                              title: "Closed at \(stage.title): \(reason.name)")
            } else {
                try openCases(&state, CaseSelection(filter: state.filter, reached: stage), title: "Reached \(stage.title)")
            }
        case .character("b"): try state.push(.breakdown)
        case .character("d"): try openDimensions(&state)
        case let .click(row, _):
            if (Layout.listTop..<(Layout.listTop + stages.count)).contains(row) {
                state.pane = .primary
                state.stageCursor = row - Layout.listTop
                state.reasonCursor = 0
            } else {
                let index = row - Layout.reasonsTop(stages: stages.count) - 1
                if reasons.indices.contains(index) {
                    state.pane = .secondary
                    state.reasonCursor = index
                }
            }
        default: try common(&state, key)
        }
    }

    private static func breakdown(_ state: inout AppState, _ key: Key) throws {
        let groups = state.sortedGroups
        let columns = 2 + state.breakdown.total.steps.count
        if state.pane == .primary,
           let cursor = moved(state.groupCursor, key, count: groups.count, page: Layout.breakdownHeight(state.display)) {
            state.groupCursor = cursor
            state.reasonCursor = 0
            return
        }
        let reasons = breakdownReasons(state)
        if state.pane == .secondary, let cursor = moved(state.reasonCursor, key, count: reasons.count, page: 4) {
            state.reasonCursor = cursor
            return
        }
        switch key {
        case .left, .character("h"): state.columnCursor = max(0, state.columnCursor - 1); state.reasonCursor = 0
        case .right, .character("l"): state.columnCursor = min(columns - 1, state.columnCursor + 1); state.reasonCursor = 0
        case .tab, .backTab: state.pane = state.pane == .primary && !reasons.isEmpty ? .secondary : .primary
        case .character("s"):
            if state.sort?.column == state.columnCursor {
                state.sort?.descending.toggle()
            } else {
                state.sort = SortOrder(column: state.columnCursor, descending: state.columnCursor != 0)
            }
            state.groupCursor = 0
        case .character("S"):
            state.sort = nil
            state.groupCursor = 0
        case .character("]"), .character("["):
            let names = state.table.dimensions.map(\.name)
            let index = names.firstIndex(of: state.dimension) ?? 0
            let step = key == .character("]") ? 1 : names.count - 1
            try state.choose(dimension: names[(index + step) % names.count])
        case .character("d"): try openDimensions(&state)
        case .enter:
            guard groups.indices.contains(state.groupCursor) else { return }
            let group = groups[state.groupCursor]
            let stage = breakdownStage(state)
            let selection = (dimension: state.dimension, label: group.name)
            if state.pane == .secondary, reasons.indices.contains(state.reasonCursor) {
                let from = state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].from : .reported
                let reason = reasons[state.reasonCursor].outcome
                try openCases(&state, CaseSelection(filter: state.filter, group: selection, reached: from, outcome: reason),
                              title: "\(group.name): closed at \(from.title): \(reason.name)")
            } else {
                try openCases(&state, CaseSelection(filter: state.filter, group: selection, reached: stage),
                              title: "\(group.name): reached \(stage.title)")
            }
        case let .click(row, _):
            let top = Layout.firstVisible(cursor: state.groupCursor, height: Layout.breakdownHeight(state.display))
            let index = top + row - Layout.listTop
            if row >= Layout.listTop, row < Layout.listTop + Layout.breakdownHeight(state.display), groups.indices.contains(index) {
                state.pane = .primary
                state.groupCursor = index
            }
        default: try common(&state, key)
        }
    }

    /// The stage a breakdown column counts: reported for the name and reported columns, else the step's target.
    static func breakdownStage(_ state: AppState) -> Stage {
        state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].to : .reported
    }

    /// Drop-off reasons for the highlighted group at the stage its highlighted step starts from.
    static func breakdownReasons(_ state: AppState) -> [(outcome: CaseOutcome, count: Int)] {
        let groups = state.sortedGroups
        guard groups.indices.contains(state.groupCursor) else { return [] }
        let from = state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].from : .reported
        return groups[state.groupCursor].counts.dropOffReasons(at: from)
    }

    private static func filters(_ state: inout AppState, _ key: Key) throws {
        let dimensions = state.table.dimensions
        let values = dimensions[state.filterDimensionCursor].labels
        let height = Layout.listHeight(state.display)
        if state.pane == .primary, let cursor = moved(state.filterDimensionCursor, key, count: dimensions.count, page: height) {
            state.filterDimensionCursor = cursor
            state.filterValueCursor = 0
            return
        }
        if state.pane == .secondary, let cursor = moved(state.filterValueCursor, key, count: values.count, page: height) {
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
                try state.apply(filter: state.filter.toggling(values[state.filterValueCursor], of: name))
            }
        case let .click(row, column):
            let index = Layout.firstVisible(cursor: state.pane == .primary ? state.filterDimensionCursor : state.filterValueCursor,
                                            height: height) + row - Layout.listTop
            guard row >= Layout.listTop, row < Layout.listTop + height else { return }
            if column < FilterColumns.valuesLeft {
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
        default: try common(&state, key)
        }
    }

    private static func openDimensions(_ state: inout AppState) throws {
        state.dimensionCursor = state.table.dimensions.firstIndex { $0.name == state.dimension } ?? 0
        try state.push(.dimensions)
    }

    private static func dimensions(_ state: inout AppState, _ key: Key) throws {
        let names = state.table.dimensions.map(\.name)
        if let cursor = moved(state.dimensionCursor, key, count: names.count, page: Layout.listHeight(state.display)) {
            state.dimensionCursor = cursor
            return
        }
        switch key {
        case .enter:
            try state.choose(dimension: names[state.dimensionCursor])
            state.back()
            if state.page != .breakdown { try state.push(.breakdown) }
        case let .click(row, _):
            let index = Layout.firstVisible(cursor: state.dimensionCursor, height: Layout.listHeight(state.display)) + row - Layout.listTop
            if row >= Layout.listTop, names.indices.contains(index) { state.dimensionCursor = index }
        default: break
        }
    }

    private static func openCases(_ state: inout AppState, _ selection: CaseSelection, title: String) throws {
        let rows = try CaseQuery.rows(of: state.table, selection)
        state.caseList = CaseList(title: title, rows: rows, shown: rows)
        try state.push(.cases)
    }

    private static func cases(_ state: inout AppState, _ key: Key) throws {
        guard var list = state.caseList else { return }
        if let cursor = moved(list.cursor, key, count: list.shown.count, page: Layout.listHeight(state.display)) {
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
            try state.push(.caseDetail)
        case let .click(row, _):
            let index = Layout.firstVisible(cursor: list.cursor, height: Layout.listHeight(state.display)) + row - Layout.listTop
            if row >= Layout.listTop, list.shown.indices.contains(index) {
                list.cursor = index
                state.caseList = list
            }
        default: break
        }
    }

    private static func search(_ state: inout AppState, _ key: Key) {
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

    private static func caseDetail(_ state: inout AppState, _ key: Key) {
        guard var list = state.caseList,
              let cursor = moved(list.cursor, key, count: list.shown.count, page: 1) else { return }
        list.cursor = cursor
        state.caseList = list
        state.caseRow = list.shown[cursor]
    }

    private static func scrolling(_ state: inout AppState, _ key: Key) {
        let height = Layout.textHeight(state.display)
        let last = max(0, TextPages.lines(state).count - height)
        if let line = moved(state.scroll, key, count: last + 1, page: height) { state.scroll = line }
    }
}

/// Column positions of the filter page's two panes.
enum FilterColumns {
    /// First column of the values pane.
    static let valuesLeft = 30
}
