import AttritionCore

/// Which of a page's two panes has the keyboard.
public enum Pane: Equatable, Sendable {
    /// The main list or table.
    case primary
    /// The second pane (reasons, values).
    case secondary
}

/// How the terminal can draw: its size, character set, colour and mouse.
public struct Display: Equatable, Sendable {
    /// Rows of the terminal.
    public var rows: Int
    /// Columns of the terminal.
    public var columns: Int
    /// Plain ASCII instead of block and box characters.
    public var ascii: Bool
    /// Whether colour is used (glyphs carry the meaning either way).
    public var colour: Bool

    /// A display of `rows` × `columns`.
    public init(rows: Int, columns: Int, ascii: Bool = false, colour: Bool = true) {
        self.rows = rows
        self.columns = columns
        self.ascii = ascii
        self.colour = colour
    }

    /// The smallest size the interface lays out in.
    public static let minimum = (rows: 24, columns: 80)

    /// True when the terminal is too small to lay out.
    public var isTooSmall: Bool { rows < Display.minimum.rows || columns < Display.minimum.columns }
}

/// Filter changes that can be undone and redone.
public struct FilterHistory: Equatable, Sendable {
    /// Earlier filters, most recent last.
    public private(set) var past: [CaseFilter] = []
    /// Undone filters, most recent last.
    public private(set) var future: [CaseFilter] = []

    /// Records that `current` is about to be replaced by a new filter.
    mutating func record(_ current: CaseFilter) {
        past.append(current)
        future.removeAll()
    }

    /// The filter before `current`, if any, remembering `current` for redo.
    mutating func undo(from current: CaseFilter) -> CaseFilter? {
        guard let previous = past.popLast() else { return nil }
        future.append(current)
        return previous
    }

    /// The filter undone last, if any, remembering `current` for undo.
    mutating func redo(from current: CaseFilter) -> CaseFilter? {
        guard let next = future.popLast() else { return nil }
        past.append(current)
        return next
    }
}

/// A column of the breakdown table the sort is on, and its direction.
public struct SortOrder: Equatable, Sendable {
    /// 0 is the group name, 1 the reported count, 2... the step rates in order.
    public var column: Int
    /// Largest first.
    public var descending: Bool

    /// A sort on `column`, largest first when `descending`.
    public init(column: Int, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}

/// A `/` search over the list or table on screen: what is typed, and whether it still is.
public struct ListSearch: Equatable, Sendable {
    /// The text searched for (matched ignoring case, anywhere in an item).
    public var query = ""
    /// True while the text is being typed.
    public var typing = true

