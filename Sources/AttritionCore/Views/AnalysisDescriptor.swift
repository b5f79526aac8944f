/// One analysis, defined once: the parameters it reads, how its figures are worked out and laid
/// out, its command (name, help, formats) and its page's key and palette entry. The command
/// line's analyses and `export`, the copied command line (`y`), the interface's keys, help and
/// palette, metadata and the board layout are all read from these descriptors, so a new analysis
/// is its descriptor, its page and a line in each registry (`AnalysisView.descriptor`, the
/// interface's `PageRegistry`).
public protocol AnalysisDescriptor {
    /// The view it describes.
    static var view: AnalysisView { get }
    /// The parameters it reads, in the order help lists them.
    static var parameters: [AnalysisParameter] { get }
    /// The dimension grouped by when none is given.
    static var defaultDimension: String { get }
    /// The column dimension when none is given (the heatmap's).
    static var defaultColumns: String { get }
    /// Its command: name, what it does, examples.
    static var command: AnalysisCommandText { get }
    /// The formats its command writes to standard output (or, for xlsx, to `--out`).
    static var formats: [AnalysisFormat] { get }
    /// Its page: the key that opens it, the palette's word and what it shows.
    static var page: AnalysisPageText { get }
    /// Its figures for `query` on `table`, with `funnel` the query's funnel already worked out.
    static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis
    /// Its tidy table: one value a column, each column with its key and role.
    static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable
    /// How its board layout is made from the tidy table.
    static func board(_ tidy: TidyReader) -> BoardShape
    /// Its own rendering of `format`, where it has one (the summary's table and JSON, the
    /// scorecard's and survival's JSON); nil to print the tidy table as every other view does.
    static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String?
}

extension AnalysisDescriptor {
    public static var defaultDimension: String { BuiltInDimension.crimeType.rawValue }
    public static var defaultColumns: String { BuiltInDimension.bcu.rawValue }
    public static var formats: [AnalysisFormat] { [.table, .csv, .json, .md] }
    public static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String? { nil }

    /// Whether it reads `parameter`.
    public static func takes(_ parameter: AnalysisParameter) -> Bool { parameters.contains(parameter) }
}

/// What a command says of itself in `attrition help`.
public struct AnalysisCommandText: Sendable {
    /// The subcommand's name.
    public let name: String
    /// Other names it answers to.
    public let aliases: [String]
    /// One line: what it prints.
    public let abstract: String
    /// More, with an example.
    public let discussion: String

    /// A command called `name` (and `aliases`) that does `abstract`.
    public init(name: String, aliases: [String] = [], abstract: String, discussion: String) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
    }
}

/// What a page says of itself: the key that opens it from any analysis page, the palette's word
/// for it and a few words on what it shows (help, palette).
public struct AnalysisPageText: Sendable {
    /// The key that opens it; nil for the start page.
    public let key: Character?
    /// The word the command palette knows it by.
    public let paletteName: String
    /// The keys the palette shows beside it (those that open it, or choose what it shows).
    public let paletteKeys: String
    /// What it shows, in a few words.
    public let summary: String
    /// Whether it is one of the reviewer's pages, opened from any analysis page (the funnel and
    /// breakdown are opened their own ways).
    public let isReviewerPage: Bool

    /// A page opened by `key`, called `paletteName` (shown with `paletteKeys`, by default the
    /// key), showing `summary`.
    public init(key: Character?, paletteName: String, paletteKeys: String? = nil, summary: String, isReviewerPage: Bool = true) {
        self.key = key
        self.paletteName = paletteName
        self.paletteKeys = paletteKeys ?? key.map(String.init) ?? ""
        self.summary = summary
        self.isReviewerPage = isReviewerPage
    }
}

/// The formats an analysis command writes.
public enum AnalysisFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case table
    /// CSV, tidy; metadata to standard error.
    case csv
    /// JSON.
    case json
    /// Markdown in the board layout.
    case md
    /// An Excel workbook, to `--out`.
    case xlsx

    /// The data-table format of the same name (all but xlsx).
    public var dataTableFormat: DataTableFormat? { DataTableFormat(rawValue: rawValue) }
}

/// How a view's board layout is made from its tidy table.
public enum BoardShape {
    /// These columns of every tidy row.
    case columns([BoardColumn])
    /// The funnel of all cases with its stages as rows.
    case stagesAsRows
    /// A cross-tabulated rate with row groups down and column groups across.
    case pivot
}
