/// One step's rate for every pair of groups of two dimensions.
public enum HeatmapView: AnalysisDescriptor {
    public static let view = AnalysisView.heatmap
    public static let parameters: [AnalysisParameter] = [.dimension, .columns, .step, .basis, .minN]
    public static let defaultDimension = BuiltInDimension.bcu.rawValue
    public static let defaultColumns = BuiltInDimension.crimeType.rawValue
    public static let command = AnalysisCommandText(
        name: "heatmap",
        abstract: "A step rate for every pair of groups of two dimensions (for example BCU × crime type), with counts.",
        discussion: "Example: attrition heatmap cases.csv --rows bcu --columns crime_type --step charged --format csv")
    public static let page = AnalysisPageText(key: "H", paletteName: "heatmap", paletteKeys: "H { }", summary: "heatmap: a step rate by two dimensions")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        try CrossTabView.analysis(query, of: table, funnel: funnel, columns: query.columns)
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.crossTab(analysis.asCrossTab, title: "Heatmap", filter: query.filter, basis: query.basis, reliability: query.reliability)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape { .pivot }
}

/// What the heatmap and the trend share: one step's rate cross-tabulated by two dimensions.
enum CrossTabView {
    /// The cross-tab of `query`'s step by its dimension and `columns`.
    static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel, columns: String) throws -> Analysis {
        let chosen = funnel.total.steps[try query.step(in: funnel)]
        return .crossTab(try CrossTabAnalysis.crossTab(
            of: table, rows: table.requireDimension(query.dimension), columns: table.requireDimension(columns),
            from: chosen.from, to: chosen.to, filter: query.filter, basis: query.basis))
    }
}

/// The tidy layout of this view's figures.
extension AnalysisTables {
    /// A cross-tabulated step rate in long format (heatmap, or trend when the columns are report quarters).
    static func crossTab(_ tab: CrossTab, title: String, filter: CaseFilter, basis: RateBasis, reliability: Reliability) -> DataTable {
        var rows: [TableRow] = []
        for (r, rowLabel) in tab.rows.enumerated() {
            for (c, columnLabel) in tab.columns.enumerated() {
                let cell = tab.cells[r][c]
                let interval = cell.wilson95
                rows.append(TableRow([.text(rowLabel), .text(columnLabel), .count(cell.count), .count(cell.total), .rate(cell.rate),
                                      .rate(interval?.lowerBound), .rate(interval?.upperBound),
                                      .text(reliability.isReliable(cell) ? "yes" : "no")]))
            }
        }
        return DataTable(
            title: "\(title): \(tab.from.title) → \(tab.to.title)",
            notes: notes(filter: filter, basis: basis, reliability: reliability),
            columns: [TableColumn(.group(tab.rowDimension), .group), TableColumn(.columnGroup(tab.columnDimension), .label)] + rateColumns
                + [TableColumn(.field(.reliable), .derived(from: [.field(.denominator)]))],
            rows: rows)
    }
}