    /// A search for `query`, still being typed when `typing`.
    public init(query: String = "", typing: Bool = true) {
        self.query = query
        self.typing = typing
    }
}

/// The cases behind a number, with the search over them.
public struct CaseList: Equatable, Sendable {
    /// What the list shows, in words.
    public var title: String
    /// Every row behind the number.
    public var rows: [Int]
    /// The rows matching `query` (all of `rows` when it is empty).
    public var shown: [Int]
    /// The search text.
    public var query = ""
    /// True while the search text is being typed.
    public var searching = false
    /// Index into `shown` of the highlighted case.
    public var cursor = 0
}

/// Everything the interface shows, as a value. `Update.apply` makes the next state from a key;
/// views only read it. A key that changes what the figures are worked out from leaves a
/// `pendingFigures` request: the host works it out off the key path (`FigureWorker`) while the
/// screen keeps the previous figures with a busy mark, and `Update.figuresArrived` puts the
/// answer on screen. Figures are never worked out while drawing.
public struct AppState: Sendable {
    /// The cases.
    public let table: CaseTable
    /// The account of the import.
    public let report: ImportReport
    /// What the terminal can do.
    public var display: Display
    /// Pages, the current one last.
    public private(set) var pages: [Page] = [.funnel]
    /// The active filter.
    public private(set) var filter = CaseFilter()
    /// Undo and redo of filter changes.
    public private(set) var history = FilterHistory()
    /// The figures on screen, which may be for the settings before the last key (see `pendingFigures`).
    public private(set) var figures: ScreenFigures
    /// The request for figures not yet answered; while set, the screen shows the earlier figures with a busy mark.
    public private(set) var pendingFigures: FigureRequest?
    /// The generation of the last request made.
    private var figureGeneration = 0
    /// The funnel of all filtered cases.
    public var overall: Funnel { figures.overall }
    /// The funnel by `dimension` of the filtered cases.
    public var breakdown: Funnel { figures.breakdown }
    /// The breakdown's dimension.
    public private(set) var dimension: String
    /// The highlighted stage (index into `overall.stages`) on the funnel page.
    public var stageCursor = 0
    /// The highlighted drop-off reason on the funnel page.
    public var reasonCursor = 0
    /// The pane with the keyboard on pages that have two.
    public var pane = Pane.primary
    /// Highlighted row (index into the sorted groups) and column of the breakdown.
    public var groupCursor = 0
    /// The breakdown column: 0 name, 1 reported, 2... steps.
    public var columnCursor = 1
    /// The breakdown's sort, if any (file order otherwise).
    public var sort: SortOrder?
    /// Whether the breakdown's stage columns show the rate of reported cases (the usual "charge
    /// rate") instead of the step rate from the stage before.
    public var rateOfReported = false
    /// Whether each breakdown cell shows the share of its denominator still open.
    public var showOpenShare = false
    /// Under the all-cases basis, each group of the breakdown over closed cases, by name: a flag
    /// there tells whether a flag over all cases rests on open cases. Empty under the closed basis.
    public var closedGroups: [String: GroupFunnel] { figures.closedGroups }
    /// Highlighted dimension and value on the filter page.
    public var filterDimensionCursor = 0
    /// Highlighted value of that dimension.
    public var filterValueCursor = 0
    /// Highlighted dimension on the dimension page.
    public var dimensionCursor = 0
    /// The open case list.
    public var caseList: CaseList?
    /// The `/` search of the page on top, if any.
    public var search: ListSearch?
    /// The `:` command palette, while open.
    public var palette: Palette?
    /// Text the host should copy to the terminal's clipboard (the equivalent command line).
    public var pendingCopy: String?
    /// The row shown on the case page.
    public var caseRow: Int?
    /// First line shown on scrolling pages (help, import summary).
    public var scroll = 0
    /// Which cases rates are read over.
    public private(set) var basis = RateBasis.all
    /// The maturity setting in months, if any: the step of `maturitySteps` whose cut-off the filter holds.
    public var maturityMonths: Int? {
        guard let reportedBy = filter.reportedBy, let latest = table.latestDate else { return nil }
        return AppState.maturitySteps.first { Maturity.cutoff(asOf: latest, months: $0) == reportedBy }
    }
    /// The step the reviewer's pages show (index into the funnel's steps), or the stage for the reasons page.
    public var stepCursor = 0
    /// The heatmap's column dimension.
    public var heatmapColumns = BuiltInDimension.bcu.rawValue
    /// The highlighted column of the heatmap.
    public var heatmapColumn = 0
    /// The first reason column shown on the reasons page (the others are scrolled off to the left).
    public var reasonsColumn = 0
    /// The group disparity ratios are taken against on the funnel plot (nil: the overall rate).
    public var referenceGroup: String?
    /// Show counts (n/N) instead of rates in the heatmap.
    public var showCounts = false
    /// Rates with fewer cases than this in the denominator are shown as not reliable.
    public var reliability = Reliability()
    /// The dimension whose case mix rates are adjusted for, if any.
    public private(set) var adjust: String?
    /// How flags are corrected for the number of groups compared.
    public private(set) var correction = MultipleComparison.holm
    /// How the funnel plot's limits allow for overdispersion.
    public var overdispersion = OverdispersionModel.none
    /// The day the survival page reads its figure at.
    public var survivalDays = 365
    /// The days `+` and `-` step the survival page through.
    static let survivalDaySteps = [30, 90, 180, 365, 730, 1095]
    /// Figures for the reviewer's page on top (the funnel and breakdown pages draw `overall` and
    /// `breakdown`); nil until figures of the page's own view have been worked out.
    public var analysis: Analysis? { figures.inputs.analysis?.view == page.view ? figures.analysis : nil }
    /// The export dialogue, while open.
    public var exportPrompt: ExportPrompt?
    /// An export waiting for the host to carry it out.
    public var pendingExport: ExportRequest?
    /// A one-line message for the status bar, cleared by the next key.
    public var message: String?
    /// Set when the interface should end.
    public var quitting = false
    /// Set while the interface asks whether to quit (after `q` on the first page).
    public var confirmingQuit = false

