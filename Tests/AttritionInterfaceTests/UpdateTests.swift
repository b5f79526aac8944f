@testable import AttritionInterface
import AttritionCore
import AttritionTerminal
import Testing
import Foundation

/// State transitions for each key on each page, with figures checked against independent counts.
@Suite struct UpdateTests {
    /// Cases in the sample that reached `stage`, counted straight from the table's columns.
    private func reached(_ stage: Stage, crime: String? = nil) -> Int {
        let table = sample.table
        let crimes = table.dimension(named: "crime_type")!
        return (0..<table.rowCount).filter { row in
            Int(table.furthestStages[row]) >= stage.rawValue
                && (crime == nil || crimes.labels[Int(crimes.codes[row])] == crime)
        }.count
    }

    @Test func funnelCursorMovesAndClamps() {
        let start = startState()
        #expect(press(start, [.down]).stageCursor == 1)
        #expect(press(start, typed("jjjjjjjj")).stageCursor == 4)
        #expect(press(start, typed("jjk")).stageCursor == 1)
        #expect(press(start, typed("G")).stageCursor == 4)
        #expect(press(start, typed("Gg")).stageCursor == 0)
        #expect(press(start, [.up]).stageCursor == 0)
    }

    @Test func enterOnAStageListsExactlyTheCasesBehindIt() {
        let state = press(startState(), [.down, .down, .enter])
        #expect(state.page == .cases)
        #expect(state.caseList?.rows.count == reached(.charged))
        let table = sample.table
        #expect(state.caseList!.rows.allSatisfy { table.furthestStages[$0] >= UInt8(Stage.charged.rawValue) })
    }

    @Test func tabMovesToReasonsAndEnterListsThatReason() throws {
        let state = press(startState(), [.tab, .down])
        #expect(state.pane == .secondary)
        #expect(state.reasonCursor == 1)
        let reason = state.reasonsAtCursor[1]
        let list = press(state, [.enter])
        #expect(list.caseList?.rows.count == reason.count)
        let code = reason.outcome.code
        #expect(list.caseList!.rows.allSatisfy { sample.table.outcomes[$0] == code && sample.table.furthestStages[$0] == 0 })
        #expect(press(state, [.tab]).pane == .primary)
    }

    @Test func pagesOpenAndCloseWithTheirKeys() {
        let start = startState()
        #expect(press(start, typed("b")).page == .breakdown)
        #expect(press(start, typed("d")).page == .dimensions)
        #expect(press(start, typed("f")).page == .filters)
        #expect(press(start, typed("i")).page == .importSummary)
        #expect(press(start, typed("?")).page == .help)
        #expect(press(start, typed("b?")).pageBelow == .breakdown)
        #expect(press(start, typed("b") + [.escape]).page == .funnel)
        #expect(press(start, typed("b") + [.backspace]).page == .funnel)
        #expect(press(start, typed("bq")).page == .funnel)
        #expect(!press(start, typed("bq")).quitting)
        #expect(press(start, typed("bfQ")).quitting)
    }

    @Test func escapeAndBackspaceNeverQuitAndQAsksFirst() {
        let start = startState()
        for key in [Key.escape, .backspace] {
            let stayed = press(start, typed("b") + [key, key, key])
            #expect(!stayed.quitting && stayed.page == .funnel)
            #expect(stayed.message == "This is the first page: Q quits (or q, then y)")
        }
        let asked = press(start, typed("bqq"))
        #expect(!asked.quitting && asked.confirmingQuit)
        #expect(asked.message?.hasPrefix("Quit attrition?") == true)
        #expect(rendered(asked).text.contains("y q quit  any other key stays"))
        #expect(press(asked, typed("y")).quitting)
        #expect(press(asked, typed("q")).quitting)
        let kept = press(asked, typed("b"))
        #expect(!kept.quitting && !kept.confirmingQuit && kept.page == .funnel)
        #expect(press(start, typed("Q")).quitting)
    }

    @Test func unknownKeysSayHowToFindTheKeys() {
        let state = press(startState(), typed("b"))
        #expect(press(state, typed("z")).message == "'z' does nothing on this page: ? lists its keys")
        #expect(press(state, [.down]).message == nil)
        #expect(press(startState(), typed("dz")).message == "'z' does nothing on this page: ? lists its keys")
    }

    @Test func breakdownColumnsSortAndDimensions() {
        let state = press(startState(), typed("b"))
        #expect(state.dimension == "crime_type")
        #expect(press(state, typed("lll")).columnCursor == 4)
        #expect(press(state, typed("llllllll")).columnCursor == 5)
        #expect(press(state, typed("hhh")).columnCursor == 0)
        let sorted = press(state, typed("ls"))
        #expect(sorted.sort == SortOrder(column: 2, descending: true))
        let rates = sorted.sortedGroups.map { $0.steps[0].step.rate! }
        #expect(rates == rates.sorted(by: >))
        #expect(press(sorted, typed("s")).sort == SortOrder(column: 2, descending: false))
        #expect(press(sorted, typed("S")).sort == nil)
        #expect(press(state, typed("]")).dimension == "bcu")
        #expect(press(state, typed("[")).dimension == sample.table.dimensions.last!.name)
        let chosen = press(state, typed("d") + typed("jj") + [.enter])
        #expect(chosen.page == .breakdown)
        #expect(chosen.dimension == "borough")
    }

