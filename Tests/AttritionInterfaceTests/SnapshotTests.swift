import Foundation
import AttritionCore
import AttritionInterface
import AttritionTerminal
import Testing

/// Every page rendered into an in-memory screen and compared with a stored expectation, at
/// 80×24 and 120×40.
@Suite struct SnapshotTests {
    static let sizes = [(24, 80), (40, 120)]

    private func check(_ name: String, _ keys: [Key], result: ImportResult = sample, ascii: Bool = false) throws {
        for (rows, columns) in SnapshotTests.sizes {
            let state = press(startState(rows: rows, columns: columns, ascii: ascii, result: result), keys)
            try expectSnapshot(state, named: "\(name)-\(columns)x\(rows)")
        }
    }

    @Test func funnel() throws { try check("funnel", []) }
    @Test func funnelReasonsPane() throws { try check("funnel-reasons", [.down, .tab, .down]) }
    @Test func breakdownByBCUSortedByReferral() throws { try check("breakdown-bcu", typed("b]l") + typed("s")) }
    @Test func breakdownFilteredToRape() throws {
        try check("breakdown-rape-age", typed("f") + [.tab] + typed("jjjj ") + [.escape] + typed("d") + typed("jjjj") + [.enter, .right])
    }
    @Test func filters() throws { try check("filters", typed("f") + [.tab] + typed("jjjj ")) }
    @Test func dimensions() throws { try check("dimensions", typed("d")) }
    @Test func caseList() throws { try check("cases-charged", [.down, .down, .enter]) }
    @Test func caseListSearch() throws { try check("cases-search", [.enter] + typed("/Newham")) }
    @Test func caseJourney() throws { try check("case-journey", [.down, .down, .down, .enter, .down, .enter]) }
    @Test func help() throws { try check("help-breakdown", typed("b?")) }
    @Test func importSummaryWithRejections() throws { try check("import-summary", typed("i"), result: messy) }
    @Test func asciiFallback() throws { try check("funnel-ascii", typed("b"), ascii: true) }

    @Test func reasonsByBCU() throws { try check("reasons-bcu", typed("b]r")) }
    @Test func timingByCrimeType() throws { try check("timing-crime", typed("bt")) }
    @Test func funnelPlotOfCharging() throws { try check("funnel-plot-bcu", typed("b]ll") + typed("p")) }
    @Test func heatmapWithCounts() throws { try check("heatmap-counts", typed("b]H") + [.right] + typed("#")) }
    @Test func trendWithClosedBasisAndMaturity() throws { try check("trend-closed-mature", typed("bT>am")) }
    @Test func survivalToChargeByBCU() throws { try check("survival-bcu", typed("b]C>") + [.down]) }
    @Test func breakdownRatesOfReportedWithOpenShares() throws { try check("breakdown-of-reported-open", typed("b]lll%o")) }
    @Test func scorecardByBCU() throws { try check("scorecard-bcu", typed("b]K") + [.down]) }
    @Test func commandPaletteCompleting() throws { try check("palette", typed("b:bre") + [.tab] + typed("b")) }
    @Test func searchInAFilterList() throws { try check("filters-search", typed("fjj") + [.tab] + typed("/ham")) }
    @Test func quitAsksFirst() throws { try check("quit-confirm", typed("q")) }
    @Test func helpOnTheFunnelPlot() throws { try check("help-funnel-plot", typed("b]p?")) }
    @Test func breakdownAdjustedForCrimeType() throws { try check("breakdown-relationship-adjusted", typed("b]]]]]]]lA")) }
    @Test func funnelPlotAdjustedWithOverdispersion() throws { try check("funnel-plot-adjusted", typed("b]pAo")) }

    @Test func policeUKFunnelSaysReferralIsNotRecorded() throws { try check("police-uk-funnel", [], result: policeUK) }
    @Test func policeUKDimensionsSayThereAreNoVictimCharacteristics() throws {
        try check("police-uk-dimensions", typed("d"), result: policeUK)
    }
    @Test func policeUKJourneyByMonth() throws { try check("police-uk-journey", [.down, .enter, .enter], result: policeUK) }
    @Test func policeUKReasonsInTheirGroups() throws { try check("police-uk-reasons", typed("br"), result: policeUK) }
    @Test func policeUKImportSummary() throws { try check("police-uk-import", typed("i"), result: policeUK) }

    @Test func tooSmallShowsAMessage() throws {
        try expectSnapshot(startState(rows: 20, columns: 60), named: "too-small-60x20")
    }
}

/// Text from a file never reaches the terminal with its control characters.
@Suite struct TerminalSafetyTests {
    @Test func controlCharactersInCaseReferencesAreNeverDrawn() throws {
        let text = "case_id,reported_date,crime_type,bcu\n\"X\u{1B}[2J\u{07}\",2023-01-01,Rape,North\n"
        let result = try CaseImporter(fileName: "evil.csv").importCases(from: CSVScanner(source: MemoryByteSource(text)))
        let state = press(startState(result: result), [.enter, .enter])
        let screen = rendered(state).text + rendered(press(startState(result: result), [.enter])).text
        #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(screen.contains("X\u{FFFD}[2J\u{FFFD}"))
    }

    @Test func bidirectionalOverridesInLabelsAreNeutralised() throws {
        let text = "case_id,reported_date,crime_type,bcu\nA1,2023-01-01,Rape\u{202E}gnalsi,North\u{2066}x\u{2069}\n"
        let result = try CaseImporter(fileName: "bidi.csv").importCases(from: CSVScanner(source: MemoryByteSource(text)))
        let screens = [rendered(press(startState(result: result), typed("b"))).text, rendered(press(startState(result: result), [.enter])).text]
        for screen in screens {
            #expect(!screen.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        }
        #expect(screens[0].contains("Rape\u{FFFD}gnalsi"))
    }
}

/// The import page names the mapping in force and what it did not cover.
@Suite struct MappedImportPageTests {
    @Test func theImportPageShowsTheMappingAndUnmappedValues() throws {
        let folder = NSTemporaryDirectory() + "attrition-ui-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "Ref,When,Offence,Borough\nA,2023-01-01,RAPE 16+,Camden\nB,2023-01-02,ATTEMPTED RAPE,Camden\n"
            .write(toFile: folder + "/x.csv", atomically: true, encoding: .utf8)
        try "[columns]\ncase_id = \"Ref\"\nreported_date = \"When\"\ncrime_type = \"Offence\"\n[values.crime_type]\n\"RAPE 16+\" = \"Rape\"\n"
            .write(toFile: folder + "/attrition.toml", atomically: true, encoding: .utf8)
        let source = try CaseSource.detect(path: folder + "/x.csv")
        let result = try source.load(mapping: try Mapping.load(path: try #require(source.defaultMapping)))
        let screen = rendered(press(startState(rows: 40, columns: 120, result: result), typed("i"))).text
        #expect(screen.contains("Mapping        \(folder)/attrition.toml (SHA-256 "))
        #expect(screen.contains("not in [values.crime_type]: 'ATTEMPTED RAPE'"))
    }
}