    /// The user's settings: defaults for basis, maturity, correction and dimension, and their own keys.
    public let settings: Settings

    /// The start state: the funnel of every case, with a breakdown ready by the dimension last
    /// used (else crime type), under the basis, maturity and correction `settings` make the default.
    public init(table: CaseTable, report: ImportReport, display: Display, settings: Settings = Settings()) throws {
        self.table = table
        self.report = report
        self.display = display
        self.settings = settings
        var start = FigureInputs(filter: CaseFilter(), dimension: settings.dimension.flatMap { table.dimension(named: $0)?.name }
                                     ?? BuiltInDimension.crimeType.rawValue,
                                 basis: settings.basis, correction: settings.correction, adjust: nil, analysis: nil)
        if let months = settings.maturity, let latest = table.latestDate {
            start.filter.reportedBy = Maturity.cutoff(asOf: latest, months: months)
        }
        dimension = start.dimension
        basis = start.basis
        correction = start.correction
        filter = start.filter
        // The first figures are worked out before the first drawing, on the caller's thread.
        figures = try FigureRequest.funnels(of: table, start)
    }

    /// The page on top.
    public var page: Page { pages.last ?? .funnel }

    /// The page under the top one (what help describes).
    public var pageBelow: Page { pages.count >= 2 ? pages[pages.count - 2] : .funnel }

    /// Opens `page` on top; when its figures turn out not to be workable (a step view of a file
    /// with one stage), `figuresArrived` closes it again and says why.
    mutating func push(_ page: Page) {
        pages.append(page)
        scroll = 0
    }

    /// Goes back a page; on the start page, says how to quit instead.
    mutating func back() {
        if pages.count > 1 {
            let leaving = pages.removeLast()
            if leaving == .cases { caseList = nil }
            if leaving == .caseDetail { caseRow = nil }
            pane = .primary
            scroll = 0
        } else {
            message = "This is the first page: Q quits (or q, then y)"
        }
    }

    /// Replaces the filter, recording it for undo.
    mutating func apply(filter newFilter: CaseFilter) {
        guard newFilter != filter else { return }
        history.record(filter)
        filter = newFilter
    }

    /// Steps back to the previous filter (`redo` false) or forward to the one undone last.
    mutating func stepFilterHistory(redo: Bool) {
        guard let target = redo ? history.redo(from: filter) : history.undo(from: filter) else {
            message = redo ? "Nothing to redo" : "Nothing to undo"
            return
        }
        filter = target
        message = "\(redo ? "Redone" : "Undone"): filters now \(filter.summary)"
    }

    /// Chooses the breakdown dimension.
    mutating func choose(dimension name: String) {
        dimension = name
        sort = nil
        groupCursor = 0
        if heatmapColumns == name {
            heatmapColumns = table.dimensions.first { $0.name != name }?.name ?? name
        }
    }

    /// Whether `group`'s flag at step `step` rests on open cases: flagged over all cases, but
    /// not (or the other way) once the cases still open at the earlier stage are left out.
    public func flagRestsOnOpenCases(_ group: GroupFunnel, step: Int) -> Bool {
        guard let flag = group.steps[step].flag, let closed = closedGroups[group.name] else {
            return false
        }
        return closed.steps[step].flag != flag
    }

    /// The rate a breakdown cell shows: the step rate, or the rate of reported cases.
    public func shownRate(_ step: StepRate) -> Proportion { rateOfReported ? step.cumulative : step.step }

