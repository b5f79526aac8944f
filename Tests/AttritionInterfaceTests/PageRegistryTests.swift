import AttritionCore
@testable import AttritionInterface
import AttritionTerminal
import Testing

/// Every analysis has its page, and the keys, help and palette that open it come from its descriptor.
@Suite struct PageRegistryTests {
    @Test(arguments: AnalysisView.allCases)
    func everyViewHasItsOwnPage(view: AnalysisView) {
        let page = Page(view: view)
        #expect(page.unit.view == view, "\(view)'s page draws \(String(describing: page.unit.view))")
        #expect(page.view == view)
    }

    @Test func everyOtherPageIsRegistered() {
        for page in [Page.filters, .dimensions, .cases, .caseDetail, .help, .importSummary] {
            #expect(PageRegistry.otherPages[page] != nil, "\(page) is not in the registry")
            #expect(page.unit.view == nil)
        }
    }

    /// Each reviewer's page opens by its descriptor's key from the breakdown, is listed in help
    /// with its descriptor's summary, and opens by its descriptor's word in the palette.
    @Test(arguments: PageRegistry.reviewerViews)
    func aReviewersPageOpensByItsDescriptorsKeyAndWord(view: AnalysisView) throws {
        let descriptor = view.descriptor.page
        let key = try #require(descriptor.key)
        let fromBreakdown = press(startState(), [.character("b"), .character(key)])
        #expect(fromBreakdown.page == Page(view: view))
        #expect(KeyHelp.entries(for: .breakdown).contains { $0.keys == String(key) && $0.action == descriptor.summary })
        var state = press(startState(), [.character(":")] + typed(descriptor.paletteName) + [.enter])
        state = Update.settled(state)
        #expect(state.page == Page(view: view), "palette '\(descriptor.paletteName)' opened \(state.page)")
    }

    @Test func theReviewersKeysAreDistinct() {
        let keys = PageRegistry.reviewerViews.compactMap { $0.descriptor.page.key }
        #expect(Set(keys).count == keys.count)
        #expect(keys.count == AnalysisView.allCases.count - 2)
    }

    /// The breakdown's highlighted step column is the step of what `e` exports (its chart) and of `y`.
    @Test func theBreakdownsHighlightedColumnIsTheExportedStep() throws {
        let state = press(startState(), typed("bll"))
        let query = try #require(state.query)
        #expect(query.stage == .charged)
        #expect(EquivalentCommand.text(state)?.contains("--step charged") == true)
        let svg = try Exporter.document(query, of: state.table, source: state.report, format: .svg, layout: .board, suppression: Suppression()).chart
        #expect(svg?.contains("Referred to CPS → Charged, by Crime type") == true)
    }
}

@Suite struct WhatIsShownIsExportedTests {
    /// The highlighted step, the dimension, the basis and the maturity on screen are those of the
    /// export `e` writes.
    @Test func anExportCarriesThePagesSettings() throws {
        let folder = TemporaryFolder()
        var state = press(startState(), typed("b]p>am") + typed("ec"))
        let name = try #require(state.exportPrompt?.path)
        state = press(state, Array(repeating: Key.backspace, count: name.count) + typed(folder.file("plot.csv")) + [.enter])
        let request = try #require(state.pendingExport)
        #expect(request.query == state.query)
        guard case .written = ExportEffect.perform(request, on: state) else {
            Issue.record("the export was not written")
            return
        }
        let metadata = try String(contentsOfFile: folder.file("plot.metadata.txt"), encoding: .utf8)
        for expected in ["view: compare", "dimension: bcu", "step: into charged", "rate_basis: closed cases",
                         "maturity: only cases reported on or before"] {
            #expect(metadata.contains(expected), "\(expected) is not in the metadata")
        }
    }
}

@Suite struct LoosePaletteTests {
    /// The palette finds a command from an abbreviation or a slip of the keys.
    @Test func thePaletteMatchesLoosely() {
        let state = startState()
        #expect(CommandPalette.candidates("breakdwn", in: state).first?.completion == "breakdown ")
        #expect(CommandPalette.candidates("scorcard", in: state).first?.completion == "scorecard")
        #expect(CommandPalette.candidates("bre", in: state).first?.completion == "breakdown ")
        let ran = press(state, typed(":breakdwn") + [.enter])
        #expect(ran.page == .breakdown, "\(ran.page)")
    }
}

@Suite struct CaseListDateTests {
    /// police.uk data is dated by month, and its case lists say so: `2016-01`, not `2016-01-01`.
    @Test func aPoliceUKCaseListShowsMonths() throws {
        let table = policeUK.table
        let line = CaseColumns(table: table, width: 120).line(0, selected: false)
        let month = String(DayNumber(days: table.reportedDays[0]).iso.prefix(7))
        #expect(line.contains(month + " "), "\(line)")
        #expect(!line.contains(DayNumber(days: table.reportedDays[0]).iso))
        let days = CaseColumns(table: sample.table, width: 120).line(0, selected: false)
        #expect(days.contains(DayNumber(days: sample.table.reportedDays[0]).iso))
    }
}