    @Test func enterOnABreakdownCellListsItsCases() {
        let state = press(startState(), typed("b") + typed("jjjj") + typed("ll") + [.enter])
        #expect(state.page == .cases)
        let rape = state.sortedGroups.first { $0.name == "Rape" }!
        #expect(state.caseList?.rows.count == rape.counts.reached(.charged))
        #expect(state.caseList?.rows.count == reached(.charged, crime: "Rape"))
    }

    @Test func filtersApplyUndoRedoAndClear() {
        let filtered = press(startState(), typed("f") + [.tab] + typed("jjjj "))
        #expect(filtered.filter.allowed == ["crime_type": ["Rape"]])
        #expect(filtered.overall.total.counts.reached(.reported) == reached(.reported, crime: "Rape"))
        #expect(filtered.overall.total.counts.reached(.convicted) == reached(.convicted, crime: "Rape"))
        let both = press(filtered, typed("k "))
        #expect(both.filter.allowed == ["crime_type": ["Rape", "Other sexual offences"]])
        let undone = press(both, typed("u"))
        #expect(undone.filter == filtered.filter)
        #expect(undone.overall.total.counts.reached(.reported) == reached(.reported, crime: "Rape"))
        #expect(press(undone, typed("U")).filter == both.filter)
        let cleared = press(both, typed("c"))
        #expect(cleared.filter.isEmpty)
        #expect(cleared.overall.total.counts.reached(.reported) == sample.table.caseCount)
        #expect(press(cleared, typed("u")).filter == both.filter)
        #expect(press(startState(), typed("u")).message == "Nothing to undo")
        #expect(press(filtered, typed(" ")).filter.isEmpty)
    }

    @Test func caseSearchNarrowsAndClears() {
        let list = press(startState(), [.enter])
        #expect(list.caseList?.shown.count == sample.table.caseCount)
        let searching = press(list, typed("/Newham"))
        #expect(searching.caseList?.searching == true)
        let newham = searching.caseList!.shown
        let borough = sample.table.dimension(named: "borough")!
        #expect(newham.count == (0..<sample.table.rowCount).filter { borough.labels[Int(borough.codes[$0])] == "Newham" }.count)
        let kept = press(searching, [.enter])
        #expect(kept.caseList?.searching == false)
        #expect(kept.caseList?.shown == newham)
        #expect(press(kept, typed("q")).page == .funnel)
        let cleared = press(searching, [.escape])
        #expect(cleared.caseList?.shown.count == sample.table.caseCount)
        #expect(cleared.page == .cases)
        let byId = press(list, typed("/C0000042") + [.enter])
        #expect(byId.caseList?.shown.map { sample.table.caseId(ofRow: $0) } == ["C0000042"])
    }

    @Test func caseJourneyStepsThroughTheList() {
        let detail = press(startState(), [.enter, .down, .enter])
        #expect(detail.page == .caseDetail)
        #expect(detail.caseRow == 1)
        #expect(press(detail, typed("j")).caseRow == 2)
        #expect(press(detail, typed("q")).page == .cases)
    }

    @Test func textPagesScrollWithinTheirLength() {
        let help = press(startState(rows: 24), typed("?"))
        let lines = TextPages.lines(help).count
        // Rows 3 to 21 of a 24-row screen hold text: 19 lines.
        #expect(press(help, Array(repeating: .pageDown, count: lines / 19 + 2)).scroll == max(0, lines - 19))
        #expect(press(help, [.down, .up]).scroll == 0)
        // Long lines wrap to the screen rather than being cut, and every outcome is named in full.
        #expect(TextPages.lines(help).allSatisfy { $0.text.count <= 78 })
        #expect(TextPages.lines(help).contains { $0.text.contains("16 Evidence: victim does not support — Evidential difficulties:") })
    }

    @Test func tooSmallTerminalOnlyQuits() {
        var state = startState()
        state.display = Display(rows: 20, columns: 70)
        #expect(press(state, typed("b")).page == .funnel)
        #expect(press(state, typed("q")).quitting)  // too small to ask: q quits at once
    }

    @Test func mouseClicksSelectRows() {
        let funnel = press(startState(), [.click(row: 6, column: 10)])
        #expect(funnel.stageCursor == 2)
        let breakdown = press(startState(), typed("b") + [.click(row: 7, column: 5)])
        #expect(breakdown.groupCursor == 3)
    }

    @Test func searchIgnoresControlCharacters() {
        let state = press(startState(), [.enter] + typed("/a\u{1B}b"))
        #expect(state.caseList?.query == "ab")
    }
}