    /// Moves case-mix adjustment to the next dimension (none, crime type first, then the others
    /// but the breakdown's own), and works the figures out again.
    mutating func cycleAdjustment() throws {
        let candidates = [BuiltInDimension.crimeType.rawValue] + table.dimensions.map(\.name).filter { $0 != BuiltInDimension.crimeType.rawValue }
        let usable = candidates.filter { $0 != dimension && table.dimension(named: $0) != nil }
        let order: [String?] = [nil] + usable
        try setAdjustment(order[((order.firstIndex(of: adjust) ?? 0) + 1) % order.count])
    }

    /// Adjusts flags for the case mix of `dimension` (nil: no adjustment).
    mutating func setAdjustment(_ dimension: String?) throws {
        if let dimension, table.dimension(named: dimension) == nil {
            throw QueryError.unknownDimension(dimension, known: table.dimensions.map(\.name))
        }
        adjust = dimension.flatMap { table.dimension(named: $0)?.name }
        message = adjust.map { "Flags adjusted for \(BreakdownPage.title($0)) (A: the next dimension, or off)" }
            ?? "Case-mix adjustment off"
    }

    /// Switches flags between Holm's correction and the Benjamini–Hochberg false discovery rate.
    mutating func toggleCorrection() { setCorrection(correction == .holm ? .fdr : .holm) }

    /// Corrects flags by `newCorrection`.
    mutating func setCorrection(_ newCorrection: MultipleComparison) {
        correction = newCorrection
        message = "Flags now under \(correction.name)"
    }

    /// Switches rates between all cases and closed cases.
    mutating func toggleBasis() { setBasis(basis == .all ? .closed : .all) }

    /// Reads rates over `newBasis`.
    mutating func setBasis(_ newBasis: RateBasis) {
        basis = newBasis
        message = basis == .all ? "Rates over all cases" : "Rates over closed cases: those still open at the earlier stage are left out"
    }

    /// The maturity settings `m` steps through, in months.
    static let maturitySteps = [6, 12, 24]

    /// Moves maturity to the next setting (none, 6, 12, 24 months), as an undoable filter change.
    mutating func cycleMaturity() {
        setMaturity(maturityMonths.map { months in AppState.maturitySteps.first { $0 > months } } ?? AppState.maturitySteps.first)
    }

    /// Sets maturity to `next` months (nil: off), as an undoable filter change.
    mutating func setMaturity(_ next: Int?) {
        var newFilter = filter
        newFilter.reportedBy = next.flatMap { months in table.latestDate.map { Maturity.cutoff(asOf: $0, months: months) } }
        apply(filter: newFilter)
        message = next.map { "Maturity: only cases reported at least \($0) months before \(table.latestDate?.iso ?? "")" }
            ?? "Maturity off: every case counts"
    }

    /// The query behind the page on top: what it shows, and what `e` exports. Nil on pages that
    /// show no view of the data.
    public var query: AnalysisQuery? {
        guard let view = page.view else { return nil }
        var query = AnalysisQuery(view: view, dimension: dimension, columns: heatmapColumns, filter: filter, basis: basis,
                                  reliability: reliability, reference: referenceGroup, correction: correction,
                                  adjust: adjust == dimension ? nil : adjust, overdispersion: overdispersion, days: survivalDays)
        // The stage the page has highlighted, as the parameter its view reads: the stage cases
        // stopped at, the step (on the breakdown, the highlighted step column), or the stage to reach.
        let descriptor = view.descriptor
        let steps = overall.total.steps
        if descriptor.takes(.stoppedAt) {
            let stages = overall.stoppingStages
            query.stage = stages.indices.contains(stepCursor) ? stages[stepCursor] : nil
        } else if view == .breakdown {
            query.stage = steps.indices.contains(columnCursor - 2) ? steps[columnCursor - 2].to : nil
        } else if descriptor.takes(.step) || descriptor.takes(.targetStage) {
            query.stage = steps.indices.contains(stepCursor) ? steps[stepCursor].to : nil
        }
        if view == .breakdown, sort != nil { query.groupOrder = sortedGroups.map(\.name) }
        return query
    }

