import AttritionCore
import AttritionTerminal

/// A page of the interface, by name. The state keeps a stack of them; each page's keys, drawing
/// and help live together in its `PageUnit`, found through `PageRegistry`.
public struct Page: Hashable, Sendable, CustomStringConvertible {
    /// The page's identifier.
    public let id: String

    /// The page called `id`.
    init(id: String) { self.id = id }

    public var description: String { id }

    /// The unit that handles and draws this page.
    var unit: any PageUnit.Type { PageRegistry.units[self] ?? FunnelPage.self }

    /// The view of the data the page shows, nil for pages that show none (lists, help, dialogues).
    public var view: AnalysisView? { unit.view }
}

/// One page as a unit, as a spreadsheet tool's sheets are: its keys (with what they do, for help
/// and the footer), what its own marks mean, how it takes a key, and how it draws.
protocol PageUnit {
    /// The page's name in help titles.
    static var name: String { get }
    /// The view of the data it shows; nil for lists, help and dialogues.
    static var view: AnalysisView? { get }
    /// Its keys, shared ones included, in the order help lists them.
    static var keys: [KeyHelp.Entry] { get }
    /// What its own marks mean, for its help.
    static var notes: [String] { get }
    /// The state after `key` on this page (keys every page shares are taken before).
    static func handle(_ state: inout AppState, _ key: Key) throws
    /// Draws the page inside the frame every page shares.
    static func draw(_ state: AppState, _ canvas: Canvas)
    /// What `/` searches on this page, in order, with the item highlighted now; nil where the
    /// page has no list to search (or searches its own way, as the case list does).
    static func searchItems(_ state: AppState) -> (items: [String], current: Int)?
    /// Highlights item `index` of `searchItems`.
    static func select(_ state: inout AppState, item index: Int)
}

extension PageUnit {
    static var view: AnalysisView? { nil }
    static var notes: [String] { [] }
    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { nil }
    static func select(_ state: inout AppState, item index: Int) {}
}

/// The reviewer's pages and the breakdown search their groups.
extension PageUnit {
    /// The groups of the analysis on screen, with the highlighted one.
    static func groupItems(_ state: AppState) -> (items: [String], current: Int)? {
        (state.page == .breakdown ? state.sortedGroups.map(\.name) : state.analysisGroupNames, state.groupCursor)
    }
}

/// Every page, by name: a new page is a file in `Pages/` and a line here.
enum PageRegistry {
    nonisolated(unsafe) static let units: [Page: any PageUnit.Type] = [
        .funnel: FunnelPage.self,
        .breakdown: BreakdownPage.self,
        .filters: FiltersPage.self,
        .dimensions: DimensionsPage.self,
        .cases: CasesPage.self,
        .caseDetail: CaseJourneyPage.self,
        .help: HelpPage.self,
        .importSummary: ImportSummaryPage.self,
        .reasons: ReasonsPage.self,
        .timing: TimingPage.self,
        .funnelPlot: FunnelPlotPage.self,
        .heatmap: HeatmapPage.self,
        .trend: TrendPage.self,
        .survival: SurvivalPage.self,
        .scorecard: ScorecardPage.self,
    ]
}