/// Keys of the reviewer's pages, with their figures checked against the core computed directly.
@Suite struct ReviewerKeyTests {
    @Test func basisToggleRecomputesOverClosedCases() {
        let closed = press(startState(), typed("a"))
        #expect(closed.basis == .closed)
        // Over closed cases, a step's denominator leaves out the cases still open at the earlier stage.
        let table = sample.table
        for (index, step) in closed.overall.total.steps.enumerated() {
            let from = UInt8(step.from.rawValue), to = UInt8(step.to.rawValue)
            let reachedFrom = (0..<table.rowCount).filter { table.furthestStages[$0] >= from }
            let openThere = reachedFrom.filter { table.furthestStages[$0] == from && table.outcomes[$0] == CaseOutcome.open.code }
            #expect(step.step.count == reachedFrom.filter { table.furthestStages[$0] >= to }.count, "step \(index)")
            #expect(step.step.total == reachedFrom.count - openThere.count, "step \(index)")
        }
        #expect(press(closed, typed("a")).basis == .all)
    }

    @Test func maturityCyclesAndIsUndoable() throws {
        let latest = try #require(sample.table.latestDate)
        let six = press(startState(), typed("m"))
        #expect(six.maturityMonths == 6)
        #expect(six.filter.reportedBy == Maturity.cutoff(asOf: latest, months: 6))
        #expect(six.overall.total.counts.reached(.reported)
            == sample.table.reportedDays.days.filter { $0 <= Maturity.cutoff(asOf: latest, months: 6).days }.count)
        #expect(press(six, typed("m")).maturityMonths == 12)
        #expect(press(six, typed("mm")).maturityMonths == 24)
        let off = press(six, typed("mmm"))
        #expect(off.maturityMonths == nil)
        #expect(off.filter.reportedBy == nil)
        #expect(press(six, typed("u")).filter.reportedBy == nil)
        #expect(press(six, typed("mu")).maturityMonths == 6)
    }

    @Test func reviewerPagesOpenOnTheHighlightedStep() {
        let state = press(startState(), typed("bll"))
        #expect(press(state, typed("p")).page == .funnelPlot)
        #expect(press(state, typed("p")).stepCursor == 1)
        #expect(press(state, typed("r")).page == .reasons)
        #expect(press(state, typed("t")).page == .timing)
        #expect(press(state, typed("H")).page == .heatmap)
        #expect(press(state, typed("T")).page == .trend)
        // One reviewer's page replaces another rather than stacking.
        #expect(press(state, typed("pHq")).page == .breakdown)
    }

    @Test func stepKeysWrapAndRefigure() throws {
        let trend = press(startState(), typed("bT"))
        #expect(trend.stepCursor == 0)
        #expect(press(trend, typed(">")).stepCursor == 1)
        #expect(press(trend, typed("<")).stepCursor == 3)
        let tab = try #require(press(trend, typed(">")).analysis?.crossTab)
        #expect(tab.from == .referred && tab.to == .charged)
        // Every cell against a count made here: crime type and quarter of report from the table's columns.
        let table = sample.table
        let crimes = try #require(table.dimension(named: "crime_type"))
        for (r, crime) in tab.rows.enumerated() {
            for (c, quarter) in tab.columns.enumerated() {
                let rows = (0..<table.rowCount).filter { row in
                    let date = DayNumber(days: table.reportedDays[row]).components
                    return crimes.labels[Int(crimes.codes[row])] == crime && "\(date.year)-Q\((date.month - 1) / 3 + 1)" == quarter
                }
                let referred = rows.filter { table.furthestStages[$0] >= UInt8(Stage.referred.rawValue) }
                let charged = referred.filter { table.furthestStages[$0] >= UInt8(Stage.charged.rawValue) }
                #expect(tab.cells[r][c].count == charged.count && tab.cells[r][c].total == referred.count, "\(crime) \(quarter)")
            }
        }
    }

    @Test func heatmapColumnsCellsAndDrillDown() throws {
        let heatmap = press(startState(), typed("bH"))
        let tab = try #require(heatmap.analysis?.crossTab)
        #expect(tab.rowDimension == "crime_type" && tab.columnDimension == "bcu")
        let moved = press(heatmap, [.right, .right, .down])
        #expect(moved.heatmapColumn == 2 && moved.groupCursor == 1)
        let cases = press(moved, [.enter])
        // The cases of the highlighted cell that reached referral, counted here.
        let table = sample.table
        let crimes = try #require(table.dimension(named: "crime_type")), bcus = try #require(table.dimension(named: "bcu"))
        let behind = (0..<table.rowCount).filter { row in
            crimes.labels[Int(crimes.codes[row])] == tab.rows[1] && bcus.labels[Int(bcus.codes[row])] == tab.columns[2]
                && table.furthestStages[row] >= UInt8(Stage.referred.rawValue)
        }
        #expect(cases.caseList?.rows == behind)
        #expect(tab.cells[1][2].count == behind.count)
        let other = press(heatmap, typed("}"))
        let next = try #require(other.analysis?.crossTab)
        #expect(next.columnDimension == "borough")
        #expect(press(heatmap, typed("#")).showCounts)
    }

    @Test func funnelPlotDisparityAgainstOverallOrAChosenGroup() throws {
        let plot = press(startState(), typed("b]p"))
        let comparison = try #require(plot.analysis?.comparison)
        let (points, overall) = (comparison.points, comparison.disparities)
        #expect(comparison.reference == nil)
        // The ratio against the rest of the table (all other groups), worked out here from the counts.
        let total = plot.breakdown.total.steps[0].step
        let expectedRatio = (Double(points[0].proportion.count) / Double(points[0].proportion.total))
            / (Double(total.count - points[0].proportion.count) / Double(total.total - points[0].proportion.total))
        #expect(abs((overall[0]?.ratio ?? 0) - expectedRatio) < 1e-12)
        let chosen = press(plot, typed("jjjR"))
        #expect(chosen.referenceGroup == points[3].name)
        let against = try #require(chosen.analysis?.comparison)
        #expect(against.reference == points[3].name)
        #expect(against.disparities[3] == nil)
        let chosenRatio = (Double(points[0].proportion.count) / Double(points[0].proportion.total))
            / (Double(points[3].proportion.count) / Double(points[3].proportion.total))
        #expect(abs((against.disparities[0]?.ratio ?? 0) - chosenRatio) < 1e-12)
        #expect(chosen.query?.reference == points[3].name)
        #expect(press(chosen, typed("R")).referenceGroup == nil)
    }

    @Test func stepPagesOnAFileWithOneStageSayWhyAndStayPut() throws {
        // No stage column, not even a police outcome (outcome 1 would speak to charging).
        let text = "case_id,reported_date,crime_type,bcu\n1,2023-01-01,Rape,North\n2,2023-02-01,Rape,South\n"
        let result = try CaseImporter(fileName: "one-stage.csv").importCases(from: CSVScanner(source: MemoryByteSource(text)))
        let breakdown = press(startState(result: result), typed("b"))
        for key in ["p", "H", "T"] {
            let after = press(breakdown, typed(key))
            #expect(after.page == .breakdown, "\(key)")
            #expect(after.analysis == nil, "\(key)")
            #expect(after.message?.contains("no step between stages") == true, "\(key): \(after.message ?? "")")
            #expect(!after.quitting)
        }
        // Why cases stopped at report still opens: nothing closed, both cases open.
        let reasons = press(breakdown, typed("r"))
        #expect(reasons.page == .reasons)
        let table = try #require(reasons.analysis?.reasons)
        #expect(table.total.mixes.map(\.closed) == [0] && table.total.mixes.map(\.open) == [2])
    }

    @Test func reasonsPageDrillsIntoClosedCases() throws {
        let reasons = press(startState(), typed("br") + [.down])
        let table = try #require(reasons.analysis?.reasons)
        let cases = press(reasons, [.enter])
        // Closed at the stage shown, counted here straight from the table's rows.
        let group = try #require(sample.table.dimension(named: "crime_type")?.code(ofLabel: table.groups[1].name))
        let codes = try #require(sample.table.dimension(named: "crime_type")).codes
        let closedThere = (0..<sample.table.rowCount).filter {
            codes[$0] == group && sample.table.furthestStages[$0] == UInt8(Stage.reported.rawValue)
                && sample.table.outcome(ofRow: $0).isDropOff
        }.count
        #expect(table.groups[1].mixes[0].closed == closedThere)
        #expect(cases.caseList?.rows.count == closedThere)
    }
}