    /// What the figures should now be worked out from: the funnels' settings, and the query of
    /// the reviewer's page on top (pages without a view of the data keep the analysis below them).
    private var wantedFigures: FigureInputs {
        var analysis = figures.inputs.analysis
        // The query is built only for a reviewer's page: the breakdown's would sort its groups
        // on every key for nothing.
        if let view = page.view {
            analysis = [.funnel, .breakdown].contains(view) ? nil : query
        }
        return FigureInputs(filter: filter, dimension: dimension, basis: basis, correction: correction, adjust: adjust, analysis: analysis)
    }

    /// Makes a request for figures when the settings no longer match those on screen (or those
    /// already asked for), and withdraws one no longer needed.
    mutating func requestFiguresIfNeeded() {
        let limit = page == .reasons ? overall.stoppingStages.count : overall.total.steps.count
        stepCursor = min(stepCursor, max(limit - 1, 0))
        let wanted = wantedFigures
        if let pending = pendingFigures, pending.inputs == wanted { return }
        let onScreen = wanted.sameFunnels(as: figures.inputs) && (wanted.analysis == nil || wanted.analysis == figures.inputs.analysis)
        figureGeneration += 1
        pendingFigures = onScreen ? nil : FigureRequest(generation: figureGeneration, inputs: wanted, shown: figures, table: table)
    }

    /// Puts `answer` on screen when it answers the request outstanding (an older one is dropped).
    /// A failure puts back the settings of the figures on screen, closes a page whose analysis
    /// could not be worked out, and says why.
    mutating func receive(_ answer: FigureAnswer) {
        guard let pending = pendingFigures, pending.generation == answer.generation else { return }
        pendingFigures = nil
        switch answer.outcome {
        case .success(let settled):
            let funnelsChanged = !settled.inputs.sameFunnels(as: figures.inputs)
            figures = settled
            if funnelsChanged {
                stageCursor = min(stageCursor, overall.stages.count - 1)
                groupCursor = min(groupCursor, max(breakdown.groups.count - 1, 0))
                reasonCursor = 0
            }
            if let reference = referenceGroup, settled.inputs.analysis?.reference == nil, pending.inputs.analysis?.reference == reference {
                referenceGroup = nil
            }
        case .failure(let failure):
            let shown = figures.inputs
            filter = shown.filter
            dimension = shown.dimension
            basis = shown.basis
            correction = shown.correction
            adjust = shown.adjust
            if failure.inAnalysis, pages.count > 1, page.view == pending.inputs.analysis?.view { pages.removeLast() }
            message = failure.description
        }
    }

    /// The breakdown's groups in the order shown (sorted if a sort is set).
    public var sortedGroups: [GroupFunnel] {
        guard let sort else { return breakdown.groups }
        let key = { (group: GroupFunnel) -> Double in
            switch sort.column {
            case 1: Double(group.counts.reached(.reported))
            default: shownRate(group.steps[sort.column - 2]).rate ?? -1
            }
        }
        let ordered: [GroupFunnel]
        if sort.column == 0 {
            ordered = breakdown.groups.sorted { $0.name.lowercased() < $1.name.lowercased() }
        } else {
            ordered = breakdown.groups.enumerated().sorted { a, b in
                let ka = key(a.element), kb = key(b.element)
                return ka != kb ? ka < kb : a.offset < b.offset
            }.map(\.element)
        }
        return sort.descending ? ordered.reversed() : ordered
    }

    /// The row labels of the reviewer's page on top, in order.
    public var analysisGroupNames: [String] { analysis?.groupNames ?? breakdown.groups.map(\.name) }

    /// Drop-off reasons at the highlighted stage of the funnel page, largest first.
    public var reasonsAtCursor: [(outcome: CaseOutcome, count: Int)] {
        overall.total.counts.dropOffReasons(at: overall.stages[stageCursor])
    }
}
