import AttritionCore
import AttritionTerminal

/// A page of the interface, by name. The state keeps a stack of them; each page's keys, drawing
/// and help live together in its `PageUnit`, found through `PageRegistry`.
public struct Page: Hashable, Sendable, CustomStringConvertible {
    /// The page's identifier.
    public let id: String

    /// The page called `id`.
    init(id: String) { self.id = id }

    /// The page of analysis `view`.
    public init(view: AnalysisView) { id = view.rawValue }

    public var description: String { id }

    /// The unit that handles and draws this page. Every page is in the registry (a test opens
    /// each); one that is not is a programming error, stopped at once rather than drawn as another.
    var unit: any PageUnit.Type {
        if let view = AnalysisView(rawValue: id) { return PageRegistry.unit(for: view) }
        guard let unit = PageRegistry.otherPages[self] else { preconditionFailure("page \(id) is not in PageRegistry") }
        return unit
    }

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

/// Every page: a new analysis's page is a file in `Pages/` and a line in `unit(for:)` (which the
/// compiler asks for when a view is added); any other page a file and a line in `otherPages`.
enum PageRegistry {
    /// The page of each analysis view.
    static func unit(for view: AnalysisView) -> any PageUnit.Type {
        switch view {
        case .funnel: FunnelPage.self
        case .breakdown: BreakdownPage.self
        case .reasons: ReasonsPage.self
        case .timing: TimingPage.self
        case .compare: FunnelPlotPage.self
        case .heatmap: HeatmapPage.self
        case .trend: TrendPage.self
        case .survival: SurvivalPage.self
        case .scorecard: ScorecardPage.self
        }
    }

    /// The pages that show no analysis: lists, help, dialogues.
    nonisolated(unsafe) static let otherPages: [Page: any PageUnit.Type] = [
        .filters: FiltersPage.self,
        .dimensions: DimensionsPage.self,
        .cases: CasesPage.self,
        .caseDetail: CaseJourneyPage.self,
        .help: HelpPage.self,
        .importSummary: ImportSummaryPage.self,
    ]

    /// The reviewer's pages, in the order help and the palette list them, each with its descriptor.
    static var reviewerViews: [AnalysisView] { AnalysisView.allCases.filter { $0.descriptor.page.isReviewerPage } }

    /// The reviewer's page `key` opens, if any.
    static func reviewerView(openedBy key: Character) -> AnalysisView? {
        reviewerViews.first { $0.descriptor.page.key == key }
    }
}