/// The export dialogue and its one side effect.
@Suite struct ExportDialogueTests {
    @Test func formatNameAndRequest() throws {
        let asking = press(startState(), typed("be"))
        #expect(asking.exportPrompt?.step == .format)
        let named = press(asking, typed("x"))
        #expect(named.exportPrompt?.path == "attrition-breakdown-crime_type.xlsx")
        let edited = press(named, [.backspace, .backspace, .backspace, .backspace] + typed("csv"))
        #expect(edited.exportPrompt?.path == "attrition-breakdown-crime_type.csv")
        let requested = press(edited, [.enter])
        #expect(requested.pendingExport?.path == "attrition-breakdown-crime_type.csv")
        #expect(requested.pendingExport?.overwrite == false)
        #expect(requested.pendingExport?.query.view == .breakdown)
        #expect(press(asking, [.escape]).exportPrompt == nil)
        #expect(press(startState(), [.enter] + typed("e")).message == "Nothing to export on this page")
    }

    /// Suggested names say the view, dimension and filters; b offers the board pack, s a chart
    /// where the page has one; the effect writes both.
    @Test func namesCarryFiltersAndThePackAndChartsAreWritten() throws {
        var query = try #require(press(startState(), typed("b")).query)
        query.filter = try CaseFilter.parse(["crime_type=Rape", "bcu=North West"], in: sample.table)
        #expect(AppState.suggestedName(query, .csv) == "attrition-breakdown-crime_type-bcu-north_west-crime_type-rape.csv")
        #expect(AppState.suggestedName(query, .csv, pack: true) == "attrition-board-pack-bcu-north_west-crime_type-rape.xlsx")
        let pack = press(startState(), typed("eb"))
        #expect(pack.exportPrompt?.pack == true && pack.exportPrompt?.path == "attrition-board-pack.xlsx")
        #expect(press(pack, [.enter]).pendingExport?.pack == true)
        let reasons = press(startState(), typed("res"))
        #expect(reasons.exportPrompt?.step == .format && reasons.message?.hasPrefix("svg draws") == true)
        let folder = NSTemporaryDirectory() + "attrition-ui-pack-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = press(startState(), typed("b"))
        let written = ExportEffect.perform(ExportRequest(query: try #require(state.query), format: .xlsx, path: folder + "/pack.xlsx",
                                                         overwrite: false, pack: true), on: state)
        guard case .written(let files) = written else { Issue.record("\(written)"); return }
        #expect(files == [folder + "/pack.xlsx"])
        let chart = ExportEffect.perform(ExportRequest(query: try #require(state.query), format: .svg, path: folder + "/b.svg",
                                                       overwrite: false), on: state)
        guard case .written = chart else { Issue.record("\(chart)"); return }
        #expect(try String(contentsOfFile: folder + "/b.svg", encoding: .utf8).contains("<svg"))
    }

