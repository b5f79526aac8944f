import AttritionCore
import AttritionTerminal

/// The interface's one state transition: (state, key) → state. Pure: no drawing, no terminal.
public enum Update {
    /// The state after `key`. Figures the key calls for are left as `pendingFigures`, to be
    /// worked out off the key path (or at once by `settled`).
    public static func apply(_ state: AppState, _ key: Key) -> AppState {
        var next = state
        next.message = nil
        do {
            try handle(&next, key)
        } catch {
            next.message = "\(error)"
        }
        next.requestFiguresIfNeeded()
        return next
    }

    /// The state once `answer` has come back from the figure worker: its figures on screen if it
    /// answers the request outstanding, else (an answer overtaken by a later key) as it was.
    public static func figuresArrived(_ state: AppState, _ answer: FigureAnswer) -> AppState {
        var next = state
        next.receive(answer)
        next.requestFiguresIfNeeded()
        return next
    }

    /// The state with any pending figures worked out at once, on this thread: for tests and hosts
    /// without a worker.
    public static func settled(_ state: AppState) -> AppState {
        guard let request = state.pendingFigures, let answer = request.answer() else { return state }
        return figuresArrived(state, answer)
    }

    /// Whether `key` acts on what is on screen (drill-down, export, the command line copied), so
    /// the host should let pending figures arrive before applying it: the cases, table or command
    /// it gives must be those of the screen the user sees.
    public static func actsOnFigures(_ key: Key) -> Bool {
        switch key {
        case .enter, .doubleClick, .character("e"), .character("y"): true
        default: false
        }
    }

    private static func handle(_ state: inout AppState, _ key: Key) throws {
        if case .resize = key { return }
        if state.display.isTooSmall {
            if key == .character("q") || key == .character("Q") { state.quitting = true }
            return
        }
        if state.page == .cases, state.caseList?.searching == true {
            return CasesPage.search(&state, key)
        }
        if state.exportPrompt != nil { return exportDialogue(&state, key) }
        if state.search?.typing == true { return ListSearching.type(&state, key) }
        if state.palette != nil { return try CommandPalette.key(&state, key) }
        let key = state.settings.translated(key)
        // The wheel moves as the arrow keys do, three rows a notch; a double click selects, then drills down.
        if case .wheel(let up) = key {
            for _ in 0..<3 { try state.page.unit.handle(&state, up ? .up : .down) }
            return
        }
        if case let .doubleClick(row, column) = key {
            try state.page.unit.handle(&state, .click(row: row, column: column))
            try state.page.unit.handle(&state, .enter)
            return
        }
        if state.confirmingQuit {
            state.confirmingQuit = false
            if key == .character("y") || key == .character("q") { state.quitting = true } else { state.message = "Still here" }
            return
        }
        switch key {
        case .character("Q"): state.quitting = true; return
        case .character("?") where state.page != .help: state.push(.help); return
        case .character("q") where state.pages.count == 1:
            state.confirmingQuit = true
            state.message = "Quit attrition? y or q quits, any other key stays"
            return
        case .escape where state.search != nil:
            state.search = nil
            return
        case .character("q"), .escape, .backspace: state.back(); return
        case .character(":"):
            state.palette = Palette()
            return
        case .character("/") where state.page.unit.searchItems(state) != nil:
            state.search = ListSearch()
            return
        case .character("n"), .character("N"):
            if let query = state.search?.query, !query.isEmpty, state.page.unit.searchItems(state) != nil {
                ListSearching.jump(&state, forward: key == .character("n"), skippingCurrent: true)
                return
            }
        case .character("e") where state.query == nil:
            state.message = "Nothing to export on this page"
            return
        default: break
        }
        try state.page.unit.handle(&state, key)
    }

    /// Keys every analysis page shares: filters, undo, import summary.
    static func common(_ state: inout AppState, _ key: Key) throws {
        // The key of a reviewer's page opens it, from its descriptor.
        if case .character(let char) = key, let view = PageRegistry.reviewerView(openedBy: char) {
            return try ReviewerKeys.open(&state, Page(view: view))
        }
        switch key {
        case .character("f"):
            state.push(.filters)
            state.pane = .primary
        case .character("u"): state.stepFilterHistory(redo: false)
        case .character("U"): state.stepFilterHistory(redo: true)
        case .character("c"):
            if state.filter.isEmpty {
                state.message = "No filters to clear"
            } else {
                state.apply(filter: CaseFilter())
                state.message = "Filters cleared (u to undo)"
            }
        case .character("i"): state.push(.importSummary)
        case .character("e") where state.query != nil:
            state.exportPrompt = ExportPrompt()
        case .character("a"): state.toggleBasis()
        case .character("m"): state.cycleMaturity()
        case .character("y"): copyCommand(&state)
        case .character("A"): try state.cycleAdjustment()
        case .character("M"): state.toggleCorrection()
        default: unknown(&state, key)
        }
    }

    /// A one-line hint for a key the page has no use for (movement and other non-character keys stay quiet).
    static func unknown(_ state: inout AppState, _ key: Key) {
        guard case .character(let char) = key, !char.isWhitespace else { return }
        state.message = "'\(DisplayText.sanitized(String(char)))' does nothing on this page: ? lists its keys"
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
            let formats: [Character: ExportFormat] = ["c": .csv, "m": .md, "j": .json, "x": .xlsx, "s": .svg, "b": .xlsx]
            guard case .character(let char) = key, let format = formats[char] else { break }
            if format == .svg, let refusal = SVGChart.refusal(for: query.view) {
                state.message = refusal
                break
            }
            prompt.format = format
            prompt.pack = char == "b"
            prompt.path = AppState.suggestedName(query, format, pack: prompt.pack)
            prompt.step = .path
        case .path:
            switch key {
            case .enter where !prompt.path.trimmingCharacters(in: .whitespaces).isEmpty:
                state.pendingExport = ExportRequest(query: query, format: prompt.format, path: prompt.path, overwrite: false, pack: prompt.pack)
            case .backspace:
                if !prompt.path.isEmpty { prompt.path.removeLast() }
            case .character(let char) where char.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
                prompt.path.append(char)
            default: break
            }
        case .confirmReplace:
            if key == .character("y") {
                state.pendingExport = ExportRequest(query: query, format: prompt.format, path: prompt.path, overwrite: true, pack: prompt.pack)
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
            next.message = "Wrote \(files.joined(separator: " and ")) (small counts withheld and audited; metadata included)"
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

    static func openCases(_ state: inout AppState, _ selection: CaseSelection, title: String) throws {
        try state.table.requireCaseDates(for: "the case list")
        let rows = try CaseQuery.rows(of: state.table, selection)
        state.caseList = CaseList(title: title, rows: rows, shown: rows)
        state.push(.cases)
    }

}
