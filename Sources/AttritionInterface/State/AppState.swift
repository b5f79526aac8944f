import AttritionCore

/// The pages of the interface. The state keeps a stack of them: `q` and Esc go back one.
public enum Page: Equatable, Sendable {
    /// The start screen: one bar per stage and the reasons cases stopped.
    case funnel
    /// One row per group of a dimension.
    case breakdown
    /// Choosing filter values.
    case filters
    /// Choosing the breakdown dimension.
    case dimensions
    /// The cases behind a number.
    case cases
    /// One case's journey.
    case caseDetail
    /// Keys for the page below it.
    case help
    /// Rows read, accepted, rejected and warned about.
    case importSummary
}

/// Which of a page's two panes has the keyboard.
public enum Pane: Equatable, Sendable {
    case primary, secondary
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
/// views only read it. Figures are worked out by the core's analytics when the filter or the
/// dimension changes, never while drawing.
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
    /// The funnel of all filtered cases.
    public private(set) var overall: Funnel
    /// The funnel by `dimension` of the filtered cases.
    public private(set) var breakdown: Funnel
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
    /// Highlighted dimension and value on the filter page.
    public var filterDimensionCursor = 0
    /// Highlighted value of that dimension.
    public var filterValueCursor = 0
    /// Highlighted dimension on the dimension page.
    public var dimensionCursor = 0
    /// The open case list.
    public var caseList: CaseList?
    /// The row shown on the case page.
    public var caseRow: Int?
    /// First line shown on scrolling pages (help, import summary).
    public var scroll = 0
    /// A one-line message for the status bar, cleared by the next key.
    public var message: String?
    /// Set when the interface should end.
    public var quitting = false

    /// The start state: the funnel of every case, with a breakdown by crime type ready.
    public init(table: CaseTable, report: ImportReport, display: Display) throws {
        self.table = table
        self.report = report
        self.display = display
        dimension = BuiltInDimension.crimeType.rawValue
        overall = try FunnelAnalysis.funnel(of: table, by: nil)
        breakdown = try FunnelAnalysis.funnel(of: table, by: table.requireDimension(dimension))
    }

    /// The page on top.
    public var page: Page { pages.last ?? .funnel }

    /// The page under the top one (what help describes).
    public var pageBelow: Page { pages.count >= 2 ? pages[pages.count - 2] : .funnel }

    mutating func push(_ page: Page) {
        pages.append(page)
        scroll = 0
    }

    /// Goes back a page; quits from the start page.
    mutating func back() {
        if pages.count > 1 {
            let leaving = pages.removeLast()
            if leaving == .cases { caseList = nil }
            if leaving == .caseDetail { caseRow = nil }
            pane = .primary
            scroll = 0
        } else {
            quitting = true
        }
    }

    /// Replaces the filter (recording it for undo) and works the figures out again.
    mutating func apply(filter newFilter: CaseFilter) throws {
        guard newFilter != filter else { return }
        history.record(filter)
        try refigure(newFilter)
    }

    /// Steps back to the previous filter (`redo` false) or forward to the one undone last.
    mutating func stepFilterHistory(redo: Bool) throws {
        guard let target = redo ? history.redo(from: filter) : history.undo(from: filter) else {
            message = redo ? "Nothing to redo" : "Nothing to undo"
            return
        }
        try refigure(target)
        message = "\(redo ? "Redone" : "Undone"): filters now \(filter.summary)"
    }

    /// Chooses the breakdown dimension.
    mutating func choose(dimension name: String) throws {
        dimension = name
        sort = nil
        groupCursor = 0
        breakdown = try FunnelAnalysis.funnel(of: table, by: table.requireDimension(name), filter: filter)
    }

    private mutating func refigure(_ newFilter: CaseFilter) throws {
        filter = newFilter
        overall = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter)
        breakdown = try FunnelAnalysis.funnel(of: table, by: table.requireDimension(dimension), filter: filter)
        stageCursor = min(stageCursor, overall.stages.count - 1)
        groupCursor = min(groupCursor, max(breakdown.groups.count - 1, 0))
        reasonCursor = 0
    }

    /// The breakdown's groups in the order shown (sorted if a sort is set).
    public var sortedGroups: [GroupFunnel] {
        guard let sort else { return breakdown.groups }
        let key = { (group: GroupFunnel) -> Double in
            switch sort.column {
            case 1: Double(group.counts.reached(.reported))
            default: group.steps[sort.column - 2].step.rate ?? -1
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

    /// Drop-off reasons at the highlighted stage of the funnel page, largest first.
    public var reasonsAtCursor: [(outcome: CaseOutcome, count: Int)] {
        overall.total.counts.dropOffReasons(at: overall.stages[stageCursor])
    }
}