    @Test func sortedBreakdownExportsInTheOrderShown() throws {
        let sorted = press(startState(), typed("b]ls"))
        let query = try #require(sorted.query)
        let table = try query.table(of: sample.table)
        let names = table.rows.map { row -> String in
            if case .text(let name) = row.cells[0] { return name }
            return ""
        }
        #expect(names == sorted.sortedGroups.map(\.name) + ["Total"])
    }

    @Test func existingFileIsReplacedOnlyAfterYes() {
        let requested = press(startState(), typed("ex") + [.enter])
        let confirming = Update.exportFinished(requested, .exists("attrition-funnel.xlsx"))
        #expect(confirming.exportPrompt?.step == .confirmReplace)
        #expect(confirming.pendingExport == nil)
        #expect(press(confirming, typed("n")).exportPrompt?.step == .path)
        #expect(press(confirming, typed("n")).pendingExport == nil)
        #expect(press(confirming, typed("y")).pendingExport?.overwrite == true)
        let done = Update.exportFinished(press(confirming, typed("y")), .written(["attrition-funnel.xlsx"]))
        #expect(done.exportPrompt == nil)
        #expect(done.message?.hasPrefix("Wrote attrition-funnel.xlsx") == true)
    }

    @Test func effectWritesWhatThePageShowsAndAsksBeforeReplacing() throws {
        let folder = NSTemporaryDirectory() + "attrition-ui-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = press(startState(), typed("b]"))
        let path = folder + "/bcu.json"
        let query = try #require(state.query)
        let outcome = ExportEffect.perform(ExportRequest(query: query, format: .json, path: path, overwrite: false), on: state)
        guard case .written(let files) = outcome else {
            Issue.record("not written: \(outcome)")
            throw CancellationError()
        }
        #expect(files == [path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect((object["columns"] as? [String])?.first == "bcu")
        #expect((object["metadata"] as? [String: String])?["source_sha256"] == sample.report.sourceSHA256)
        let again = ExportEffect.perform(ExportRequest(query: query, format: .json, path: path, overwrite: false), on: state)
        guard case .exists = again else {
            Issue.record("an existing file was not reported: \(again)")
            return
        }
    }

    @Test func caseMixAdjustmentCyclesAndFlagsFollowIt() throws {
        let breakdown = press(startState(), typed("b]"))
        #expect(breakdown.dimension == "bcu" && breakdown.breakdown.adjustedFor == nil)
        let adjusted = press(breakdown, typed("A"))
        #expect(adjusted.adjust == "crime_type")
        #expect(adjusted.breakdown.adjustedFor == "crime_type")
        // Worked out independently: the same funnel straight from the core.
        let direct = try FunnelAnalysis.funnel(of: adjusted.table, by: adjusted.table.requireDimension("bcu"),
                                               adjustFor: adjusted.table.requireDimension("crime_type"))
        #expect(adjusted.breakdown.groups.map { $0.steps.map(\.adjusted) } == direct.groups.map { $0.steps.map(\.adjusted) })
        #expect(adjusted.query?.adjust == "crime_type")
        // Pressing on walks the other dimensions, never the one grouped by, and comes back to off.
        var state = adjusted
        var seen = Set<String>()
        for _ in 0..<40 {
            state = press(state, typed("A"))
            guard let adjust = state.adjust else { break }
            #expect(adjust != "bcu")
            seen.insert(adjust)
        }
        #expect(state.adjust == nil && state.breakdown.adjustedFor == nil)
        #expect(seen.count == state.table.dimensions.count - 2)
    }

    @Test func correctionTogglesBetweenHolmAndFDR() {
        let breakdown = press(startState(), typed("b]M"))
        #expect(breakdown.correction == .fdr && breakdown.breakdown.correction == .fdr)
        #expect(press(breakdown, typed("M")).correction == .holm)
        #expect(breakdown.breakdown.comparisons == press(breakdown, typed("M")).breakdown.comparisons)
    }

    @Test func overdispersionModelCyclesOnTheFunnelPlot() throws {
        let plot = press(startState(), typed("b]p"))
        let estimate = try #require(plot.analysis?.comparison?.overdispersion)
        #expect(estimate.model == .none && !estimate.widens)
        let widened = press(plot, typed("o"))
        #expect(widened.overdispersion == .multiplicative)
        #expect(widened.analysis?.comparison?.overdispersion?.phi == estimate.phi)
        #expect(press(widened, typed("oo")).overdispersion == .none)
    }

    @Test func survivalPageStepsStagesAndDays() throws {
        let page = press(startState(), typed("b]C"))
        #expect(page.page == .survival)
        let table = try #require(page.analysis?.survival)
        #expect(table.stage == .referred && table.days == 365)
        let direct = try SurvivalAnalysis.survival(of: page.table, by: page.table.requireDimension("bcu"), stage: .referred, days: 365,
                                                   asOf: nil)
        #expect(table.groups.map(\.reached) == direct.groups.map(\.reached))
        let later = press(page, typed(">+"))
        #expect(later.analysis?.survival?.stage == .charged)
        #expect(later.analysis?.survival?.days == 730)
        #expect(press(later, typed("--")).analysis?.survival?.days == 180)
        let cases = press(later, [.enter])
        #expect(cases.page == .cases)
        #expect(cases.caseList?.rows.count == later.breakdown.groups[0].counts.reached(.charged))
    }

    @Test func smallNumbersAreMarkedOnTheFunnelPage() throws {
        // Honour-based abuse in Camden: crime type is the third value, Camden the sixth borough.
        let state = press(startState(rows: 40, columns: 120),
                          typed("f") + [.tab] + typed("jj ") + [.backTab] + typed("jj") + [.tab] + typed("jjjjj ") + [.escape])
        #expect(state.filter.summary == "borough = Camden; crime_type = Honour-based abuse")
        let step = try #require(state.overall.total.steps.first?.step)
        #expect(step.total < 30)
        let shown = "\(NumberText.percent(step.rate)) (\(step.count)/\(step.total))*"
        #expect(rendered(state).text.contains(shown))
    }

    @Test func bothChargeRatesShowAndSort() {
        // Sorted on the charged column: by the step rate, then by the rate of reported cases.
        let byStep = press(startState(), typed("b]ll") + typed("s"))
        let byReported = press(byStep, typed("%"))
        #expect(byReported.rateOfReported)
        let stepOrder = byStep.breakdown.groups.sorted { ($0.steps[1].step.rate ?? -1) > ($1.steps[1].step.rate ?? -1) }.map(\.name)
        let reportedOrder = byStep.breakdown.groups.sorted { ($0.steps[1].cumulative.rate ?? -1) > ($1.steps[1].cumulative.rate ?? -1) }
            .map(\.name)
        #expect(byStep.sortedGroups.map(\.name) == stepOrder)
        #expect(byReported.sortedGroups.map(\.name) == reportedOrder)
        #expect(rendered(byReported).text.contains("rates of reported"))
        #expect(rendered(byStep).text.contains("step rates"))
    }

    @Test func flagsThatRestOnOpenCasesAreMarked() throws {
        // Rape by report quarter: recent quarters' low conviction rates are open cases, not attrition.
        let state = press(startState(rows: 40, columns: 120),
                          typed("f") + [.tab] + typed("jjjj ") + [.escape] + typed("d") + Array(repeating: Key.down, count: 10) + [.enter])
        #expect(state.dimension == "reported_quarter")
        let closed = try FunnelAnalysis.funnel(of: state.table, by: state.table.requireDimension("reported_quarter"), filter: state.filter,
                                               basis: .closed)
        var marked = 0
        for group in state.breakdown.groups {
            for index in group.steps.indices {
                let other = closed.groups.first { $0.name == group.name }?.steps[index].flag
                let expected = group.steps[index].flag != nil && other != group.steps[index].flag
                #expect(state.flagRestsOnOpenCases(group, step: index) == expected, "\(group.name) step \(index)")
                if expected { marked += 1 }
            }
        }
        #expect(marked > 0)
        #expect(rendered(state).text.contains("°"))
    }

    @Test func slashSearchesEveryList() throws {
        // A filter list: the boroughs' values.
        let values = press(startState(), typed("fjj") + [.tab])
        let boroughs = values.table.dimensions[2].labels
        let found = press(values, typed("/cam"))
        #expect(found.search == ListSearch(query: "cam", typing: true))
        #expect(found.filterValueCursor == boroughs.firstIndex(of: "Camden"))
        #expect(rendered(found).text.contains("/cam_"))
        let kept = press(found, [.enter])
        #expect(kept.search?.typing == false)
        #expect(kept.message == "'cam': 1 of 1 (n next, N previous, Esc ends)")
        // n and N go round every match: three boroughs contain "ham".
        let ham = boroughs.indices.filter { boroughs[$0].lowercased().contains("ham") }
        #expect(ham.count >= 2)
        let first = press(values, typed("/ham") + [.enter])
        #expect(first.filterValueCursor == ham[0])
        #expect(press(first, typed("n")).filterValueCursor == ham[1])
        #expect(press(first, typed("N")).filterValueCursor == ham.last)
        #expect(press(first, typed("n") + Array(repeating: .character("n"), count: ham.count - 1)).filterValueCursor == ham[0])
        // Esc ends the search without leaving the page; a search with no match says so.
        let ended = press(first, [.escape])
        #expect(ended.search == nil && ended.page == .filters)
        #expect(press(values, typed("/zzz")).message == "No zzz on this page")
        // The groups of a breakdown and a reviewer's page, and the help text.
        let breakdown = press(startState(), typed("b]/south w"))
        #expect(breakdown.sortedGroups[breakdown.groupCursor].name == "South West")
        let plot = press(startState(), typed("b]p/west") + [.enter])
        #expect(plot.analysisGroupNames[plot.groupCursor] == "Central West")
        let help = press(startState(rows: 24, columns: 80), typed("b?/quit at once") + [.enter])
        // Scrolled to the line, as far as the text allows (19 text rows at 80×24).
        let lines = TextPages.lines(help).map(\.text)
        let line = try #require(lines.firstIndex { $0.contains("quit at once") })
        #expect(help.scroll == min(line, lines.count - 19))
        #expect(help.scroll > 0)
    }

    @Test func commandPaletteCompletesAndRuns() throws {
        let start = startState(rows: 40, columns: 120)
        let open = press(start, typed(":"))
        #expect(open.palette == Palette())
        // Every command is listed with the key that does the same.
        let listing = rendered(open).text
        #expect(listing.contains("breakdown DIM"))
        #expect(listing.contains("[b [ ]]"))
        // Tab completes the command, then the value; Enter runs it.
        let completed = press(open, typed("bre") + [.tab] + typed("bc") + [.tab])
        #expect(completed.palette?.text == "breakdown bcu")
        let ran = press(completed, [.enter])
        #expect(ran.palette == nil && ran.page == .breakdown && ran.dimension == "bcu")
        // Filters by name and value; the sort by a stage's name; an export straight to its file name.
        let filtered = press(ran, typed(":filter crime_type=ra") + [.enter])
        #expect(filtered.filter.summary == "crime_type = Rape")
        let sorted = press(filtered, typed(":sort convicted") + [.enter])
        #expect(sorted.sort == SortOrder(column: 5, descending: true))
        let exporting = press(sorted, typed(":export xl") + [.enter])
        #expect(exporting.exportPrompt?.format == .xlsx && exporting.exportPrompt?.step == .path)
        // Settings by name.
        let closed = press(sorted, typed(":basis closed") + [.enter] + typed(":correction fdr") + [.enter] + typed(":mature 12") + [.enter])
        #expect(closed.basis == .closed && closed.correction == .fdr && closed.maturityMonths == 12)
        // A number the list does not hold can still be given where the argument is free.
        let survival = press(ran, typed("C:days 200") + [.enter])
        #expect(survival.survivalDays == 200 && survival.analysis?.survival?.days == 200)
        #expect(press(ran, typed(":step charged") + [.enter]).stepCursor == 1)
        #expect(press(ran, typed("p:reference North") + [.enter]).referenceGroup == "North")
        // Wrong commands say so; Esc closes without running.
        #expect(press(start, typed(":nonsense") + [.enter]).message?.contains("no command 'nonsense'") == true)
        // Enter on a command that wants a value completes it rather than running it.
        #expect(press(start, typed(":filter") + [.enter]).palette?.text == "filter ")
        #expect(press(start, typed(":reasons") + [.escape]).page == .funnel)
    }

    @Test func theCommandLineForWhatIsOnScreen() throws {
        let state = press(startState(), typed(":breakdown bcu") + [.enter] + typed(":filter crime_type=Rape") + [.enter]
            + typed(":filter victim_age_band=18-24") + [.enter] + typed("a"))
        let copied = press(state, typed("y"))
        let expected = "attrition summary --by bcu --filter crime_type=Rape --filter victim_age_band=18-24 --basis closed"
        #expect(copied.pendingCopy == expected)
        #expect(copied.message == "Copied: \(expected)")
        let survival = press(copied, typed("C>y"))
        #expect(survival.pendingCopy == "attrition survival --by bcu --stage charged --days 365 --filter crime_type=Rape --filter victim_age_band=18-24")
        let plot = press(copied, typed("pAo") + typed("y"))
        #expect(plot.pendingCopy == "attrition compare --by bcu --step referred --filter crime_type=Rape --filter victim_age_band=18-24 "
            + "--basis closed --adjust crime_type --overdispersion multiplicative")
        #expect(press(startState(), typed("fy")).message == "No view of the data on this page to give a command for")
    }

    @Test func reasonColumnsThatDoNotFitScroll() throws {
        let page = press(startState(), typed("b]r"))
        let reasons = try #require(page.analysis.flatMap { analysis -> [ReasonGroup]? in
            if case .reasons(let table) = analysis { return table.total.mixes.first?.counts.map(\.reason) }
            return nil
        })
        #expect(reasons.count > 5)
        let screen = rendered(page).text
        #expect(screen.contains("R1–R5 of \(reasons.count) shown: { } for the others"))
        #expect(screen.contains("▸"))
        // Every reason stays in the legend; scrolling brings the last column on screen.
        for index in reasons.indices { #expect(screen.contains("R\(index + 1) ")) }
        let scrolled = press(page, Array(repeating: .character("}"), count: reasons.count))
        #expect(rendered(scrolled).text.contains("R\(reasons.count - 4)–R\(reasons.count) of \(reasons.count) shown"))
        #expect(rendered(scrolled).text.contains("◂"))
    }

    @Test func theMouseWheelScrollsAClickSelectsADoubleClickDrillsDown() throws {
        let breakdown = press(startState(), typed("b]"))
        #expect(press(breakdown, [.wheel(up: false)]).groupCursor == 3)
        #expect(press(breakdown, [.wheel(up: false), .wheel(up: true)]).groupCursor == 0)
        // Every reviewer's page with a list of groups takes a click on a row (row 4 is the first group).
        for keys in ["r", "t", "T", "C"] {
            let page = press(breakdown, typed(keys))
            #expect(press(page, [.click(row: 6, column: 5)]).groupCursor == 2, "\(keys)")
        }
        #expect(press(press(breakdown, typed("H")), [.click(row: 7, column: 5)]).groupCursor == 2)
        // The funnel plot's legend lists the groups under the plot at 80×24 (rows 17 on) and beside it at 120×40 (rows 5 on).
        #expect(press(press(breakdown, typed("p")), [.click(row: 18, column: 5)]).groupCursor == 1)
        #expect(press(press(startState(rows: 40, columns: 120), typed("b]p")), [.click(row: 7, column: 100)]).groupCursor == 2)
        // A double click selects the row, then lists its cases.
        let timing = press(breakdown, typed("t"))
        let drilled = press(timing, [.doubleClick(row: 6, column: 5)])
        #expect(drilled.page == .cases)
        let group = timing.analysisGroupNames[2]
        #expect(drilled.caseList?.title.hasPrefix(group) == true)
        // The help page scrolls with the wheel.
        #expect(press(breakdown, typed("?") + [.wheel(up: false)]).scroll == 3)
    }

    @Test func scorecardPageShowsEachMeasureAndDrillsIntoACell() throws {
        let page = press(startState(), typed("b]K"))
        #expect(page.page == .scorecard)
        guard case .scorecard(let card)? = page.analysis else { Issue.record("no scorecard"); return }
        let direct = try ScorecardAnalysis.scorecard(of: page.table, by: page.table.requireDimension("bcu"), measures: .builtIn)
        #expect(card.measures.map { $0.cells.map(\.proportion) } == direct.measures.map { $0.cells.map(\.proportion) })
        // The next measure, then the cases behind North × Rape's numerator.
        let north = try #require(card.groupNames.firstIndex(of: "North"))
        let rape = press(page, typed(">") + [.right] + Array(repeating: .down, count: north))
        #expect(rape.stepCursor == 1 && rape.groupCursor == north)
        let cases = press(rape, [.enter])
        #expect(cases.page == .cases)
        let cell = try #require(direct.measures[1].cells.first { $0.crimeType == "Rape" && $0.name == "North" })
        #expect(cases.caseList?.rows.count == cell.proportion.count)
        #expect(rendered(page).text.contains("✗") || rendered(page).text.contains("✓") || rendered(page).text.contains("?"))
        // A click on the pinned total row selects the total; on the third group row, the third group.
        let totalRow = 4 + 2 + min(card.groupNames.count - 1, 24 - 2 - 4 - 7)
        #expect(press(page, [.click(row: totalRow, column: 3)]).groupCursor == card.groupNames.count - 1)
        #expect(press(page, [.click(row: 8, column: 3)]).groupCursor == 2)
    }
}
